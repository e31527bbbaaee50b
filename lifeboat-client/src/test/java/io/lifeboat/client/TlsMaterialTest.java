package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testkit.CertificateAuthority;
import io.lifeboat.testkit.CertificateUsage;
import io.lifeboat.testkit.IssuedCertificate;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
  @TempDir Path dir;

  private static TlsSettings tls(Path ca, Path cert, Path key) {
    return new TlsSettings(
        Optional.ofNullable(ca), Optional.ofNullable(cert), Optional.ofNullable(key), false);
  }

  private static KeyPair keyPair(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair keys, String signature) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=test");
    var builder =
        new JcaX509v3CertificateBuilder(
            name, BigInteger.TEN, Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
  }

  /** "EC PRIVATE KEY" with the curve named inside, as openssl and kubeadm write it. */
  private static org.bouncycastle.util.io.pem.PemObject sec1(PrivateKey key) throws Exception {
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    var d = ((java.security.interfaces.ECPrivateKey) key).getS();
    var sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, d, info.getPrivateKeyAlgorithm().getParameters());
    return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded());
  }

  private Path pem(String name, Object... objects) throws Exception {
    Path file = dir.resolve(name);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    }
    return file;
  }

  @Test
  void readPrivateKey_pkcs1RsaAsKubeadmWritesIt() throws Exception {
    KeyPair keys = keyPair("RSA");
    Path key = pem("rsa.key", keys.getPrivate());
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    Path cert = pem("rsa.crt", selfSigned(keys, "SHA256withRSA"));
    PrivateKey loaded = TlsMaterial.readPrivateKey(key);
    assertThat(loaded.getAlgorithm()).isEqualTo("RSA");
    assertThat(TlsMaterial.load(tls(null, cert, key), InstantSource.system()).sslContext()).isNotNull();
  }

  @Test
  void readPrivateKey_sec1Ec() throws Exception {
    KeyPair keys = keyPair("EC");
    Path key = pem("ec.key", sec1(keys.getPrivate()));
    assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path cert = pem("ec.crt", selfSigned(keys, "SHA256withECDSA"));
    assertThat(TlsMaterial.readPrivateKey(key).getAlgorithm()).isIn("EC", "ECDSA");
    assertThat(TlsMaterial.load(tls(null, cert, key), InstantSource.system()).sslContext()).isNotNull();
  }

  @Test
  void readPrivateKey_pkcs8AsTheTestKitWritesIt() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("unit");
    IssuedCertificate client = ca.issue(dir, "client", CertificateUsage.CLIENT);
    assertThat(Files.readString(client.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
    assertThat(TlsMaterial.load(tls(caFile, client.cert(), client.key()), InstantSource.system()).sslContext())
        .isNotNull();
  }

  @Test
  void load_keyOfAnotherCertificateIsRejected() throws Exception {
    Path cert = pem("a.crt", selfSigned(keyPair("EC"), "SHA256withECDSA"));
    Path key = pem("b.key", sec1(keyPair("EC").getPrivate()));
    assertThatThrownBy(() -> TlsMaterial.load(tls(null, cert, key), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage(
            "--cert " + cert + " and --key " + key
                + " do not match: the key is not the private key of the certificate");
  }

  @Test
  void load_rsaKeyForEcCertificateIsRejected() throws Exception {
    Path cert = pem("a.crt", selfSigned(keyPair("EC"), "SHA256withECDSA"));
    Path key = pem("b.key", keyPair("RSA").getPrivate());
    assertThatThrownBy(() -> TlsMaterial.load(tls(null, cert, key), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("do not match");
  }

  @Test
  void load_expiredClientCertificateNamesTheDate() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("unit");
    IssuedCertificate expired = ca.issueExpired(dir, "old", CertificateUsage.CLIENT);
    Instant notAfter = expired.certificate().getNotAfter().toInstant();
    assertThatThrownBy(() -> TlsMaterial.load(tls(null, expired.cert(), expired.key()), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cert " + expired.cert() + " expired on " + notAfter);
  }

  @Test
  void load_certificateCheckedAgainstTheInjectedClock() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("unit");
    IssuedCertificate client = ca.issue(dir, "client", CertificateUsage.CLIENT);
    InstantSource future = InstantSource.fixed(Instant.now().plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> TlsMaterial.load(tls(null, client.cert(), client.key()), future))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("--cert " + client.cert() + " expired on ");
  }

  @Test
  void load_certWithoutKeyIsRejected() throws Exception {
    Path cert = pem("a.crt", selfSigned(keyPair("EC"), "SHA256withECDSA"));
    assertThatThrownBy(() -> TlsMaterial.load(tls(null, cert, null), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cert given without --key: give both or neither");
  }

  @Test
  void load_caFileThatIsNotACertificateIsRejected() throws Exception {
    KeyPair keys = keyPair("EC");
    Path notCert = pem("ca.pem", keys.getPrivate());
    assertThatThrownBy(() -> TlsMaterial.load(tls(notCert, null, null), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cacert " + notCert + ": not a PEM certificate (found a private key)");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
    assertThatThrownBy(() -> TlsMaterial.load(tls(garbage, null, null), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cacert " + garbage + ": not a PEM certificate (no CERTIFICATE block)");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsMaterial.load(tls(missing, null, null), InstantSource.system()))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cacert " + missing + ": cannot read (no such file)");
  }

  @Test
  void readPrivateKey_certificateInKeyFileIsRejectedWithoutEchoingContent() throws Exception {
    Path cert = pem("a.crt", selfSigned(keyPair("EC"), "SHA256withECDSA"));
    assertThatThrownBy(() -> TlsMaterial.readPrivateKey(cert))
        .isInstanceOf(ConnectionException.class)
        .hasMessage(
            "--key " + cert
                + ": not a PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }
}
