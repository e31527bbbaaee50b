package io.lifeboat.client;

import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to exactly one etcd member, with its auth token. Uses jetcd's generated
 * messages and method descriptors but none of jetcd's client machinery (no load balancing across
 * members, no hidden retries), so every failure belongs to one endpoint.
 */
final class EndpointChannel implements AutoCloseable {
  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  private static final int MAX_INBOUND_MESSAGE = 16 * 1024 * 1024;
  /**
   * HTTP/2 window per stream: the most a member can send ahead of what the snapshot writer has
   * taken. Bounds memory whatever the writer's speed; large enough to keep the link busy.
   */
  static final int FLOW_CONTROL_WINDOW = 4 * 1024 * 1024;
  private static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
  private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;
  private final Optional<String> user;
  private final Optional<Secret> password;
  private final Duration dialTimeout;
  private final Duration commandTimeout;
  private volatile Optional<String> token = Optional.empty();
  private volatile boolean authenticated;

  private EndpointChannel(
      URI endpoint,
      ManagedChannel channel,
      EventLoopGroup eventLoop,
      Optional<String> user,
      Optional<Secret> password,
      Duration dialTimeout,
      Duration commandTimeout) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.eventLoop = eventLoop;
    this.user = user;
    this.password = password;
    this.dialTimeout = dialTimeout;
    this.commandTimeout = commandTimeout;
  }

  static EndpointChannel open(
      URI endpoint, Optional<SslContext> tls, ConnectionSettings settings) {
    // One event-loop thread of our own per member, stopped by close(). gRPC's shared group lingers
    // a second after the last channel and its selector thread, parked in native code, makes the
    // JVM wait ~300 ms at System.exit for it to block; a channel uses one event loop anyway.
    EventLoopGroup eventLoop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("lifeboat-grpc", true), NioIoHandler.newFactory());
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .eventLoopGroup(eventLoop)
            .channelType(NioSocketChannel.class)
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, settings.dialTimeout().toMillis()))
            .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveWithoutCalls(false)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE)
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            .disableRetry()
            .directExecutor()
            .userAgent("lifeboat");
    if (endpoint.getScheme().equals("https")) {
      builder.useTransportSecurity();
      tls.ifPresent(builder::sslContext);
    } else {
      builder.usePlaintext();
    }
    ManagedChannel channel;
    try {
      channel = builder.build();
    } catch (RuntimeException | Error e) {
      eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    return new EndpointChannel(
        endpoint,
        channel,
        eventLoop,
        settings.user(),
        settings.password(),
        settings.dialTimeout(),
        settings.commandTimeout());
  }

  URI endpoint() {
    return endpoint;
  }

  /** Logs in once when a user is set; a no-op when auth is not enabled on the server. */
  void authenticate() {
    if (user.isEmpty() || authenticated) {
      return;
    }
    synchronized (this) {
      if (authenticated) {
        return;
      }
      AuthenticateRequest request =
          AuthenticateRequest.newBuilder()
              .setName(user.get())
              .setPassword(password.map(Secret::value).orElse(""))
              .build();
      try {
        String newToken =
            AuthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(unaryDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .authenticate(request)
                .getToken();
        token = newToken.isEmpty() ? Optional.empty() : Optional.of(newToken);
      } catch (StatusRuntimeException e) {
        String description = Optional.ofNullable(e.getStatus().getDescription()).orElse("");
        if (!description.toLowerCase(Locale.ROOT).contains("authentication is not enabled")) {
          throw e;
        }
        token = Optional.empty();
      }
      authenticated = true;
    }
  }

  /** A unary call with the command deadline (plus the dial timeout while connecting). */
  <Q, R> R unary(MethodDescriptor<Q, R> method, Q request) {
    authenticate();
    try {
      return ClientCalls.blockingUnaryCall(channel, method, unaryOptions(), request);
    } catch (StatusRuntimeException e) {
      if (!isTokenExpired(e)) {
        throw e;
      }
      authenticated = false;
      authenticate();
      return ClientCalls.blockingUnaryCall(channel, method, unaryOptions(), request);
    }
  }

  private CallOptions unaryOptions() {
    return CallOptions.DEFAULT.withDeadlineAfter(unaryDeadline().toMillis(), TimeUnit.MILLISECONDS)
        .withCallCredentials(new TokenCredentials(token));
  }

  /** A new streaming call without deadline, carrying the token; the caller starts it. */
  <Q, R> ClientCall<Q, R> newStreamingCall(MethodDescriptor<Q, R> method) {
    authenticate();
    return channel.newCall(method, CallOptions.DEFAULT.withCallCredentials(new TokenCredentials(token)));
  }

  private Duration unaryDeadline() {
    return dialTimeout.plus(commandTimeout);
  }

  private static boolean isTokenExpired(StatusRuntimeException e) {
    String description = Optional.ofNullable(e.getStatus().getDescription()).orElse("");
    return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED
        && description.contains("invalid auth token");
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
      // No quiet period: the channel is gone, nothing else runs on this loop.
      eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
