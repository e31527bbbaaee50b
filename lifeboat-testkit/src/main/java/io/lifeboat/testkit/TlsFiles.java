package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * PEM files for a mutual-TLS cluster, all signed by one CA. The server certificate is also used
 * by peers and is valid for client and server authentication, as etcd's peers act as both.
 */
public record TlsFiles(
    Path caCert,
    Path serverCert,
    Path serverKey,
    Path peerCert,
    Path peerKey,
    Path clientCert,
    Path clientKey) {
  public TlsFiles {
    requireNonNull(caCert, "caCert");
    requireNonNull(serverCert, "serverCert");
    requireNonNull(serverKey, "serverKey");
    requireNonNull(peerCert, "peerCert");
    requireNonNull(peerKey, "peerKey");
    requireNonNull(clientCert, "clientCert");
    requireNonNull(clientKey, "clientKey");
  }
}
