package io.lifeboat.etcd.restore;

import io.lifeboat.bbolt.BoltFile;
import io.lifeboat.bbolt.BoltWriter;
import io.lifeboat.bbolt.Bucket;
import io.lifeboat.bbolt.BucketWriter;
import io.lifeboat.bbolt.CorruptFileException;
import io.lifeboat.bbolt.Cursor;
import io.lifeboat.etcd.membership.Member;
import io.lifeboat.etcd.mvcc.Revision;
import io.lifeboat.etcd.schema.Buckets;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Copies a snapshot's bbolt tree into a fresh database in one streaming pass, rewriting what a
 * restore must: membership, consistent index and term, alarms, an enabled downgrade, and an
 * optional revision bump. Walking every page on the way is also the structural check of the
 * snapshot; any malformed page ends in {@link CorruptSnapshotException}.
 */
final class DbRewriter {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;
  private static final int DEFAULT_PAGE_SIZE = 4096;
  private static final int PROGRESS_EVERY = 1 << 16;
  private static final byte[] DOWNGRADE_DISABLED =
      bytes("{\"target-version\":\"\",\"enabled\":false}");

  private final Path snapshot;
  private final List<Member> members;
  private final long bumpRevision;
  private final RestoreProgress progress;

  private long rows;
  private long lastMain;
  private long alarmsDropped;
  private long staleMembers;
  private boolean downgradeReset;
  private Optional<String> clusterVersion = Optional.empty();
  private Optional<String> storageVersion = Optional.empty();

  /** What the copy found and did. */
  record Outcome(long revision, long totalKey, long alarmsDropped, long staleMembers, boolean downgradeReset,
      Optional<String> clusterVersion, Optional<String> storageVersion) {}

  DbRewriter(Path snapshot, List<Member> members, long bumpRevision, RestoreProgress progress) {
    this.snapshot = snapshot;
    this.members = members;
    this.bumpRevision = bumpRevision;
    this.progress = progress;
  }

  /** Reads {@link #snapshot} and writes the rewritten database to {@code target} (which must not exist). */
  Outcome rewrite(Path target) throws IOException {
    try (BoltFile source = BoltFile.open(snapshot)) {
      int pageSize = source.meta().pageSize();
      if (pageSize < 1024 || pageSize > 65536) {
        pageSize = DEFAULT_PAGE_SIZE;
      }
      try (BoltWriter writer = BoltWriter.create(target, pageSize)) {
        copy(source, writer);
        writer.finish(Math.max(2, source.meta().txid()));
      }
    } catch (CorruptFileException e) {
      throw new CorruptSnapshotException(snapshot, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // The writer refuses out-of-order or oversized keys: the reader let something odd through.
      throw new CorruptSnapshotException(snapshot, String.format(Locale.ROOT,
          "%s: cannot be copied: %s", snapshot.getFileName(), e.getMessage()), e);
    }
    long revision = lastMain;
    return new Outcome(revision, rows, alarmsDropped, staleMembers, downgradeReset, clusterVersion, storageVersion);
  }

  private void copy(BoltFile source, BoltWriter writer) throws IOException {
    TreeMap<byte[], String> required = new TreeMap<>(UNSIGNED);
    for (String name : List.of(Buckets.CLUSTER, Buckets.MEMBERS, Buckets.MEMBERS_REMOVED, Buckets.META)) {
      required.put(bytes(name), name);
    }
    if (bumpRevision > 0) {
      required.put(bytes(Buckets.KEY), Buckets.KEY);
    }
    Bucket root = source.root();
    Cursor top = root.cursor();
    for (boolean more = top.first(); more; more = top.next()) {
      byte[] name = copyOf(top.key());
      if (!top.isBucket()) {
        throw corrupt("top-level entry '%s' is not a bucket; etcd keeps only buckets at the top level",
            printable(name));
      }
      while (!required.isEmpty() && UNSIGNED.compare(required.firstKey(), name) < 0) {
        missingBucket(writer, required.pollFirstEntry().getValue());
      }
      required.remove(name);
      Bucket bucket = root.openBucket(top);
      try (BucketWriter out = writer.bucket(name)) {
        copyBucket(new String(name, StandardCharsets.UTF_8), bucket, out);
      }
    }
    while (!required.isEmpty()) {
      missingBucket(writer, required.pollFirstEntry().getValue());
    }
  }

  /** A bucket the snapshot lacks but a restore needs: written with only the restore's rows. */
  private void missingBucket(BoltWriter writer, String name) throws IOException {
    try (BucketWriter out = writer.bucket(bytes(name))) {
      switch (name) {
        case Buckets.MEMBERS -> writeMembers(out);
        case Buckets.META -> mergeMeta(null, out);
        case Buckets.KEY -> appendBump(out);
        default -> { }
      }
    }
  }

  private void copyBucket(String name, Bucket bucket, BucketWriter out) throws IOException {
    Cursor c = bucket.cursor();
    switch (name) {
      case Buckets.MEMBERS, Buckets.MEMBERS_REMOVED -> {
        staleMembers += skipAll(name, c);
        if (name.equals(Buckets.MEMBERS)) {
          writeMembers(out);
        }
      }
      case Buckets.ALARM -> alarmsDropped += skipAll(name, c);
      case Buckets.META -> mergeMeta(c, out);
      case Buckets.KEY -> {
        int lastKeyLength = -1;
        for (boolean more = c.first(); more; more = c.next()) {
          requireRow(name, c);
          lastKeyLength = c.keyLength();
          ByteBuffer key = c.key();
          if (lastKeyLength >= 8) {
            lastMain = Revision.mainOf(key);
          }
          put(out, key, c.value());
        }
        if (lastKeyLength >= 0 && lastKeyLength < Revision.REVISION_SIZE) {
          throw corrupt("the last row of bucket 'key' has a %d-byte key; expected a 17-byte revision",
              lastKeyLength);
        }
        appendBump(out);
      }
      case Buckets.CLUSTER -> {
        for (boolean more = c.first(); more; more = c.next()) {
          requireRow(name, c);
          String key = text(c.key());
          ByteBuffer value = c.value();
          if (key.equals(Buckets.CLUSTER_VERSION)) {
            clusterVersion = Optional.of(text(value));
          } else if (key.equals(Buckets.DOWNGRADE) && downgradeEnabled(text(value))) {
            downgradeReset = true;
            value = ByteBuffer.wrap(DOWNGRADE_DISABLED);
          }
          put(out, c.key(), value);
        }
      }
      default -> {
        for (boolean more = c.first(); more; more = c.next()) {
          requireRow(name, c);
          put(out, c.key(), c.value());
        }
      }
    }
  }

  private long skipAll(String name, Cursor c) throws IOException {
    long skipped = 0;
    for (boolean more = c.first(); more; more = c.next()) {
      requireRow(name, c);
      skipped++;
    }
    return skipped;
  }

  private void writeMembers(BucketWriter out) throws IOException {
    TreeMap<byte[], byte[]> rowsByKey = new TreeMap<>(UNSIGNED);
    for (Member m : members) {
      rowsByKey.put(bytes(m.hexId()), bytes(m.toJson()));
    }
    for (Map.Entry<byte[], byte[]> e : rowsByKey.entrySet()) {
      put(out, e.getKey(), e.getValue());
    }
  }

  /** Copies {@code meta} (or, with a null cursor, writes it anew) with the restore's rows put in place. */
  private void mergeMeta(Cursor c, BucketWriter out) throws IOException {
    TreeMap<byte[], byte[]> overrides = new TreeMap<>(UNSIGNED);
    overrides.put(bytes(Buckets.CONSISTENT_INDEX), u64(members.size()));
    overrides.put(bytes(Buckets.TERM), u64(1));
    if (bumpRevision > 0) {
      overrides.put(bytes(Buckets.SCHEDULED_COMPACT_REV), new Revision(lastMain, 0, false).encode());
    }
    if (c != null) {
      for (boolean more = c.first(); more; more = c.next()) {
        requireRow(Buckets.META, c);
        byte[] key = copyOf(c.key());
        while (!overrides.isEmpty() && UNSIGNED.compare(overrides.firstKey(), key) < 0) {
          Map.Entry<byte[], byte[]> e = overrides.pollFirstEntry();
          put(out, e.getKey(), e.getValue());
        }
        byte[] replacement = overrides.remove(key);
        if (replacement != null) {
          put(out, key, replacement);
        } else {
          if (Arrays.equals(key, bytes(Buckets.STORAGE_VERSION))) {
            storageVersion = Optional.of(text(c.value()));
          }
          put(out, c.key(), c.value());
        }
      }
    }
    for (Map.Entry<byte[], byte[]> e : overrides.entrySet()) {
      put(out, e.getKey(), e.getValue());
    }
  }

  /** With a bump, the row (L + B, 0) with an empty value; {@link #lastMain} becomes L + B. */
  private void appendBump(BucketWriter out) throws IOException {
    if (bumpRevision > 0) {
      lastMain = Math.addExact(lastMain, bumpRevision);
      put(out, new Revision(lastMain, 0, false).encode(), new byte[0]);
    }
  }

  private void requireRow(String bucket, Cursor c) throws CorruptSnapshotException {
    if (c.isBucket()) {
      throw corrupt("bucket '%s' holds a nested bucket '%s'; etcd never nests buckets", bucket, printable(copyOf(c.key())));
    }
  }

  private void put(BucketWriter out, ByteBuffer key, ByteBuffer value) throws IOException {
    out.put(key, value);
    counted();
  }

  private void put(BucketWriter out, byte[] key, byte[] value) throws IOException {
    out.put(key, value);
    counted();
  }

  private void counted() {
    if (++rows % PROGRESS_EVERY == 0) {
      progress.rowsCopied(rows);
    }
  }

  static boolean downgradeEnabled(String json) {
    return json.replaceAll("\\s", "").contains("\"enabled\":true");
  }

  private CorruptSnapshotException corrupt(String format, Object... args) {
    return new CorruptSnapshotException(snapshot, snapshot.getFileName() + ": " + String.format(Locale.ROOT, format, args));
  }

  private static byte[] u64(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] copyOf(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  private static String printable(byte[] name) {
    String s = new String(name, StandardCharsets.UTF_8);
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
