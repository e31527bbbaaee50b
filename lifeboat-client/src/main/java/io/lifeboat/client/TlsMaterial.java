package io.lifeboat.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS files of {@link TlsSettings}, read and checked before any connection: PEM format, key
 * formats (PKCS#8, PKCS#1 RSA, SEC1 EC), validity dates and that the key belongs to the
 * certificate. Each problem becomes one {@link ConnectionException} naming the flag and file.
 */
final class TlsMaterial {
  private final List<X509Certificate> trusted;
  private final List<X509Certificate> clientChain;
  private final Optional<PrivateKey> clientKey;
  private final boolean insecureSkipVerify;

  private TlsMaterial(
      List<X509Certificate> trusted,
      List<X509Certificate> clientChain,
      Optional<PrivateKey> clientKey,
      boolean insecureSkipVerify) {
    this.trusted = trusted;
    this.clientChain = clientChain;
    this.clientKey = clientKey;
    this.insecureSkipVerify = insecureSkipVerify;
  }

  static TlsMaterial load(TlsSettings settings, InstantSource clock) throws ConnectionException {
    if (settings.cert().isPresent() && settings.key().isEmpty()) {
      throw new ConnectionException("--cert given without --key: give both or neither");
    }
    if (settings.key().isPresent() && settings.cert().isEmpty()) {
      throw new ConnectionException("--key given without --cert: give both or neither");
    }
    Instant now = clock.instant();
    List<X509Certificate> trusted = List.of();
    if (settings.caCert().isPresent()) {
      Path ca = settings.caCert().get();
      trusted = readCertificates("--cacert", ca);
      for (X509Certificate cert : trusted) {
        checkDates("--cacert", ca, cert, now);
      }
    }
    List<X509Certificate> chain = List.of();
    Optional<PrivateKey> key = Optional.empty();
    if (settings.cert().isPresent()) {
      Path certFile = settings.cert().get();
      Path keyFile = settings.key().orElseThrow();
      chain = readCertificates("--cert", certFile);
      checkDates("--cert", certFile, chain.get(0), now);
      PrivateKey privateKey = readPrivateKey(keyFile);
      if (!matches(privateKey, chain.get(0).getPublicKey())) {
        throw new ConnectionException(
            String.format(
                Locale.ROOT,
                "--cert %s and --key %s do not match: the key is not the private key of the"
                    + " certificate",
                certFile,
                keyFile));
      }
      key = Optional.of(privateKey);
    }
    return new TlsMaterial(trusted, chain, key, settings.insecureSkipVerify());
  }

  /**
   * A client context trusting {@code --cacert}, or the JVM's CAs without it, presenting {@code
   * --cert} when given; with {@code --insecure-skip-tls-verify}, trusting any server.
   */
  SSLContext sslContext() throws ConnectionException {
    try {
      KeyManager[] keyManagers = null;
      if (clientKey.isPresent()) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client", clientKey.get(), new char[0], clientChain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        keyManagers = factory.getKeyManagers();
      }
      TrustManager[] trustManagers = null;
      if (insecureSkipVerify) {
        trustManagers = new TrustManager[] {new TrustingEveryServer()};
      } else if (!trusted.isEmpty()) {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
          anchors.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        trustManagers = factory.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new ConnectionException(
          "cannot set up TLS with the given certificates: " + oneLine(e.getMessage()), e);
    }
  }

  /** --insecure-skip-tls-verify: any server certificate, no host name check (as etcdctl). */
  private static final class TrustingEveryServer extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  static List<X509Certificate> readCertificates(String flag, Path file) throws ConnectionException {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = open(flag, file);
        PEMParser parser = new PEMParser(reader)) {
      Object object;
      while ((object = readPem(flag, file, parser)) != null) {
        if (object instanceof X509CertificateHolder holder) {
          certs.add(converter.getCertificate(holder));
        } else {
          throw new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "%s %s: not a PEM certificate (found %s)",
                  flag,
                  file,
                  describe(object)));
        }
      }
    } catch (ConnectionException e) {
      throw e;
    } catch (CertificateException e) {
      throw new ConnectionException(
          String.format(Locale.ROOT, "%s %s: not a PEM certificate (%s)", flag, file, oneLine(e.getMessage())));
    } catch (IOException e) {
      throw readFailure(flag, file, e);
    }
    if (certs.isEmpty()) {
      throw new ConnectionException(
          String.format(Locale.ROOT, "%s %s: not a PEM certificate (no CERTIFICATE block)", flag, file));
    }
    return List.copyOf(certs);
  }

  static PrivateKey readPrivateKey(Path file) throws ConnectionException {
    String flag = "--key";
    try (Reader reader = open(flag, file);
        PEMParser parser = new PEMParser(reader)) {
      Object object;
      while ((object = readPem(flag, file, parser)) != null) {
        if (object instanceof PrivateKeyInfo info) {
          return toPrivateKey(file, info);
        } else if (object instanceof PEMKeyPair pair) {
          return toPrivateKey(file, pair.getPrivateKeyInfo());
        } else if (object instanceof PEMEncryptedKeyPair
            || object instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new ConnectionException(
              String.format(
                  Locale.ROOT,
                  "--key %s: the private key is encrypted; give an unencrypted key (as etcdctl needs)",
                  file));
        }
        // Skip EC PARAMETERS and other blocks that may precede the key, as openssl writes them.
      }
    } catch (ConnectionException e) {
      throw e;
    } catch (org.bouncycastle.openssl.PEMException e) {
      throw new ConnectionException(
          String.format(Locale.ROOT, "--key %s: unsupported or damaged private key (%s)", file, "cannot convert"));
    } catch (IOException e) {
      throw readFailure(flag, file, e);
    }
    throw new ConnectionException(
        String.format(
            Locale.ROOT,
            "--key %s: not a PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)",
            file));
  }

  /** PKCS#8 bytes to a JDK key; the JDK names EC keys "EC" where Bouncy Castle says "ECDSA". */
  private static PrivateKey toPrivateKey(Path file, PrivateKeyInfo info) throws IOException {
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    String algorithm =
        switch (oid) {
          case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10" -> "RSA";
          case "1.2.840.10045.2.1" -> "EC";
          case "1.3.101.112" -> "Ed25519";
          case "1.3.101.113" -> "Ed448";
          default -> throw new ConnectionException(
              String.format(Locale.ROOT, "--key %s: unsupported key algorithm %s", file, oid));
        };
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new ConnectionException(
          String.format(
              Locale.ROOT, "--key %s: damaged %s private key (%s)", file, algorithm, e.getClass().getSimpleName()), e);
    }
  }

  private static Object readPem(String flag, Path file, PEMParser parser) throws ConnectionException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      // Never echo the content: it may be key material.
      throw new ConnectionException(
          String.format(Locale.ROOT, "%s %s: not valid PEM (%s)", flag, file, e.getClass().getSimpleName()));
    }
  }

  private static Reader open(String flag, Path file) throws ConnectionException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw readFailure(flag, file, e);
    }
  }

  private static ConnectionException readFailure(String flag, Path file, IOException e) {
    String why;
    if (e instanceof NoSuchFileException) {
      why = "no such file";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof java.nio.charset.MalformedInputException) {
      why = "not a PEM file (binary content; DER is not supported)";
    } else {
      why = e.getClass().getSimpleName();
    }
    return new ConnectionException(String.format(Locale.ROOT, "%s %s: cannot read (%s)", flag, file, why));
  }

  private static void checkDates(String flag, Path file, X509Certificate cert, Instant now)
      throws ConnectionException {
    Instant notAfter = cert.getNotAfter().toInstant();
    Instant notBefore = cert.getNotBefore().toInstant();
    if (now.isAfter(notAfter)) {
      throw new ConnectionException(
          String.format(Locale.ROOT, "%s %s expired on %s", flag, file, notAfter));
    }
    if (now.isBefore(notBefore)) {
      throw new ConnectionException(
          String.format(
              Locale.ROOT, "%s %s is not valid before %s (check the clock)", flag, file, notBefore));
    }
  }

  /** Whether {@code key} is the private half of {@code publicKey}: sign and verify a nonce. */
  static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> "";
        };
    if (algorithm.isEmpty() || !sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
      return false;
    }
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(nonce);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean sameFamily(String keyAlgorithm, String publicAlgorithm) {
    String a = keyAlgorithm.equals("ECDSA") ? "EC" : keyAlgorithm;
    String b = publicAlgorithm.equals("ECDSA") ? "EC" : publicAlgorithm;
    return a.equals(b) || (a.startsWith("Ed") && b.startsWith("Ed"));
  }

  private static String describe(Object object) {
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    return object.getClass().getSimpleName();
  }

  static String oneLine(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
