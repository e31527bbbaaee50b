package io.lifeboat.repository.codec;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import com.github.luben.zstd.util.Native;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a stored snapshot is compressed ({@code --compress none|gzip|zstd|zip}, default zstd), the
 * value recorded in metadata, and detection by magic bytes when reading.
 */
public enum Compression {
  NONE("none", ObjectKind.DB),
  GZIP("gzip", ObjectKind.DB_GZIP),
  ZSTD("zstd", ObjectKind.DB_ZSTD),
  /** RKE's layout: one Deflate entry {@code /backup/<name>} in {@code <name>.zip}; see {@link RkeZip}. */
  ZIP("zip", ObjectKind.RKE_ZIP);

  public static final Compression DEFAULT = ZSTD;
  static final int ZSTD_LEVEL = 3;
  private static final int ZSTD_MAX_WORKERS = 4;
  private static final int BUFFER = 64 * 1024;

  private final String value;
  private final ObjectKind kind;

  Compression(String value, ObjectKind kind) {
    this.value = value;
    this.kind = kind;
  }

  /** The {@code --compress} and metadata value. */
  public String value() {
    return value;
  }

  /** The stored object (and its file-name suffix) this compression produces. */
  public ObjectKind objectKind() {
    return kind;
  }

  public static Compression parse(String value) {
    for (Compression c : values()) {
      if (c.value.equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "unknown compression '%s'; expected none, gzip, zstd or zip", value));
  }

  /**
   * Checks that this compression can run here, before any work is done: zstd-jni extracts its
   * native library into {@code java.io.tmpdir} and loads it from there, which fails where that
   * directory is mounted noexec.
   *
   * @throws CompressionUnavailableException saying which directory and what to do
   */
  public void requireAvailable() throws CompressionUnavailableException {
    if (this != ZSTD) {
      return;
    }
    try {
      Native.load();
    } catch (LinkageError e) {
      throw zstdUnavailable(e);
    }
  }

  private static CompressionUnavailableException zstdUnavailable(LinkageError e) {
    String reason = String.valueOf(e.getMessage());
    // zstd-jni appends advice about building from source, which does not apply.
    int advice = reason.indexOf("Unsupported OS/arch");
    if (advice > 0) {
      reason = reason.substring(0, advice).strip();
    }
    int lastColon = reason.lastIndexOf(": ");
    if (lastColon > 0) {
      reason = reason.substring(lastColon + 2);
    }
    return new CompressionUnavailableException(
        String.format(
            Locale.ROOT,
            "zstd's native library cannot be loaded from java.io.tmpdir (%s): %s; if that directory is"
                + " mounted noexec, give one that is not with LIFEBOAT_JAVA_OPTS=-Djava.io.tmpdir=DIR, or"
                + " save with --compress gzip",
            System.getProperty("java.io.tmpdir"),
            reason),
        e);
  }

  /**
   * Wraps {@code out} so that what is written to the result is stored compressed. Closing the result
   * finishes the format and closes {@code out}.
   *
   * @param name the snapshot's name (the zip entry is {@code /backup/<name>})
   */
  public OutputStream compress(OutputStream out, SnapshotName name) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, BUFFER);
      case ZSTD -> {
        requireAvailable();
        ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL);
        z.setChecksum(true); // a content checksum: corruption is detected on reading
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores > 1) {
          // zstd's own worker threads: single-threaded zstd-jni runs at about half the zstd command's speed.
          z.setWorkers(Math.min(cores, ZSTD_MAX_WORKERS));
        }
        yield z;
      }
      case ZIP -> RkeZip.writer(out, name);
    };
  }

  /**
   * Wraps {@code in} (the stored object, already decrypted) to give the raw snapshot. The format is
   * checked against the magic bytes; corrupt compressed data fails with {@link IntegrityException}.
   *
   * @param name the snapshot's name, to pick the zip entry and for messages
   * @throws IntegrityException when the magic bytes contradict this compression
   */
  public InputStream decompress(InputStream in, SnapshotName name) throws IOException {
    PushbackInputStream head = new PushbackInputStream(in, MAGIC_LENGTH);
    Compression detected = detect(head);
    if (detected != this) {
      throw new IntegrityException(String.format(Locale.ROOT,
          "%s: the metadata says compression '%s' but the data looks like '%s'; the data or metadata was "
              + "modified or belongs to another snapshot", name, value, detected.value));
    }
    return open(head, name);
  }

  /** Detects the compression from the magic bytes and decompresses accordingly. */
  public static InputStream decompressDetected(InputStream in, SnapshotName name) throws IOException {
    PushbackInputStream head = new PushbackInputStream(in, MAGIC_LENGTH);
    return detect(head).open(head, name);
  }

  private InputStream open(InputStream in, SnapshotName name) throws IOException {
    requireAvailable();
    TrackedInputStream source = new TrackedInputStream(in);
    InputStream decoded;
    try {
      decoded = switch (this) {
        case NONE -> source;
        case GZIP -> new GZIPInputStream(source, BUFFER);
        case ZSTD -> new ZstdInputStream(source);
        case ZIP -> RkeZip.read(source, name.value()).data();
      };
    } catch (IOException e) {
      throw source.classify(e, String.format(Locale.ROOT, "%s: corrupt %s data", name, value));
    }
    if (this == NONE || this == ZIP) {
      return decoded; // zip classifies its own errors
    }
    return source.guard(decoded, String.format(Locale.ROOT, "%s: corrupt %s data", name, value));
  }

  static final int MAGIC_LENGTH = 4;

  /** The compression whose magic bytes start {@code head} ({@link #NONE} for anything else). */
  public static Compression detect(byte[] head, int length) {
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZIP;
    }
    return NONE;
  }

  private static Compression detect(PushbackInputStream in) throws IOException {
    byte[] head = new byte[MAGIC_LENGTH];
    int n = in.readNBytes(head, 0, MAGIC_LENGTH);
    if (n > 0) {
      in.unread(head, 0, n);
    }
    return detect(head, n);
  }
}
