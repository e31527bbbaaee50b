package io.lifeboat.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests: S3Proxy (filesystem backend, AWS v2/v4 signatures, random
 * credentials) started as its own {@code java -jar} process on a free loopback port, with
 * {@code s3proxy.ignore-unknown-headers=true} so the AWS SDK's multipart headers are accepted.
 * Its dependencies never join the test class path. {@link #close()} stops it and deletes its data.
 *
 * <p>The jar is the {@code jar-with-dependencies} that this module's build copies into
 * {@code lifeboat-testkit/target/s3proxy/}; failing that, the copy in the local Maven repository;
 * the system property {@code lifeboat.s3proxy.jar} overrides both.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start()) {
 *   s3.createBucket("backups");
 *   ... s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region() ...
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {
  public static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Process process;
  private final Path workDir;
  private final Path dataDir;
  private final Path logFile;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private S3Server(Process process, Path workDir, Path dataDir, Path logFile, URI endpoint, String accessKey,
      String secretKey) {
    this.process = process;
    this.workDir = workDir;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts S3Proxy over plain HTTP and waits until it accepts connections; retries on a port race. */
  public static S3Server start() {
    return start(Optional.empty());
  }

  /**
   * Starts S3Proxy serving HTTPS only, with a certificate for {@code 127.0.0.1} issued by {@code ca}
   * (clients must trust {@code ca}, e.g. through {@code --s3-endpoint-ca}).
   */
  public static S3Server startTls(CertificateAuthority ca) {
    return start(Optional.of(ca));
  }

  private static S3Server start(Optional<CertificateAuthority> ca) {
    Path jar = locateJar();
    Path workDir;
    try {
      workDir = Files.createTempDirectory("lifeboat-s3-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for S3Proxy", e);
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOnce(jar, workDir, attempt, ca);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    deleteTree(workDir);
    throw last;
  }

  private static S3Server startOnce(Path jar, Path workDir, int attempt, Optional<CertificateAuthority> ca) {
    int port = freePort();
    String accessKey = "lifeboat-" + hex(4);
    String secretKey = hex(20);
    Path dataDir = workDir.resolve("data");
    Path logFile = workDir.resolve("s3proxy-" + attempt + ".log");
    Path properties = workDir.resolve("s3proxy.properties");
    URI endpoint = URI.create((ca.isPresent() ? "https" : "http") + "://127.0.0.1:" + port);
    try {
      Files.createDirectories(dataDir);
      Properties p = new Properties();
      if (ca.isPresent()) {
        String password = hex(12);
        p.setProperty("s3proxy.secure-endpoint", endpoint.toString());
        p.setProperty("s3proxy.keystore-path", writeKeyStore(ca.get(), workDir, password).toString());
        p.setProperty("s3proxy.keystore-password", password);
      } else {
        p.setProperty("s3proxy.endpoint", endpoint.toString());
      }
      p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
      p.setProperty("s3proxy.identity", accessKey);
      p.setProperty("s3proxy.credential", secretKey);
      p.setProperty("s3proxy.ignore-unknown-headers", "true");
      p.setProperty("jclouds.provider", "filesystem");
      p.setProperty("jclouds.filesystem.basedir", dataDir.toString());
      try (Writer w = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
        p.store(w, "written by lifeboat-testkit S3Server");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare S3Proxy in " + workDir, e);
    }
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("LOG_LEVEL", "info");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    LiveProcesses.register(process);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        LiveProcesses.forget(process);
        throw new IllegalStateException(String.format(Locale.ROOT,
            "S3Proxy exited with %d during start-up; log %s:%n%s", process.exitValue(), logFile, tail(logFile)));
      }
      // Our process must say it bound the port: another process may have taken the port between
      // freePort() and S3Proxy's bind (then S3Proxy exits, but the port accepts connections).
      if (boundPort(logFile, port) && process.isAlive() && accepts(port)) {
        return new S3Server(process, workDir, dataDir, logFile, endpoint, accessKey, secretKey);
      }
      sleep(50);
    }
    stop(process);
    throw new IllegalStateException(String.format(Locale.ROOT,
        "S3Proxy did not open port %d within %s; log %s:%n%s", port, START_TIMEOUT, logFile, tail(logFile)));
  }

  /** {@code http://127.0.0.1:PORT} (https for {@link #startTls}); use path-style addressing. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String region() {
    return REGION;
  }

  /** The filesystem backend's directory: one sub-directory per bucket. */
  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * Creates a private bucket (a directory of the filesystem backend), so tests need no S3 client to
   * set up. Mode 0700: the backend serves a directory that others may read as a public-read bucket.
   */
  public void createBucket(String name) {
    try {
      Files.createDirectories(dataDir.resolve(name),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bucket " + name, e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    stop(process);
    deleteTree(workDir);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LiveProcesses.forget(process);
    }
  }

  /** Where the S3Proxy jar is; the reasons it was not found otherwise. */
  static Path locateJar() {
    List<Path> candidates = new ArrayList<>();
    String override = System.getProperty("lifeboat.s3proxy.jar");
    if (override != null && !override.isBlank()) {
      candidates.add(Path.of(override));
    }
    Properties built = new Properties();
    try (InputStream in = S3Server.class.getResourceAsStream("s3proxy.properties")) {
      if (in != null) {
        built.load(in);
      }
    } catch (IOException e) {
      // fall through to the defaults below
    }
    String version = built.getProperty("s3proxy.version", "2.6.0");
    Optional.ofNullable(built.getProperty("s3proxy.jar")).map(Path::of).ifPresent(candidates::add);
    String artifact = "org/gaul/s3proxy/" + version + "/s3proxy-" + version + "-jar-with-dependencies.jar";
    Optional.ofNullable(System.getProperty("maven.repo.local")).map(r -> Path.of(r, artifact))
        .ifPresent(candidates::add);
    Optional.ofNullable(built.getProperty("local.repository")).filter(r -> !r.contains("${"))
        .map(r -> Path.of(r, artifact)).ifPresent(candidates::add);
    candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository", artifact));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c;
      }
    }
    throw new IllegalStateException(String.format(Locale.ROOT,
        "S3Proxy %s jar-with-dependencies not found (looked at %s); run 'mvn -pl lifeboat-testkit package' "
            + "to fetch it, or set -Dlifeboat.s3proxy.jar=PATH", version, candidates));
  }

  /** A PKCS#12 key store with a server certificate for 127.0.0.1 and its chain, for Jetty. */
  private static Path writeKeyStore(CertificateAuthority ca, Path workDir, String password) {
    Path tls = workDir.resolve("tls");
    IssuedCertificate server = ca.issue(tls, "s3proxy", CertificateUsage.SERVER);
    Path keyStoreFile = tls.resolve("s3proxy.p12");
    try {
      String pem = Files.readString(server.key(), StandardCharsets.US_ASCII)
          .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance(server.certificate().getPublicKey().getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("s3proxy", key, password.toCharArray(),
          new Certificate[] {server.certificate(), ca.certificate()});
      try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
        store.store(out, password.toCharArray());
      }
      return keyStoreFile;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the S3Proxy key store", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the S3Proxy key store", e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Whether Jetty logged that it started its connector on 127.0.0.1:port. */
  private static boolean boundPort(Path logFile, int port) {
    try {
      String log = Files.readString(logFile, StandardCharsets.UTF_8);
      return log.contains("Started ServerConnector") && log.contains("127.0.0.1:" + port + "}");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: a temp directory
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
