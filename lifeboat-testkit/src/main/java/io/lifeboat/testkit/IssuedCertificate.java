package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

/** A PEM certificate and its PKCS#8 PEM private key (mode 0600) as written to disk. */
public record IssuedCertificate(Path cert, Path key, X509Certificate certificate) {
  public IssuedCertificate {
    requireNonNull(cert, "cert");
    requireNonNull(key, "key");
    requireNonNull(certificate, "certificate");
  }
}
