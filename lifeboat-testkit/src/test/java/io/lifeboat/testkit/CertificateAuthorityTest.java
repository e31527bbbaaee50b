package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir Path dir;

  @Test
  void tlsFiles_areSignedByTheCa_forLoopback_withPrivateKeys() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test-ca");
    TlsFiles files = ca.writeTlsFiles(dir);

    X509Certificate caCert = read(files.caCert());
    X509Certificate server = read(files.serverCert());
    server.verify(caCert.getPublicKey());
    server.checkValidity();
    List<Object> altNames =
        server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList();
    assertThat(altNames).containsExactlyInAnyOrder("127.0.0.1", "localhost");
    assertThat(server.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(read(files.clientCert()).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    for (Path key : List.of(files.serverKey(), files.peerKey(), files.clientKey())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  @Test
  void expiredCertificate_failsValidity() throws Exception {
    IssuedCertificate expired =
        CertificateAuthority.create("test-ca").issueExpired(dir, "old", CertificateUsage.CLIENT);

    assertThatThrownBy(read(expired.cert())::checkValidity)
        .isInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void certificateFromAnotherCa_doesNotVerifyAgainstThisCa() throws Exception {
    CertificateAuthority ours = CertificateAuthority.create("ours");
    IssuedCertificate foreign =
        CertificateAuthority.create("theirs").issue(dir, "foreign", CertificateUsage.CLIENT);

    assertThatThrownBy(() -> read(foreign.cert()).verify(ours.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
