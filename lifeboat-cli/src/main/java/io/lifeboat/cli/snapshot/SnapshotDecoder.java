package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.UsageException;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.StreamCopy;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.codec.CompressionUnavailableException;
import io.lifeboat.repository.codec.TrackedInputStream;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a stored snapshot back into the raw snapshot file, shared by {@code snapshot verify} and
 * {@code snapshot restore}: the stored object is read once, counted and hashed while it is
 * decrypted and decompressed into a 0600 temporary file; its size and sha256 are then checked
 * against the metadata. Each check is reported to a {@link Checks}; the first failure is an
 * {@link IntegrityException}.
 */
final class SnapshotDecoder {
  static final String STORED_SIZE = "stored size";
  static final String STORED_SHA256 = "stored sha256";
  static final String METADATA = "metadata";
  static final String DECRYPTION = "decryption";
  static final String DECOMPRESSION = "decompression";
  private static final int BUFFER = 1 << 16;

  /** Where the results of the checks go. */
  interface Checks {
    void pass(String check, String result);

    /** Records the failure and returns the exception to throw. */
    IntegrityException fail(String check, String message, Throwable cause);

    boolean anyFailed();
  }

  /** Checks that only remember whether one failed; failures name the snapshot and location. */
  static Checks silent(String snapshot, String location) {
    return new Checks() {
      private boolean failed;

      @Override
      public void pass(String check, String result) {}

      @Override
      public IntegrityException fail(String check, String message, Throwable cause) {
        failed = true;
        String text = String.format(Locale.ROOT, "%s in %s: %s check failed: %s", snapshot, location, check, message);
        return cause == null ? new IntegrityException(text) : new IntegrityException(text, cause);
      }

      @Override
      public boolean anyFailed() {
        return failed;
      }
    };
  }

  /** A stored snapshot's metadata, as read and checked. */
  record Stored(SnapshotMetadata metadata, SnapshotEncoding encoding, ObjectKind kind) {}

  private SnapshotDecoder() {}

  /**
   * Reads and checks the metadata of a stored snapshot: known encoding, data object of this name and
   * of the encoding's kind, and a key when it is encrypted (else a usage error).
   */
  static Stored prepare(Checks checks, SnapshotStore store, SnapshotName name, Optional<EncryptionKey> key)
      throws IOException {
    SnapshotMetadata metadata = SnapshotCatalog.read(store, name);
    SnapshotEncoding encoding;
    try {
      encoding = SnapshotEncoding.of(metadata);
    } catch (IntegrityException e) {
      throw checks.fail(METADATA, e.getMessage(), e);
    }
    ObjectKind kind = SnapshotCatalog.dataKind(metadata, name).orElseThrow(() -> checks.fail(METADATA,
        String.format(Locale.ROOT, "it names data file '%s', which is not %s's",
            SnapshotCatalog.truncate(metadata.file()), name), null));
    if (kind != encoding.objectKind()) {
      throw checks.fail(METADATA, String.format(Locale.ROOT, "data file %s does not match compression '%s'",
          metadata.file(), metadata.compression()), null);
    }
    if (encoding.encryption().encrypted() && key.isEmpty()) {
      throw new UsageException(String.format(Locale.ROOT,
          "%s is encrypted (key %s); give its key file with --encrypt-key-file or %s", name,
          encoding.encryption().keyId().orElseThrow(), EncryptionKey.ENV_KEY_FILE));
    }
    checks.pass(METADATA, "ok: " + metadata.format() + ", created " + metadata.createdAt());
    return new Stored(metadata, encoding, kind);
  }

  /** Reads the stored object once: counted and hashed below, decrypted and decompressed above. */
  static void decode(Checks checks, SnapshotStore store, SnapshotName name, Stored s, Optional<EncryptionKey> key,
      Path temp) throws IOException {
    SnapshotMetadata metadata = s.metadata();
    SnapshotEncoding encoding = s.encoding();
    requireAvailable(encoding.compression());
    IOException decodeFailure = null;
    TrackedInputStream decrypted = null;
    try (InputStream source = store.get(name, s.kind())) {
      Measured stored = new Measured(source);
      try {
        InputStream plain = stored;
        if (encoding.encryption().encrypted()) {
          try {
            plain = key.orElseThrow().decrypting(stored, name.value(), encoding.encryption());
          } catch (IntegrityException e) {
            // The key file does not hold the key the snapshot was encrypted with.
            throw checks.fail(DECRYPTION, e.getMessage(), e);
          }
        }
        decrypted = new TrackedInputStream(plain);
        try (InputStream raw = encoding.compression().decompress(decrypted, name);
            OutputStream o = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
          StreamCopy.copy(raw, o);
        }
      } catch (IOException e) {
        if (stored.failure != null || e instanceof StoreException || checks.anyFailed()) {
          throw e;
        }
        decodeFailure = e;
      }
      StreamCopy.copy(stored, OutputStream.nullOutputStream()); // the rest, for the size and sha256
      if (stored.size != metadata.size()) {
        throw checks.fail(STORED_SIZE, String.format(Locale.ROOT, "%s: the stored object has %d bytes, the metadata"
            + " records %d; it was truncated or replaced", metadata.file(), stored.size, metadata.size()), decodeFailure);
      }
      checks.pass(STORED_SIZE, String.format(Locale.ROOT, "ok: %s (%d bytes)", Sizes.human(stored.size), stored.size));
      String sha256 = HexFormat.of().formatHex(stored.digest.digest());
      if (!sha256.equalsIgnoreCase(metadata.sha256())) {
        throw checks.fail(STORED_SHA256, String.format(Locale.ROOT, "%s: sha256 of the stored object is %s, the"
            + " metadata records %s; it was modified", metadata.file(), sha256, metadata.sha256()), decodeFailure);
      }
      checks.pass(STORED_SHA256, "ok: " + sha256);
    }
    if (decodeFailure != null) {
      boolean inDecryption = encoding.encryption().encrypted() && decrypted != null && decrypted.failure().isPresent();
      throw checks.fail(inDecryption ? DECRYPTION : DECOMPRESSION,
          (inDecryption ? decrypted.failure().get() : decodeFailure).getMessage(), decodeFailure);
    }
    checks.pass(DECRYPTION, encoding.encryption().encrypted()
        ? "ok: key " + encoding.encryption().keyId().orElseThrow() : "not encrypted");
    checks.pass(DECOMPRESSION, encoding.compression() == Compression.NONE
        ? "not compressed" : "ok: " + encoding.compression().value());
  }

  /**
   * A compression this host cannot run (zstd's native library does not load) is a setting to fix,
   * not a damaged snapshot: it must not be reported as a failed integrity check.
   */
  static void requireAvailable(Compression compression) {
    try {
      compression.requireAvailable();
    } catch (CompressionUnavailableException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The compression of a plain file, by its magic bytes. */
  static Compression detect(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return Compression.detect(head, head.length);
    }
  }

  /** Decompresses a plain compressed file into {@code temp}. */
  static void decodeFile(Checks checks, Path file, Compression compression, Path temp) throws IOException {
    SnapshotName name = nameOf(file, compression);
    requireAvailable(compression);
    try (InputStream in = compression.decompress(Files.newInputStream(file), name);
        OutputStream o = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
      StreamCopy.copy(in, o);
    } catch (IntegrityException e) {
      throw checks.fail(DECOMPRESSION, e.getMessage(), e);
    }
    checks.pass(DECOMPRESSION, "ok: " + compression.value() + " (by its magic bytes)");
  }

  static SnapshotName nameOf(Path file, Compression compression) {
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

  /** A hidden 0600 file, never listed as a snapshot (names starting with '.' are not snapshot names). */
  static Path createTemp(Path dir, String prefix) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      return Files.createTempFile(dir, prefix, ".db", mode);
    }
    return Files.createTempFile(dir, prefix, ".db");
  }

  /**
   * Skips by reading, so that a stream that counts and hashes what passes through it also counts
   * and hashes the skipped bytes (FilterInputStream.skip would bypass it).
   */
  static long skipByReading(InputStream in, long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Counts and hashes what passes; remembers a failure of the stream below. */
  static final class Measured extends FilterInputStream {
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
      return SnapshotDecoder.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** The decoders above close their input; the stored stream is drained afterwards and closed by its owner. */
    @Override
    public void close() {}
  }
}
