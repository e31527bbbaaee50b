package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.JsonText;
import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.UsageException;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.SnapshotInspector;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import io.lifeboat.etcd.snapshot.SnapshotStatus;
import io.lifeboat.etcd.snapshot.SnapshotTrailer;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs {@code snapshot verify}. A stored snapshot is read once: its bytes are counted and hashed
 * while they are decrypted and decompressed into a temporary 0600 file, which is then checked like
 * a snapshot file (trailer, every bbolt page, status) and removed. The first failed check ends the
 * run with an {@link IntegrityException} naming it.
 */
public final class VerifyRunner {
  static final String STORED_SIZE = "stored size";
  static final String STORED_SHA256 = "stored sha256";
  static final String METADATA = "metadata";
  static final String DECRYPTION = "decryption";
  static final String DECOMPRESSION = "decompression";
  static final String TRAILER = "sha256 trailer";
  static final String PAGES = "bbolt pages";
  static final String STATUS = "status";
  private static final int BUFFER = 1 << 16;

  /** One check and its result, as printed. */
  record Check(String check, String result) {}

  /** What was checked where: the table and the JSON both print it. */
  record Outcome(String snapshot, String location, List<Check> checks) {}

  private final PrintWriter out;
  private final OutputFormat format;
  private final List<Outcome> outcomes = new ArrayList<>();

  private VerifyRunner(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  public static int run(VerifyRequest request, PrintWriter out) throws IOException {
    if (request.format() == OutputFormat.SIMPLE) {
      throw new UsageException("snapshot verify writes table or json, not simple");
    }
    VerifyRunner runner = new VerifyRunner(out, request.format());
    try {
      runner.verify(request);
    } finally {
      out.flush();
    }
    if (request.format() == OutputFormat.JSON) {
      out.println(runner.json());
      out.flush();
    }
    return ExitCode.OK.code();
  }

  private void verify(VerifyRequest request) throws IOException {
    Path asFile = Path.of(request.snapshot());
    if (Files.isRegularFile(asFile)) {
      verifyFile(asFile, request);
      return;
    }
    SnapshotName name;
    try {
      name = new SnapshotName(request.snapshot());
    } catch (IllegalArgumentException e) {
      throw new NoSuchFileException(request.snapshot(), null, "no such file, and not a snapshot name");
    }
    Optional<EncryptionKey> key = request.keyFile().isPresent()
        ? Optional.of(EncryptionKey.load(request.keyFile().get())) : Optional.empty();
    int found = 0;
    try (StoreLocations locations = StoreLocations.open(request.dir(), request.s3())) {
      for (StoreLocations.Location l : locations.all()) {
        if (l.store().exists(name, ObjectKind.METADATA)) {
          found++;
          verifyStored(name, l, key, tempDirectory(request.dir()));
        }
      }
      if (found == 0) {
        List<String> where = locations.all().stream().map(l -> l.store().location()).toList();
        throw new StoreException(StoreException.Reason.NOT_FOUND, String.format(Locale.ROOT,
            "no snapshot named %s (no %s) in %s, and no such file", name, ObjectKind.METADATA.fileName(name),
            String.join(" or ", where)));
      }
    }
  }

  private void verifyFile(Path file, VerifyRequest request) throws IOException {
    Outcome outcome = begin(file.toString(), "file");
    Compression compression;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      compression = Compression.detect(head, head.length);
    }
    if (compression == Compression.NONE) {
      checkSnapshot(outcome, file, Optional.empty());
      return;
    }
    SnapshotName name = nameOf(file, compression);
    Path temp = createTemp(tempDirectory(request.dir()));
    try {
      try (InputStream in = compression.decompress(Files.newInputStream(file), name);
          OutputStream o = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
        in.transferTo(o);
      } catch (IntegrityException e) {
        throw fail(outcome, DECOMPRESSION, e.getMessage(), e);
      }
      pass(outcome, DECOMPRESSION, "ok: " + compression.value() + " (by its magic bytes)");
      checkSnapshot(outcome, temp, Optional.empty());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static SnapshotName nameOf(Path file, Compression compression) {
    String base = file.getFileName().toString();
    String suffix = compression.objectKind().suffix();
    if (base.endsWith(suffix)) {
      base = base.substring(0, base.length() - suffix.length());
    }
    try {
      return new SnapshotName(base);
    } catch (IllegalArgumentException e) {
      return new SnapshotName("snapshot");
    }
  }

  private void verifyStored(SnapshotName name, StoreLocations.Location l, Optional<EncryptionKey> key, Path tempDir)
      throws IOException {
    SnapshotStore store = l.store();
    Outcome outcome = begin(name.value(), l.label() + " (" + store.location() + ")");
    SnapshotMetadata metadata = SnapshotCatalog.read(store, name);
    SnapshotEncoding encoding;
    try {
      encoding = SnapshotEncoding.of(metadata);
    } catch (IntegrityException e) {
      throw fail(outcome, METADATA, e.getMessage(), e);
    }
    ObjectKind kind = SnapshotCatalog.dataKind(metadata, name).orElseThrow(() -> fail(outcome, METADATA,
        String.format(Locale.ROOT, "it names data file '%s', which is not %s's", SnapshotCatalog.truncate(metadata.file()),
            name), null));
    if (kind != encoding.objectKind()) {
      throw fail(outcome, METADATA, String.format(Locale.ROOT, "data file %s does not match compression '%s'",
          metadata.file(), metadata.compression()), null);
    }
    if (encoding.encryption().encrypted() && key.isEmpty()) {
      throw new UsageException(String.format(Locale.ROOT,
          "%s is encrypted (key %s); give its key file with --encrypt-key-file or %s", name,
          encoding.encryption().keyId().orElseThrow(), EncryptionKey.ENV_KEY_FILE));
    }
    pass(outcome, METADATA, "ok: " + metadata.format() + ", created " + metadata.createdAt());

    Path temp = createTemp(tempDir);
    try {
      decode(outcome, store, name, kind, metadata, encoding, key, temp);
      checkSnapshot(outcome, temp, Optional.of(metadata));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Reads the stored object once: counted and hashed below, decrypted and decompressed above. */
  private void decode(Outcome outcome, SnapshotStore store, SnapshotName name, ObjectKind kind,
      SnapshotMetadata metadata, SnapshotEncoding encoding, Optional<EncryptionKey> key, Path temp) throws IOException {
    IOException decodeFailure = null;
    Layer decrypted = null;
    try (InputStream source = store.get(name, kind)) {
      Measured stored = new Measured(source);
      try {
        InputStream plain = stored;
        if (encoding.encryption().encrypted()) {
          try {
            plain = key.orElseThrow().decrypting(stored, name.value(), encoding.encryption());
          } catch (IntegrityException e) {
            // The key file does not hold the key the snapshot was encrypted with.
            throw fail(outcome, DECRYPTION, e.getMessage(), e);
          }
        }
        decrypted = new Layer(plain);
        try (InputStream raw = encoding.compression().decompress(decrypted, name);
            OutputStream o = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
          raw.transferTo(o);
        }
      } catch (IOException e) {
        if (stored.failure != null || e instanceof StoreException || outcome.checks.stream()
            .anyMatch(c -> c.result().startsWith("FAILED"))) {
          throw e;
        }
        decodeFailure = e;
      }
      stored.transferTo(OutputStream.nullOutputStream()); // the rest, for the size and sha256
      if (stored.size != metadata.size()) {
        throw fail(outcome, STORED_SIZE, String.format(Locale.ROOT, "%s: the stored object has %d bytes, the metadata"
            + " records %d; it was truncated or replaced", metadata.file(), stored.size, metadata.size()), decodeFailure);
      }
      pass(outcome, STORED_SIZE, String.format(Locale.ROOT, "ok: %s (%d bytes)", Sizes.human(stored.size), stored.size));
      String sha256 = HexFormat.of().formatHex(stored.digest.digest());
      if (!sha256.equalsIgnoreCase(metadata.sha256())) {
        throw fail(outcome, STORED_SHA256, String.format(Locale.ROOT, "%s: sha256 of the stored object is %s, the"
            + " metadata records %s; it was modified", metadata.file(), sha256, metadata.sha256()), decodeFailure);
      }
      pass(outcome, STORED_SHA256, "ok: " + sha256);
    }
    if (decodeFailure != null) {
      boolean inDecryption = encoding.encryption().encrypted() && decrypted != null && decrypted.failure != null;
      throw fail(outcome, inDecryption ? DECRYPTION : DECOMPRESSION,
          (inDecryption ? decrypted.failure : decodeFailure).getMessage(), decodeFailure);
    }
    pass(outcome, DECRYPTION, encoding.encryption().encrypted()
        ? "ok: key " + encoding.encryption().keyId().orElseThrow() : "not encrypted");
    pass(outcome, DECOMPRESSION, encoding.compression() == Compression.NONE
        ? "not compressed" : "ok: " + encoding.compression().value());
  }

  /** Trailer, pages, status; the status compared with the metadata when there is some. */
  private void checkSnapshot(Outcome outcome, Path file, Optional<SnapshotMetadata> metadata) throws IOException {
    TrailerCheck trailer;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      trailer = SnapshotTrailer.verify(file, channel);
    } catch (CorruptSnapshotException e) {
      throw fail(outcome, TRAILER, e.getMessage(), e);
    }
    pass(outcome, TRAILER, trailer.label());
    SnapshotReport report;
    try {
      report = SnapshotInspector.inspect(file, TrailerPolicy.SKIP);
    } catch (CorruptSnapshotException e) {
      throw fail(outcome, PAGES, e.getMessage(), e);
    }
    pass(outcome, PAGES, "ok: every page reached is well-formed");
    SnapshotStatus s = report.status();
    String status = String.format(Locale.ROOT, "hash %s, revision %d, total keys %d, total size %s",
        Long.toHexString(s.hash()), s.revision(), s.totalKey(), Sizes.human(s.totalSize()));
    if (metadata.isPresent()) {
      SnapshotMetadata.EtcdFacts facts = metadata.get().etcd();
      if (facts.revision() != s.revision() || facts.totalKey() != s.totalKey() || facts.hash() != s.hash()) {
        throw fail(outcome, STATUS, String.format(Locale.ROOT, "the snapshot has %s; the metadata records hash %s,"
            + " revision %d, total keys %d", status, Long.toHexString(facts.hash()), facts.revision(), facts.totalKey()),
            null);
      }
      status += "; matches the metadata";
    }
    pass(outcome, STATUS, "ok: " + status);
    for (String w : report.warnings()) {
      outcome.checks.add(new Check("warning", w));
      if (format == OutputFormat.TABLE) {
        out.println("Warning: " + w);
      }
    }
    if (format == OutputFormat.TABLE) {
      out.println("OK: " + outcome.snapshot() + " passed every check");
    }
  }

  private Outcome begin(String snapshot, String location) {
    Outcome o = new Outcome(snapshot, location, new ArrayList<>());
    outcomes.add(o);
    if (format == OutputFormat.TABLE) {
      out.println("Verifying " + snapshot + " in " + location);
    }
    return o;
  }

  private void pass(Outcome outcome, String check, String result) {
    outcome.checks().add(new Check(check, result));
    if (format == OutputFormat.TABLE) {
      out.println(String.format(Locale.ROOT, "  %-15s %s", check, result));
    }
  }

  private IntegrityException fail(Outcome outcome, String check, String message, Throwable cause) {
    outcome.checks().add(new Check(check, "FAILED"));
    if (format == OutputFormat.TABLE) {
      out.println(String.format(Locale.ROOT, "  %-15s FAILED", check));
      out.flush();
    }
    String text = String.format(Locale.ROOT, "%s in %s: %s check failed: %s", outcome.snapshot(),
        outcome.location(), check, message);
    return cause == null ? new IntegrityException(text) : new IntegrityException(text, cause);
  }

  private String json() {
    List<String> items = new ArrayList<>();
    for (Outcome o : outcomes) {
      List<String> checks = o.checks().stream()
          .map(c -> "{\"check\":" + JsonText.string(c.check()) + ",\"result\":" + JsonText.string(c.result()) + "}")
          .toList();
      items.add("{\"snapshot\":" + JsonText.string(o.snapshot()) + ",\"location\":" + JsonText.string(o.location())
          + ",\"ok\":true,\"checks\":[" + String.join(",", checks) + "]}");
    }
    return "[" + String.join(",", items) + "]";
  }

  private static Path tempDirectory(Path dir) {
    return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** A hidden 0600 file, never listed as a snapshot (names starting with '.' are not snapshot names). */
  private static Path createTemp(Path dir) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      return Files.createTempFile(dir, ".lifeboat-verify-", ".db", mode);
    }
    return Files.createTempFile(dir, ".lifeboat-verify-", ".db");
  }

  /** Counts and hashes what passes; remembers a failure of the stream below. */
  private static final class Measured extends FilterInputStream {
    final MessageDigest digest;
    long size;
    IOException failure;

    Measured(InputStream in) {
      super(in);
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (n > 0) {
        digest.update(b, off, n);
        size += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, n))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** The decoders above close their input; the stored stream is drained afterwards and closed by its owner. */
    @Override
    public void close() {}
  }

  /** Remembers a failure of the stream below (the decryption layer), so the failed check is named right. */
  private static final class Layer extends FilterInputStream {
    IOException failure;

    Layer(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }
}
