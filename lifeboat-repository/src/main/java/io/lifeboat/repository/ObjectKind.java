package io.lifeboat.repository;

import java.util.Locale;
import java.util.Optional;

/**
 * The objects a snapshot consists of, and the file-name suffix of each: one data object
 * ({@code <name>.db[.gz|.zst]} or RKE's {@code <name>.zip}) plus {@code <name>.json} metadata. A
 * store only ever reads, lists and deletes keys of these shapes; anything else in the directory or
 * bucket prefix is someone else's and is left alone.
 */
public enum ObjectKind {
  DB(".db", "none"),
  DB_GZIP(".db.gz", "gzip"),
  DB_ZSTD(".db.zst", "zstd"),
  RKE_ZIP(".zip", "zip"),
  METADATA(".json", "");

  private final String suffix;
  private final String compression;

  ObjectKind(String suffix, String compression) {
    this.suffix = suffix;
    this.compression = compression;
  }

  public String suffix() {
    return suffix;
  }

  public boolean isData() {
    return this != METADATA;
  }

  /** The file name of this object for a snapshot. */
  public String fileName(SnapshotName name) {
    return name.value() + suffix;
  }

  /** The data object kind for a {@code --compress} value ({@code none|gzip|zstd|zip}). */
  public static ObjectKind forCompression(String compression) {
    for (ObjectKind k : values()) {
      if (k.isData() && k.compression.equals(compression)) {
        return k;
      }
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "unknown compression '%s'; expected none, gzip, zstd or zip", compression));
  }

  /** The {@code compression} value recorded in metadata for this data object kind. */
  public String compression() {
    if (!isData()) {
      throw new IllegalStateException("metadata has no compression");
    }
    return compression;
  }

  /**
   * Parses a file name (or the last part of an object key) into a snapshot object, or empty when it
   * is not one of ours: another suffix, an invalid snapshot name, or a temporary file. The longest
   * suffix wins, so {@code x.db.gz} is {@code x} as {@link #DB_GZIP}, never {@code x.db.gz}-something.
   */
  public static Optional<Entry> parse(String fileName) {
    ObjectKind best = null;
    for (ObjectKind k : values()) {
      if (fileName.endsWith(k.suffix) && fileName.length() > k.suffix.length()
          && (best == null || k.suffix.length() > best.suffix.length())) {
        best = k;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    String base = fileName.substring(0, fileName.length() - best.suffix.length());
    try {
      return Optional.of(new Entry(new SnapshotName(base), best));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A parsed object file name. */
  public record Entry(SnapshotName name, ObjectKind kind) {}
}
