package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * etcdctl's {@code --cacert}, {@code --cert}, {@code --key} and {@code --insecure-skip-tls-verify}.
 * The files are read and checked by {@link EtcdClient#connect}, not here.
 */
public record TlsSettings(
    Optional<Path> caCert, Optional<Path> cert, Optional<Path> key, boolean insecureSkipVerify) {
  public TlsSettings {
    requireNonNull(caCert, "caCert");
    requireNonNull(cert, "cert");
    requireNonNull(key, "key");
  }

  /** No TLS files: plain http endpoints, or https trusting the JVM's default CAs. */
  public static TlsSettings none() {
    return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  /** Whether any TLS option was given, so that endpoints without a scheme mean https. */
  public boolean configured() {
    return caCert.isPresent() || cert.isPresent() || key.isPresent() || insecureSkipVerify;
  }
}
