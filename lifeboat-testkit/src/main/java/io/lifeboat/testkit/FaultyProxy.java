package io.lifeboat.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on a loopback port in front of a test server (such as {@link S3Server}) that
 * injects faults into the next N requests: an error status (503 SlowDown and the like), a TCP reset
 * instead of an answer, a delay before forwarding, or a reset part-way through the response body.
 * Every request is forwarded with {@code Connection: close}, so each request has its own connection
 * and faults apply per request, not per pooled connection.
 *
 * <pre>{@code
 * try (FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
 *   proxy.inject(FaultyProxy.Fault.status(503), 2);               // next 2 requests get 503
 *   proxy.inject(FaultyProxy.Fault.reset(), 1, line -> line.startsWith("PUT "));
 *   ... client with endpoint proxy.endpoint() ...
 * }
 * }</pre>
 */
public final class FaultyProxy implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  /** One kind of fault. */
  public record Fault(Kind kind, int status, Duration delay, long afterBytes) {
    /** What the proxy does instead of (or while) forwarding. */
    public enum Kind {
      STATUS,
      RESET,
      DELAY,
      RESET_MID_RESPONSE,
      CORRUPT_REQUEST_BODY
    }

    public Fault {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(delay, "delay");
    }

    /** Answers with this status and an S3-style XML error (503 SlowDown, 500 InternalError, ...). */
    public static Fault status(int status) {
      return new Fault(Kind.STATUS, status, Duration.ZERO, 0);
    }

    /** Resets the connection (RST) after reading the request head. */
    public static Fault reset() {
      return new Fault(Kind.RESET, 0, Duration.ZERO, 0);
    }

    /** Waits before forwarding the request (to make a client time out). */
    public static Fault delay(Duration delay) {
      return new Fault(Kind.DELAY, 0, delay, 0);
    }

    /** Forwards, but flips the bits of the request body's byte at this offset (silent corruption on the way). */
    public static Fault corruptRequestBody(long offset) {
      return new Fault(Kind.CORRUPT_REQUEST_BODY, 0, Duration.ZERO, offset);
    }

    /** Forwards, but resets the connection after this many response bytes (head included). */
    public static Fault resetAfterResponseBytes(long bytes) {
      return new Fault(Kind.RESET_MID_RESPONSE, 0, Duration.ZERO, bytes);
    }
  }

  private static final class Rule {
    final Fault fault;
    final Predicate<String> matches;
    int remaining;

    Rule(Fault fault, int remaining, Predicate<String> matches) {
      this.fault = fault;
      this.remaining = remaining;
      this.matches = matches;
    }
  }

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final ExecutorService threads;
  private final List<Rule> rules = new ArrayList<>();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final List<String> faultedLines = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private FaultyProxy(ServerSocket server, InetSocketAddress upstream) {
    this.server = server;
    this.upstream = upstream;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "faulty-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts a proxy on a free loopback port forwarding to {@code upstream} ({@code http://host:port}). */
  public static FaultyProxy start(URI upstream) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      FaultyProxy proxy = new FaultyProxy(server, new InetSocketAddress(upstream.getHost(), upstream.getPort()));
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code times} requests get {@code fault}. */
  public void inject(Fault fault, int times) {
    inject(fault, times, line -> true);
  }

  /**
   * The next {@code times} requests whose request line (e.g. {@code PUT /bucket/key?partNumber=2&...
   * HTTP/1.1}) matches get {@code fault}. Rules apply in the order given.
   */
  public synchronized void inject(Fault fault, int times, Predicate<String> requestLine) {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(requestLine, "requestLine");
    rules.add(new Rule(fault, times, requestLine));
  }

  /** Forgets faults not yet injected. */
  public synchronized void clearFaults() {
    rules.clear();
  }

  /** Request lines seen, in order of arrival. */
  public List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  /** Request lines that got a fault. */
  public List<String> faultedRequestLines() {
    return List.copyOf(faultedLines);
  }

  /** Faults still to inject. */
  public synchronized int pendingFaults() {
    return rules.stream().mapToInt(r -> r.remaining).sum();
  }

  private synchronized Fault take(String requestLine) {
    for (Rule r : rules) {
      if (r.remaining > 0 && r.matches.test(requestLine)) {
        r.remaining--;
        return r.fault;
      }
    }
    return null;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        threads.execute(() -> handle(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("[lifeboat-testkit] FaultyProxy accept failed: " + e);
        }
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String requestLine = head.get(0);
      requestLines.add(requestLine);
      Fault fault = take(requestLine);
      if (fault != null) {
        faultedLines.add(requestLine);
        switch (fault.kind()) {
          case STATUS -> {
            answerStatus(client, in, head, fault.status());
            return;
          }
          case RESET -> {
            reset(client);
            return;
          }
          case DELAY -> Thread.sleep(fault.delay().toMillis());
          case RESET_MID_RESPONSE, CORRUPT_REQUEST_BODY -> { }
        }
      }
      forward(client, in, head, fault != null && fault.kind() == Fault.Kind.RESET_MID_RESPONSE
          ? fault.afterBytes() : Long.MAX_VALUE,
          fault != null && fault.kind() == Fault.Kind.CORRUPT_REQUEST_BODY ? fault.afterBytes() : -1);
    } catch (IOException e) {
      // the client or upstream went away; nothing to report
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(Socket client, InputStream clientIn, List<String> head, long resetAfter, long corruptAt)
      throws IOException {
    try (Socket up = new Socket()) {
      up.connect(upstream, 5000);
      OutputStream upOut = up.getOutputStream();
      StringBuilder b = new StringBuilder();
      b.append(head.get(0)).append("\r\n");
      for (String h : head.subList(1, head.size())) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
          continue;
        }
        b.append(h).append("\r\n");
      }
      b.append("Connection: close\r\n\r\n");
      upOut.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      threads.execute(() -> {
        try {
          byte[] body = new byte[64 * 1024];
          long at = 0;
          for (int n; (n = clientIn.read(body)) > 0; at += n) {
            if (corruptAt >= at && corruptAt < at + n) {
              body[(int) (corruptAt - at)] ^= (byte) 0xff;
            }
            upOut.write(body, 0, n);
          }
          up.shutdownOutput();
        } catch (IOException e) {
          // the exchange ended
        }
      });
      InputStream upIn = up.getInputStream();
      OutputStream clientOut = client.getOutputStream();
      byte[] buffer = new byte[64 * 1024];
      long sent = 0;
      while (true) {
        int n = upIn.read(buffer);
        if (n < 0) {
          break;
        }
        if (sent + n > resetAfter) {
          clientOut.write(buffer, 0, (int) (resetAfter - sent));
          clientOut.flush();
          reset(client);
          return;
        }
        clientOut.write(buffer, 0, n);
        sent += n;
      }
      clientOut.flush();
    }
  }

  private static void answerStatus(Socket client, InputStream in, List<String> head, int status)
      throws IOException {
    boolean expectContinue = false;
    long contentLength = 0;
    for (String h : head.subList(1, head.size())) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("expect:") && lower.contains("100-continue")) {
        expectContinue = true;
      } else if (lower.startsWith("content-length:")) {
        contentLength = Long.parseLong(h.substring(h.indexOf(':') + 1).strip());
      }
    }
    if (!expectContinue) {
      in.skipNBytes(contentLength); // so the client is not reset while still sending its body
    }
    String code = switch (status) {
      case 503 -> "SlowDown";
      case 500 -> "InternalError";
      default -> "InjectedFault";
    };
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
        + "</Code><Message>injected by FaultyProxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
    String response = "HTTP/1.1 " + status + " " + code + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static void reset(Socket client) throws SocketException {
    client.setSoLinger(true, 0);
    try {
      client.close();
    } catch (IOException e) {
      // closing with linger 0 sends RST; an error here changes nothing
    }
  }

  /** Reads the request line and headers; empty when the client closed without a request. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int total = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return lines.isEmpty() && line.size() == 0 ? List.of() : lines;
      }
      if (++total > MAX_HEAD) {
        throw new IOException("request head too long");
      }
      if (c == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r")) {
          s = s.substring(0, s.length() - 1);
        }
        line.reset();
        if (s.isEmpty()) {
          return lines;
        }
        lines.add(s);
      } else {
        line.write(c);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    threads.shutdownNow();
  }
}
