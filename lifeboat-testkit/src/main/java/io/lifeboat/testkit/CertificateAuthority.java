package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A throw-away certificate authority for tests: issues member and client certificates valid for
 * {@code 127.0.0.1} and {@code localhost}, and the broken ones (expired, or signed by another CA
 * made with a second {@link #create}) that error-message tests need.
 *
 * <p>Keys are ECDSA P-256: fast to generate, and accepted by etcd (Go) and by Netty (jetcd).
 * Private keys are written as PKCS#8 PEM with mode 0600.
 */
public final class CertificateAuthority {
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final X500Name subject;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();

  private CertificateAuthority(
      X500Name subject, KeyPair keyPair, X509Certificate certificate, InstantSource clock) {
    this.subject = subject;
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.clock = clock;
  }

  /** A new CA whose certificate is valid from an hour ago for two days. */
  public static CertificateAuthority create(String commonName) {
    return create(commonName, InstantSource.system());
  }

  public static CertificateAuthority create(String commonName, InstantSource clock) {
    requireNonNull(commonName, "commonName");
    requireNonNull(clock, "clock");
    KeyPair keyPair = newKeyPair();
    X500Name subject = new X500Name("CN=" + commonName + ",O=Lifeboat tests");
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(new SecureRandom()),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(VALIDITY)),
                  subject,
                  keyPair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      X509Certificate certificate = sign(builder, keyPair);
      return new CertificateAuthority(subject, keyPair, certificate, clock);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create test CA " + commonName, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes this CA's certificate as PEM to {@code file} and returns it. */
  public Path writeCertificate(Path file) {
    requireNonNull(file, "file");
    writePem(file, certificate, false);
    return file;
  }

  /**
   * Writes the CA certificate, one member certificate (used for both client and peer traffic) and
   * one client certificate into {@code dir}, creating it if needed.
   */
  public TlsFiles writeTlsFiles(Path dir) {
    requireNonNull(dir, "dir");
    createDirectories(dir);
    Path ca = writeCertificate(dir.resolve("ca.crt"));
    IssuedCertificate server = issue(dir, "server", CertificateUsage.SERVER);
    IssuedCertificate peer = issue(dir, "peer", CertificateUsage.SERVER);
    IssuedCertificate client = issue(dir, "client", CertificateUsage.CLIENT);
    return new TlsFiles(
        ca, server.cert(), server.key(), peer.cert(), peer.key(), client.cert(), client.key());
  }

  /** A certificate valid from an hour ago for two days, written to {@code dir/name.crt|.key}. */
  public IssuedCertificate issue(Path dir, String name, CertificateUsage usage) {
    Instant now = clock.instant();
    return issue(dir, name, usage, now.minus(BACKDATE), now.plus(VALIDITY));
  }

  /** A certificate that expired a day ago (valid for one hour two days ago). */
  public IssuedCertificate issueExpired(Path dir, String name, CertificateUsage usage) {
    Instant now = clock.instant();
    return issue(dir, name, usage, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
  }

  /** A certificate for {@code 127.0.0.1} and {@code localhost} with the given validity. */
  public IssuedCertificate issue(
      Path dir, String name, CertificateUsage usage, Instant notBefore, Instant notAfter) {
    requireNonNull(dir, "dir");
    requireNonNull(name, "name");
    requireNonNull(usage, "usage");
    requireNonNull(notBefore, "notBefore");
    requireNonNull(notAfter, "notAfter");
    KeyPair leafKeys = newKeyPair();
    KeyPurposeId[] purposes =
        usage == CertificateUsage.SERVER
            ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
            : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      GeneralNames altNames =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                new GeneralName(GeneralName.dNSName, "localhost")
              });
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(random),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  new X500Name("CN=" + name + ",O=Lifeboat tests"),
                  leafKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(Extension.subjectAlternativeName, false, altNames)
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(leafKeys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(builder, keyPair);
      createDirectories(dir);
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      writePem(certFile, leaf, false);
      writePem(keyFile, new JcaPKCS8Generator(leafKeys.getPrivate(), null), true);
      return new IssuedCertificate(certFile, keyFile, leaf);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue test certificate " + name, e);
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode the key of test certificate " + name, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(63, random).add(BigInteger.ONE);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static void writePem(Path file, Object pemObject, boolean secret) {
    try {
      Files.deleteIfExists(file);
      if (secret) {
        // Created 0600 before any byte is written, so the key is never readable by others.
        Files.createFile(
            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (Writer out =
              Files.newBufferedWriter(
                  file,
                  StandardCharsets.US_ASCII,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE);
          JcaPEMWriter pem = new JcaPEMWriter(out)) {
        if (pemObject instanceof PemObjectGenerator generator) {
          pem.writeObject(generator);
        } else {
          pem.writeObject(pemObject);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
