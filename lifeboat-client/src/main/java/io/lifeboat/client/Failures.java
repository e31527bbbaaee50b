package io.lifeboat.client;

import io.lifeboat.client.http2.NotHttp2Exception;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns gRPC failures into one-line {@link EtcdClientException}s that name the endpoint, and the
 * flag to fix when the cause is a setting. The only place that reads {@link GrpcCode}s.
 */
final class Failures {
  private final TlsSettings tls;
  private final Optional<String> user;
  private final Duration dialTimeout;

  Failures(TlsSettings tls, Optional<String> user, Duration dialTimeout) {
    this.tls = tls;
    this.user = user;
    this.dialTimeout = dialTimeout;
  }

  /**
   * @param operation what was being done, for messages: "status", "snapshot", ...
   * @param bytesSoFar snapshot bytes received before the failure, or -1 when not streaming
   */
  EtcdClientException translate(URI endpoint, String operation, Throwable failure, long bytesSoFar) {
    GrpcCode code;
    String description;
    if (failure instanceof GrpcException grpc) {
      code = grpc.code();
      description = grpc.description();
    } else {
      code = failure instanceof java.io.IOException ? GrpcCode.UNAVAILABLE : GrpcCode.UNKNOWN;
      description = Optional.ofNullable(failure.getMessage()).orElse("");
    }
    Optional<EtcdClientException> tlsFailure = tlsFailure(endpoint, failure);
    if (tlsFailure.isPresent()) {
      return tlsFailure.get();
    }
    NotHttp2Exception notHttp2 = find(failure, NotHttp2Exception.class);
    if (notHttp2 != null) {
      String message =
          String.format(
              Locale.ROOT,
              "%s did not answer in HTTP/2 as etcd's client port does (%s)%s",
              endpoint,
              notHttp2.answer(),
              endpoint.getScheme().equals("http") ? ": is it a TLS port? use https://" : "");
      // Another protocol's answer is a setting to fix; a closed connection may be a member going
      // down, which must not stop a save that other members can serve.
      return notHttp2.answeredInAnotherProtocol()
          ? new ConnectionException(message, failure)
          : new EtcdUnavailableException(message, failure);
    }
    String lower = description.toLowerCase(Locale.ROOT);
    if (lower.contains("authentication failed")) {
      return new EtcdAuthenticationException(
          String.format(
              Locale.ROOT,
              "etcd rejected user '%s': authentication failed (wrong user name or password)",
              userName()));
    }
    if (code == GrpcCode.PERMISSION_DENIED || lower.contains("permission denied")) {
      String hint =
          operation.equals("snapshot")
              ? String.format(
                  Locale.ROOT,
                  "snapshots need the root role: etcdctl role add root; etcdctl user grant-role %s root",
                  userName())
              : "check the user's roles";
      return new EtcdAuthenticationException(
          String.format(
              Locale.ROOT,
              "etcd at %s denied %s to user '%s': permission denied (%s)",
              endpoint,
              operation,
              userName(),
              hint));
    }
    if (lower.contains("user name is empty")
        || lower.contains("invalid auth token")
        || code == GrpcCode.UNAUTHENTICATED) {
      return new EtcdAuthenticationException(
          String.format(
              Locale.ROOT,
              "etcd at %s requires authentication for %s (%s): give --user and --password",
              endpoint,
              operation,
              Failures.shorten(description)));
    }
    String streamed =
        bytesSoFar > 0
            ? String.format(Locale.ROOT, " after %d bytes of snapshot", bytesSoFar)
            : "";
    Optional<String> network = networkCause(failure);
    if (code == GrpcCode.UNAVAILABLE && network.isPresent() && bytesSoFar <= 0) {
      return new EtcdUnavailableException(
          String.format(
              Locale.ROOT,
              "%s: unreachable after %s dial timeout (%s)",
              endpoint,
              format(dialTimeout),
              network.get()),
          failure);
    }
    boolean connectionLost = code == GrpcCode.UNAVAILABLE
        || (code == GrpcCode.UNKNOWN
            && (find(failure, java.nio.channels.ClosedChannelException.class) != null
                || description.toLowerCase(Locale.ROOT).contains("channel closed")));
    if (connectionLost && bytesSoFar <= 0) {
      // An established connection that broke (the member died or restarted) is as unreachable as
      // one that never connected.
      return new EtcdUnavailableException(
          String.format(
              Locale.ROOT,
              "%s: unreachable (%s failed: %s)",
              endpoint,
              operation,
              shorten(description.isEmpty() ? describe(failure) : description)),
          failure);
    }
    if (code == GrpcCode.DEADLINE_EXCEEDED) {
      return new EtcdUnavailableException(
          String.format(
              Locale.ROOT,
              "%s: %s timed out%s (%s)",
              endpoint,
              operation,
              streamed,
              shorten(description.isEmpty() ? "deadline exceeded" : description)),
          failure);
    }
    if (bytesSoFar > 0) {
      return new EtcdUnavailableException(
          String.format(
              Locale.ROOT,
              "%s: snapshot stream broke after %d bytes (%s: %s); try another member",
              endpoint,
              bytesSoFar,
              code,
              shorten(description.isEmpty() ? describe(failure) : description)),
          failure);
    }
    return new EtcdUnavailableException(
        String.format(
            Locale.ROOT,
            "%s: %s failed (%s: %s)",
            endpoint,
            operation,
            code,
            shorten(description.isEmpty() ? describe(failure) : description)),
        failure);
  }

  private Optional<EtcdClientException> tlsFailure(URI endpoint, Throwable failure) {
    SSLException ssl = find(failure, SSLException.class);
    if (ssl == null) {
      return Optional.empty();
    }
    String message = Optional.ofNullable(ssl.getMessage()).orElse("").toLowerCase(Locale.ROOT);
    String all = chainMessages(failure).toLowerCase(Locale.ROOT);
    if (find(failure, CertPathBuilderException.class) != null
        || find(failure, CertPathValidatorException.class) != null
            && !all.contains("expired")
        || all.contains("unable to find valid certification path")) {
      return Optional.of(
          new ConnectionException(
              tls.caCert().isPresent()
                  ? String.format(
                      Locale.ROOT,
                      "server certificate of %s is not signed by --cacert %s (unknown authority)",
                      endpoint,
                      tls.caCert().get())
                  : String.format(
                      Locale.ROOT,
                      "server certificate of %s is not signed by a CA this JVM trusts (unknown"
                          + " authority): give --cacert",
                      endpoint),
              failure));
    }
    if (find(failure, CertificateExpiredException.class) != null
        || all.contains("validity check failed")) {
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "server certificate of %s has expired or is not yet valid: renew it or check the"
                      + " clock",
                  endpoint),
              failure));
    }
    if (all.contains("no subject alternative") || all.contains("no name matching")) {
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "server certificate of %s is not valid for host %s (%s)",
                  endpoint,
                  endpoint.getHost(),
                  shorten(ssl.getMessage())),
              failure));
    }
    if (message.contains("certificate_required") && tls.cert().isPresent()) {
      // The JDK sends no certificate when ours is not issued by a CA the server asked for.
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "%s rejected the client certificate --cert %s (certificate_required): it is not"
                      + " issued by a CA the server trusts",
                  endpoint,
                  tls.cert().get()),
              failure));
    }
    if (message.contains("certificate_required")
        || (tls.cert().isEmpty() && message.contains("bad_certificate"))) {
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "%s requires a client certificate: give --cert and --key",
                  endpoint),
              failure));
    }
    if (message.contains("bad_certificate")
        || message.contains("unknown_ca")
        || message.contains("certificate_unknown")
        || message.contains("certificate_expired")
        || message.contains("access_denied")) {
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "%s rejected the client certificate --cert %s (%s): is it signed by a CA the"
                      + " server trusts, and still valid?",
                  endpoint,
                  tls.cert().map(Path::toString).orElse("(none)"),
                  shorten(ssl.getMessage())),
              failure));
    }
    if (message.contains("unsupported or unrecognized ssl message")) {
      return Optional.of(
          new ConnectionException(
              String.format(
                  Locale.ROOT, "%s does not speak TLS: use http:// or drop the TLS flags", endpoint),
              failure));
    }
    return Optional.of(
        new ConnectionException(
            String.format(
                Locale.ROOT, "%s: TLS handshake failed (%s)", endpoint, shorten(ssl.getMessage())),
            failure));
  }

  private static Optional<String> networkCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = Optional.ofNullable(t.getMessage()).orElse("").toLowerCase(Locale.ROOT);
      if (t instanceof SocketTimeoutException && message.contains("connect timed out")
          || message.contains("connection timed out")) {
        return Optional.of("connect timed out");
      }
      if (message.contains("connection refused")) {
        return Optional.of("connection refused");
      }
      if (t instanceof UnknownHostException) {
        return Optional.of("unknown host");
      }
      if (t instanceof NoRouteToHostException) {
        return Optional.of("no route to host");
      }
      if (t instanceof ConnectException) {
        return Optional.of(shorten(t.getMessage()));
      }
    }
    return Optional.empty();
  }

  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String chainMessages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private String userName() {
    return ConnectionSettings.truncate(user.orElse(""));
  }

  static String shorten(String message) {
    return TlsMaterial.oneLine(message);
  }

  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0
        ? String.format(Locale.ROOT, "%ds", millis / 1000)
        : String.format(Locale.ROOT, "%dms", millis);
  }
}
