package io.lifeboat.server.http;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.server.Readiness;
import io.lifeboat.server.SnapshotService;
import io.lifeboat.server.SnapshotTrigger;
import io.lifeboat.server.config.HttpSettings;
import io.lifeboat.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP listener: probes, metrics and the snapshot API (see the package documentation for the
 * endpoints and their answers). Requests are served by a few daemon threads, so a snapshot taken
 * through {@code POST /api/v1/snapshots} leaves the probes and {@code /metrics} answering.
 */
public final class ApiServer implements AutoCloseable {
  /** One long {@code POST}, a slow readiness check, a probe and a scrape at once. */
  static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService pool;

  private ApiServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Reads the token file, binds {@code settings.listen()} and starts serving. Without a token file
   * the API is open when {@code settings.allowUnauthenticatedLoopback()}, and refuses every request
   * otherwise; this method says nothing about it, the caller warns.
   *
   * @param problems gets a line (and stack trace) for each request that failed on a bug
   * @throws IOException when the token file is missing, unreadable or empty (the message names the
   *     file, never its content), or the address cannot be bound
   */
  public static ApiServer start(
      HttpSettings settings,
      SnapshotService service,
      SnapshotTrigger trigger,
      Readiness readiness,
      ServerMetrics metrics,
      java.util.function.Consumer<String> problems)
      throws IOException {
    Objects.requireNonNull(settings, "settings");
    ApiHandler handler = new ApiHandler(ApiAccess.from(settings), service, trigger, readiness, metrics, problems);
    HttpServer server;
    try {
      server = HttpServer.create(settings.listen(), 0);
    } catch (BindException e) {
      BindException described = new BindException(String.format(Locale.ROOT,
          "cannot listen on %s:%d: %s", settings.listen().getHostString(), settings.listen().getPort(),
          e.getMessage()));
      described.initCause(e);
      throw described;
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(pool);
    server.createContext("/", handler);
    server.start();
    return new ApiServer(server, pool);
  }

  /** The address listened on, with the port the system chose when port 0 was asked. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops listening, lets responses being written finish for up to a second (a snapshot taken
   * through the API has ended by the time the server closes this), then ends what remains.
   */
  @Override
  public void close() {
    // Drain first: the JDK's stop(delay) sleeps the whole delay even when nothing is in progress.
    pool.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    pool.shutdownNow();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "lifeboat-http-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
