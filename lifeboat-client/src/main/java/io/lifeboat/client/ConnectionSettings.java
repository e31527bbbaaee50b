package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach etcd, with etcdctl's meaning for each flag: {@code --endpoints}, the TLS files,
 * {@code --user}/{@code --password}, {@code --dial-timeout} and {@code --command-timeout}.
 */
public record ConnectionSettings(
    List<URI> endpoints,
    TlsSettings tls,
    Optional<String> user,
    Optional<Secret> password,
    Duration dialTimeout,
    Duration commandTimeout) {
  /** etcdctl's default {@code --dial-timeout}. */
  public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(2);
  /** etcdctl's default {@code --command-timeout}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  static final int DEFAULT_PORT = 2379;
  private static final int MAX_SHOWN = 80;

  public ConnectionSettings {
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(tls, "tls");
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    requireNonNull(dialTimeout, "dialTimeout");
    requireNonNull(commandTimeout, "commandTimeout");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    if (dialTimeout.isNegative() || dialTimeout.isZero()) {
      throw new IllegalArgumentException("dialTimeout must be positive, not " + dialTimeout);
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive, not " + commandTimeout);
    }
  }

  /** Endpoints without TLS or auth, and etcdctl's default timeouts. */
  public static ConnectionSettings of(List<URI> endpoints) {
    return new ConnectionSettings(
        endpoints,
        TlsSettings.none(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_DIAL_TIMEOUT,
        DEFAULT_COMMAND_TIMEOUT);
  }

  public ConnectionSettings withTls(TlsSettings newTls) {
    return new ConnectionSettings(endpoints, newTls, user, password, dialTimeout, commandTimeout);
  }

  public ConnectionSettings withCredentials(String newUser, Secret newPassword) {
    return new ConnectionSettings(
        endpoints,
        tls,
        Optional.of(requireNonNull(newUser, "newUser")),
        Optional.of(requireNonNull(newPassword, "newPassword")),
        dialTimeout,
        commandTimeout);
  }

  public ConnectionSettings withTimeouts(Duration newDialTimeout, Duration newCommandTimeout) {
    return new ConnectionSettings(
        endpoints, tls, user, password, newDialTimeout, newCommandTimeout);
  }

  /**
   * Parses {@code --endpoints} as etcdctl does; an endpoint without a scheme means {@code http}.
   *
   * @throws ConnectionException naming the first value that is not {@code [scheme://]host:port}
   */
  public static List<URI> parseEndpoints(String commaSeparated) throws ConnectionException {
    return parseEndpoints(commaSeparated, TlsSettings.none());
  }

  /**
   * Parses {@code --endpoints}; an endpoint without a scheme means {@code https} when any TLS
   * option is given and {@code http} otherwise. Results are {@code scheme://host:port}, in order,
   * without duplicates.
   */
  public static List<URI> parseEndpoints(String commaSeparated, TlsSettings tls)
      throws ConnectionException {
    requireNonNull(commaSeparated, "commaSeparated");
    requireNonNull(tls, "tls");
    String defaultScheme = tls.configured() ? "https" : "http";
    List<URI> result = new ArrayList<>();
    for (String part : commaSeparated.split(",", -1)) {
      String value = part.strip();
      if (value.isEmpty()) {
        if (commaSeparated.isBlank()) {
          throw new ConnectionException("--endpoints is empty: give host:port[,host:port...]");
        }
        continue;
      }
      URI uri = parseOne(value, defaultScheme);
      if (!result.contains(uri)) {
        result.add(uri);
      }
    }
    if (result.isEmpty()) {
      throw new ConnectionException("--endpoints is empty: give host:port[,host:port...]");
    }
    return List.copyOf(result);
  }

  private static URI parseOne(String value, String defaultScheme) throws ConnectionException {
    String withScheme = value.contains("://") ? value : defaultScheme + "://" + value;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw invalid(value, "not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(value, "scheme must be http or https");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw invalid(value, "no host");
    }
    if (uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
      throw invalid(value, "only scheme://host:port is allowed");
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw invalid(value, "port out of range");
    }
    try {
      return new URI(scheme, null, host, port, null, null, null);
    } catch (URISyntaxException e) {
      throw invalid(value, "not a URL");
    }
  }

  private static ConnectionException invalid(String value, String why) {
    return new ConnectionException(
        String.format(
            Locale.ROOT,
            "--endpoints: '%s' is not a valid endpoint (%s); expected [http[s]://]host:port",
            truncate(value),
            why));
  }

  static String truncate(String value) {
    return value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "...";
  }
}
