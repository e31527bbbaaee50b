package io.lifeboat.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A running {@code bin/lifeboat server}: its log lines as they come, its HTTP address, and signals. */
final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the server listening on {@code port}; stdout and stderr both go to {@code log}. */
  static ServerProcess start(Path log, int port, Map<String, String> environment, String... args) {
    ProcessBuilder builder = LifeboatProcess.builder(environment, args).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    try {
      return new ServerProcess(builder.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> lines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long count(String needle) {
    return lines().stream().filter(l -> l.contains(needle)).count();
  }

  /** Waits until {@code condition} holds of the log lines; fails with the log when it does not in time. */
  List<String> awaitLog(Predicate<List<String>> condition, Duration timeout, String what) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<String> lines = lines();
      if (condition.test(lines)) {
        return lines;
      }
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue() + " before " + what + ":\n"
            + String.join("\n", lines));
      }
      pause(100);
    }
    throw new AssertionError("no " + what + " within " + timeout + ":\n" + String.join("\n", lines()));
  }

  List<String> awaitCount(String needle, long count, Duration timeout) {
    return awaitLog(lines -> lines.stream().filter(l -> l.contains(needle)).count() >= count, timeout,
        count + " x '" + needle + "'");
  }

  /** Waits until the HTTP listener answers /healthz. */
  void awaitListening(Duration timeout) {
    awaitLog(lines -> lines.stream().anyMatch(l -> l.contains("msg=Listening") || l.contains("\"msg\":\"Listening\"")),
        timeout, "Listening line");
  }

  HttpResponse<String> get(String path, Optional<String> token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b.build());
  }

  HttpResponse<String> post(String path, Optional<String> token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.noBody());
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b.build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then the exit code. */
  int terminate(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("server did not exit within " + timeout + ":\n" + String.join("\n", lines()));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
