package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import io.lifeboat.client.Secret;
import io.lifeboat.client.ConnectionException;
import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.client.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the server reaches etcd, with etcdctl's meaning for each setting. Endpoints are kept as
 * written ({@code [scheme://]host:port}); they were checked when the configuration was read.
 */
public record EtcdSettings(
    List<String> endpoints,
    Optional<Path> cacert,
    Optional<Path> cert,
    Optional<Path> key,
    Optional<String> user,
    Optional<Secret> password,
    boolean insecureSkipTlsVerify,
    Duration dialTimeout,
    Duration commandTimeout) {
  /** etcdctl's default endpoint. */
  public static final List<String> DEFAULT_ENDPOINTS = List.of("http://127.0.0.1:2379");
  public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  public EtcdSettings {
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(cacert, "cacert");
    requireNonNull(cert, "cert");
    requireNonNull(key, "key");
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    requireNonNull(dialTimeout, "dialTimeout");
    requireNonNull(commandTimeout, "commandTimeout");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is needed");
    }
    if (dialTimeout.isNegative() || dialTimeout.isZero() || commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /**
   * The client's settings for these values.
   *
   * @throws ConnectionException when an endpoint does not fit the TLS settings (an https endpoint
   *     and a plain http one mixed, for example)
   */
  public ConnectionSettings connectionSettings() throws ConnectionException {
    TlsSettings tls = new TlsSettings(cacert, cert, key, insecureSkipTlsVerify);
    return new ConnectionSettings(ConnectionSettings.parseEndpoints(String.join(",", endpoints), tls), tls, user,
        password, dialTimeout, commandTimeout);
  }
}
