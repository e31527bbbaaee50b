package io.lifeboat.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.server.ListedSnapshot;
import io.lifeboat.server.Readiness;
import io.lifeboat.server.SnapshotInProgressException;
import io.lifeboat.server.SnapshotService;
import io.lifeboat.server.SnapshotTrigger;
import io.lifeboat.server.TakenSnapshot;
import io.lifeboat.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/** Routes every request; one instance serves all threads and holds no request state. */
final class ApiHandler implements HttpHandler {

  static final String SNAPSHOTS = "/api/v1/snapshots";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** Request bodies are ignored; at most this much of one is read. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final String GET = "GET";
  private static final String POST = "POST";

  private final ApiAccess access;
  private final SnapshotService service;
  private final SnapshotTrigger trigger;
  private final Readiness readiness;
  private final ServerMetrics metrics;
  private final java.util.function.Consumer<String> problems;

  ApiHandler(
      ApiAccess access,
      SnapshotService service,
      SnapshotTrigger trigger,
      Readiness readiness,
      ServerMetrics metrics,
      java.util.function.Consumer<String> problems) {
    this.problems = Objects.requireNonNull(problems, "problems");
    this.access = Objects.requireNonNull(access, "access");
    this.service = Objects.requireNonNull(service, "service");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      discardBody(exchange);
      route(exchange);
    } catch (RuntimeException e) {
      // A bug, not a request problem: the operator needs the stack trace, the client only the status.
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      problems.accept(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " failed: " + trace);
      if (exchange.getResponseCode() == -1) {
        boolean api = exchange.getRequestURI().getRawPath().startsWith("/api/");
        send(exchange, 500, api ? JSON : TEXT,
            api ? SnapshotJson.error("internal error; see the server log") : text("internal error\n"));
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/healthz" -> {
        if (allowed(exchange, GET)) {
          send(exchange, 200, TEXT, text("ok\n"));
        }
      }
      case "/readyz" -> {
        if (allowed(exchange, GET)) {
          readyz(exchange);
        }
      }
      case "/metrics" -> {
        if (allowed(exchange, GET)) {
          send(exchange, 200, PROMETHEUS_TEXT, text(metrics.scrape()));
        }
      }
      default -> {
        if (path.equals("/api") || path.startsWith("/api/")) {
          if (access.allows(exchange.getRequestHeaders().get("Authorization"))) {
            api(exchange, path, method);
          } else {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(exchange, 401, TEXT, new byte[0]);
          }
        } else {
          send(exchange, 404, TEXT, text("not found\n"));
        }
      }
    }
  }

  private void readyz(HttpExchange exchange) throws IOException {
    Readiness.Report report = readiness.check();
    if (report.ready()) {
      send(exchange, 200, TEXT, text("ok\n"));
    } else {
      send(exchange, 503, TEXT, text(String.join("\n", report.problems()) + "\n"));
    }
  }

  private void api(HttpExchange exchange, String path, String method) throws IOException {
    if (path.equals(SNAPSHOTS)) {
      if (method.equals(GET)) {
        list(exchange);
      } else if (method.equals(POST)) {
        take(exchange);
      } else {
        methodNotAllowed(exchange, "GET, POST");
      }
    } else if (path.startsWith(SNAPSHOTS + "/")
        && path.length() > SNAPSHOTS.length() + 1
        && path.indexOf('/', SNAPSHOTS.length() + 1) < 0) {
      if (method.equals(GET)) {
        find(exchange, path.substring(SNAPSHOTS.length() + 1));
      } else {
        methodNotAllowed(exchange, GET);
      }
    } else {
      sendJson(exchange, 404, SnapshotJson.error("no such resource"));
    }
  }

  private void list(HttpExchange exchange) throws IOException {
    byte[] body;
    try {
      body = SnapshotJson.list(service.list());
    } catch (IOException e) {
      sendJson(exchange, 500, SnapshotJson.error(message(e)));
      return;
    }
    sendJson(exchange, 200, body);
  }

  private void find(HttpExchange exchange, String rawName) throws IOException {
    SnapshotName name;
    try {
      name = new SnapshotName(URLDecoder.decode(rawName.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      sendJson(exchange, 400, SnapshotJson.error(e.getMessage()));
      return;
    }
    Optional<ListedSnapshot> found;
    try {
      found = service.find(name);
    } catch (IOException e) {
      sendJson(exchange, 500, SnapshotJson.error(message(e)));
      return;
    }
    if (found.isPresent()) {
      sendJson(exchange, 200, SnapshotJson.one(found.get()));
    } else {
      sendJson(exchange, 404, SnapshotJson.error("no snapshot named " + name.value()));
    }
  }

  private void take(HttpExchange exchange) throws IOException {
    TakenSnapshot taken;
    try {
      taken = trigger.takeNow();
    } catch (SnapshotInProgressException e) {
      sendJson(exchange, 409, SnapshotJson.error("a snapshot is being taken"));
      return;
    } catch (IOException e) {
      sendJson(exchange, 500, SnapshotJson.error(message(e)));
      return;
    }
    exchange.getResponseHeaders().set("Location", SNAPSHOTS + "/" + PathSegment.encode(taken.metadata().name()));
    sendJson(exchange, 201, SnapshotJson.taken(taken));
  }

  private boolean allowed(HttpExchange exchange, String allow) throws IOException {
    if (exchange.getRequestMethod().equals(allow)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allow);
    send(exchange, 405, TEXT, text("method not allowed; use " + allow + "\n"));
    return false;
  }

  private static void methodNotAllowed(HttpExchange exchange, String allow) throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    sendJson(exchange, 405, SnapshotJson.error("method not allowed; use " + allow));
  }

  private static String message(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
    send(exchange, status, JSON, body);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    if (!noBody) {
      headers.set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads and drops at most {@value #MAX_BODY_BYTES} of the request body, so a small body does not
   * spoil the connection for the next request; past that the server closes the connection.
   */
  private static void discardBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    byte[] buffer = new byte[8192];
    int left = MAX_BODY_BYTES;
    while (left > 0) {
      int n = in.read(buffer, 0, Math.min(buffer.length, left));
      if (n < 0) {
        return;
      }
      left -= n;
    }
  }
}
