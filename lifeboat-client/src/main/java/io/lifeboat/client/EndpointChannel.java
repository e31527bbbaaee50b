package io.lifeboat.client;

import io.lifeboat.client.http2.DeadlineExceededException;
import io.lifeboat.client.http2.Http2Connection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Calls to exactly one etcd member, with its auth token: no load balancing across members and no
 * hidden retries, so every failure belongs to one endpoint. A call runs on the caller's thread
 * over an HTTP/2 connection of its own; a connection left in good order is kept for the next
 * call, so a save dials each member once.
 */
final class EndpointChannel implements AutoCloseable {
  private final URI endpoint;
  private final Optional<SSLContext> tls;
  private final boolean verifyHost;
  private final Optional<String> user;
  private final Optional<Secret> password;
  private final Duration dialTimeout;
  private final Duration commandTimeout;
  private final Set<Http2Connection> open = ConcurrentHashMap.newKeySet();
  /** Guards {@link #idle}; never held during I/O, so {@link #close} never waits for a call. */
  private final Object connections = new Object();
  private final Object login = new Object();
  private Optional<Http2Connection> idle = Optional.empty();
  private volatile Optional<String> token = Optional.empty();
  private volatile boolean authenticated;
  private volatile boolean closed;

  private EndpointChannel(
      URI endpoint, Optional<SSLContext> tls, boolean verifyHost, ConnectionSettings settings) {
    this.endpoint = endpoint;
    this.tls = endpoint.getScheme().equals("https") ? tls : Optional.empty();
    this.verifyHost = verifyHost;
    this.user = settings.user();
    this.password = settings.password();
    this.dialTimeout = settings.dialTimeout();
    this.commandTimeout = settings.commandTimeout();
  }

  /** Connects lazily, on the first call. */
  static EndpointChannel open(URI endpoint, Optional<SSLContext> tls, ConnectionSettings settings) {
    return new EndpointChannel(endpoint, tls, !settings.tls().insecureSkipVerify(), settings);
  }

  URI endpoint() {
    return endpoint;
  }

  /** Logs in once when a user is set; a no-op when auth is not enabled on the server. */
  void authenticate() throws GrpcException {
    if (user.isEmpty() || authenticated) {
      return;
    }
    synchronized (login) {
      if (!authenticated) {
        logIn();
      }
    }
  }

  private void logIn() throws GrpcException {
    byte[] request =
        EtcdMessages.authenticateRequest(user.get(), password.map(Secret::value).orElse(""));
    try {
      String newToken =
          EtcdMessages.token(
              call(
                  EtcdMessages.AUTHENTICATE,
                  request,
                  Optional.empty(),
                  Optional.of(dialTimeout.plus(commandTimeout))));
      token = newToken.isEmpty() ? Optional.empty() : Optional.of(newToken);
    } catch (GrpcException e) {
      if (!e.description().toLowerCase(Locale.ROOT).contains("authentication is not enabled")) {
        throw e;
      }
      token = Optional.empty();
    }
    authenticated = true;
  }

  /**
   * A unary call with the command deadline (plus the dial timeout while connecting); the response
   * message is a copy the caller keeps.
   */
  ByteBuffer unary(String method, byte[] request) throws GrpcException {
    return unary(method, request, Optional.of(dialTimeout.plus(commandTimeout)));
  }

  /**
   * A unary call that waits as long as the server takes (an election campaign waits to be
   * elected); interrupting the thread or closing the channel ends it.
   */
  ByteBuffer awaiting(String method, byte[] request) throws GrpcException {
    return unary(method, request, Optional.empty());
  }

  private ByteBuffer unary(String method, byte[] request, Optional<Duration> bound)
      throws GrpcException {
    authenticate();
    try {
      return call(method, request, token, bound);
    } catch (GrpcException e) {
      if (!isTokenExpired(e)) {
        throw e;
      }
      authenticated = false;
      authenticate();
      return call(method, request, token, bound);
    }
  }

  /** A server-streaming call without deadline, carrying the token; close it when done. */
  StreamingCall stream(String method, byte[] request) throws GrpcException {
    authenticate();
    StreamingCall call = new StreamingCall(method, request);
    call.start();
    return call;
  }

  /**
   * One streaming call; messages are views valid until the next one. Like a unary call, it is
   * started once more on a new connection when a kept one fails before the server answered.
   */
  final class StreamingCall implements AutoCloseable {
    private final String method;
    private final byte[] request;
    private Http2Connection connection;
    private boolean kept;
    private Optional<GrpcCall> call = Optional.empty();
    private boolean done;

    private StreamingCall(String method, byte[] request) {
      this.method = method;
      this.request = request;
    }

    /** Sends the request on the kept connection, or on a new one. */
    private void start() throws GrpcException {
      Optional<Http2Connection> idleConnection = takeIdle();
      kept = idleConnection.isPresent();
      connection =
          kept ? idleConnection.get() : dial(System.nanoTime() + dialTimeout.toNanos());
      send();
    }

    private void send() throws GrpcException {
      try {
        call = Optional.of(GrpcCall.start(connection, method, request, token, Optional.empty()));
      } catch (IOException e) {
        startAgainOrFail(e);
      }
    }

    /** The next message, or empty at the end of a call that ended OK. */
    Optional<ByteBuffer> next() throws GrpcException {
      try {
        return call.orElseThrow().nextMessage(Long.MAX_VALUE);
      } catch (IOException e) {
        startAgainOrFail(e);
        return next();
      }
    }

    /**
     * After a transport failure: the call starts again on a new connection when it was on a kept
     * one and the server had answered nothing; else it fails.
     */
    private void startAgainOrFail(IOException e) throws GrpcException {
      discard(connection);
      boolean answered = call.map(GrpcCall::answered).orElse(false);
      if (!kept || answered || e instanceof InterruptedIOException) {
        throw transportFailure(e);
      }
      kept = false;
      call = Optional.empty();
      connection = dial(System.nanoTime() + dialTimeout.toNanos());
      send();
    }

    /** Gives the connection back when the call ended in good order, else cancels and drops it. */
    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      if (call.isPresent() && call.get().isOver()) {
        release(connection);
        return;
      }
      // Telling the server is a courtesy: the connection goes either way. (No call when starting
      // again on a new connection failed.)
      if (call.isPresent()) {
        try {
          call.get().cancel();
        } catch (IOException e) {
          // Dropped below.
        }
      }
      discard(connection);
    }
  }

  /**
   * A call on the idle connection, or on a new one. A kept connection the server has closed
   * meanwhile (a restart, an idle timeout, GOAWAY) fails before any answer: the call is made once
   * more on a new connection, as HTTP clients do. etcd's calls we make are safe to repeat.
   */
  private ByteBuffer call(
      String method, byte[] request, Optional<String> callToken, Optional<Duration> bound)
      throws GrpcException {
    long deadline = bound.map(b -> System.nanoTime() + b.toNanos()).orElse(Long.MAX_VALUE);
    Optional<Http2Connection> kept = takeIdle();
    if (kept.isPresent()) {
      try {
        return callOn(kept.get(), method, request, callToken, bound, deadline);
      } catch (Unanswered e) {
        // Once more below, on a new connection.
      }
    }
    long dialDeadline = bound.isPresent() ? deadline : System.nanoTime() + dialTimeout.toNanos();
    try {
      return callOn(dial(dialDeadline), method, request, callToken, bound, deadline);
    } catch (Unanswered e) {
      throw e.failure;
    }
  }

  /** A transport failure before the server answered anything: the call may be repeated. */
  private static final class Unanswered extends Exception {
    private static final long serialVersionUID = 1L;
    private final GrpcException failure;

    Unanswered(GrpcException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  private ByteBuffer callOn(
      Http2Connection connection,
      String method,
      byte[] request,
      Optional<String> callToken,
      Optional<Duration> bound,
      long deadline)
      throws GrpcException, Unanswered {
    Optional<GrpcCall> started = Optional.empty();
    try {
      GrpcCall call = GrpcCall.start(connection, method, request, callToken, bound);
      started = Optional.of(call);
      Optional<ByteBuffer> response = call.nextMessage(deadline);
      if (response.isEmpty()) {
        throw new GrpcException(GrpcCode.INTERNAL, method + ": the response has no message");
      }
      ByteBuffer copy = ByteBuffer.allocate(response.get().remaining());
      copy.put(response.get()).flip();
      if (call.nextMessage(deadline).isPresent()) {
        throw new GrpcException(GrpcCode.INTERNAL, method + ": more than one response message");
      }
      release(connection);
      return copy;
    } catch (DeadlineExceededException e) {
      discard(connection);
      throw new GrpcException(
          GrpcCode.DEADLINE_EXCEEDED,
          String.format(
              Locale.ROOT, "deadline exceeded after %s", Failures.format(bound.orElseThrow())),
          e);
    } catch (IOException e) {
      discard(connection);
      GrpcException failure = transportFailure(e);
      if (!(e instanceof InterruptedIOException) && !started.map(GrpcCall::answered).orElse(false)) {
        throw new Unanswered(failure);
      }
      throw failure;
    } catch (GrpcException | RuntimeException e) {
      // A call that ended with a status leaves the connection in order; anything else does not.
      if (e instanceof GrpcException g && isStatusFromServer(g)) {
        release(connection);
      } else {
        discard(connection);
      }
      throw e;
    }
  }

  private Optional<Http2Connection> takeIdle() throws GrpcException {
    synchronized (connections) {
      if (closed) {
        throw new GrpcException(GrpcCode.CANCELLED, "the client is closed");
      }
      Optional<Http2Connection> kept = idle;
      idle = Optional.empty();
      if (kept.isPresent() && !kept.get().reusable()) {
        discard(kept.get());
        return Optional.empty();
      }
      return kept;
    }
  }

  /** A new connection, dialed within {@code deadline}. */
  private Http2Connection dial(long deadline) throws GrpcException {
    long remaining = Math.max(1, Math.min(dialTimeout.toNanos(), deadline - System.nanoTime()));
    try {
      Http2Connection connection =
          Http2Connection.open(
              endpoint.getHost(), endpoint.getPort(), tls, verifyHost, Duration.ofNanos(remaining));
      open.add(connection);
      if (closed) {
        discard(connection);
        throw new GrpcException(GrpcCode.CANCELLED, "the client is closed");
      }
      return connection;
    } catch (IOException e) {
      throw transportFailure(e);
    }
  }

  private void release(Http2Connection connection) {
    synchronized (connections) {
      if (!closed && idle.isEmpty() && connection.reusable()) {
        idle = Optional.of(connection);
        return;
      }
    }
    discard(connection);
  }

  private void discard(Http2Connection connection) {
    open.remove(connection);
    connection.close();
  }

  /** A failure of the connection, as the gRPC status a gRPC client would give it. */
  private static GrpcException transportFailure(IOException e) {
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return new GrpcException(GrpcCode.CANCELLED, "interrupted", e);
    }
    String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    return new GrpcException(GrpcCode.UNAVAILABLE, message, e);
  }

  private static boolean isStatusFromServer(GrpcException e) {
    return e.getCause() == null && e.code() != GrpcCode.INTERNAL;
  }

  private static boolean isTokenExpired(GrpcException e) {
    return e.code() == GrpcCode.UNAUTHENTICATED && e.description().contains("invalid auth token");
  }

  /** Closes every connection, unblocking calls in progress on other threads. */
  @Override
  public void close() {
    synchronized (connections) {
      closed = true;
      idle = Optional.empty();
    }
    open.forEach(Http2Connection::close);
    open.clear();
  }
}
