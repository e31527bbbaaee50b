package io.lifeboat.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcdctl's global connection flags, with its names, defaults and environment variables, so an
 * existing {@code etcdctl} command line works with {@code bin/lifeboat} in its place. Only plain
 * JDK types here: picocli loads the field types of every command at start-up. The password has
 * no environment-sourced default, so {@code --help} can never print it.
 */
public final class EtcdConnectionOptions {
  @Option(names = "--endpoints", paramLabel = "URLS", scope = ScopeType.INHERIT,
      defaultValue = "${env:ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}",
      description = "gRPC endpoints, comma-separated (env ETCDCTL_ENDPOINTS; default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--cacert", paramLabel = "FILE", scope = ScopeType.INHERIT, defaultValue = "${env:ETCDCTL_CACERT}",
      description = "Verify the servers' certificates with this CA bundle (env ETCDCTL_CACERT).")
  Path cacert;

  @Option(names = "--cert", paramLabel = "FILE", scope = ScopeType.INHERIT, defaultValue = "${env:ETCDCTL_CERT}",
      description = "Client certificate for mutual TLS (env ETCDCTL_CERT).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", scope = ScopeType.INHERIT, defaultValue = "${env:ETCDCTL_KEY}",
      description = "Private key of the client certificate (env ETCDCTL_KEY).")
  Path key;

  @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT,
      description = "Do not verify the servers' certificates (testing only).")
  boolean insecureSkipTlsVerify;

  @Option(names = "--user", paramLabel = "USER[:PASSWORD]", scope = ScopeType.INHERIT, defaultValue = "${env:ETCDCTL_USER}",
      description = "User name for etcd authentication, optionally with ':password' as etcdctl accepts (env ETCDCTL_USER).")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD", scope = ScopeType.INHERIT,
      description = "Password for --user; also read from the environment variable ETCDCTL_PASSWORD. Never printed.")
  String password;

  @Option(names = "--dial-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "2s",
      description = "Timeout to connect to each endpoint, Go duration (default: ${DEFAULT-VALUE}).")
  String dialTimeout;

  @Option(names = "--command-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "5s",
      description = "Timeout of short requests such as a member's status (default: ${DEFAULT-VALUE}).")
  String commandTimeout;

  public String endpoints() {
    return endpoints;
  }

  public Optional<Path> cacert() {
    return Optional.ofNullable(cacert);
  }

  public Optional<Path> cert() {
    return Optional.ofNullable(cert);
  }

  public Optional<Path> key() {
    return Optional.ofNullable(key);
  }

  public boolean insecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  /** The user name, without a password given as {@code user:password}. */
  public Optional<String> user() {
    if (user == null || user.isEmpty()) {
      return Optional.empty();
    }
    int colon = user.indexOf(':');
    return Optional.of(colon < 0 ? user : user.substring(0, colon));
  }

  /** --password, else the part after ':' of --user, else ETCDCTL_PASSWORD. */
  public Optional<String> password(Map<String, String> environment) {
    if (password != null) {
      return Optional.of(password);
    }
    if (user != null && user.indexOf(':') >= 0) {
      return Optional.of(user.substring(user.indexOf(':') + 1));
    }
    return Optional.ofNullable(environment.get("ETCDCTL_PASSWORD"));
  }

  public Duration dialTimeout() {
    return GoDuration.parse("--dial-timeout", dialTimeout);
  }

  public Duration commandTimeout() {
    return GoDuration.parse("--command-timeout", commandTimeout);
  }
}
