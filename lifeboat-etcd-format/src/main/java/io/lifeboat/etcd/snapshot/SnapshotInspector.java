package io.lifeboat.etcd.snapshot;

import io.lifeboat.bbolt.BoltFile;
import io.lifeboat.bbolt.Bucket;
import io.lifeboat.bbolt.CorruptFileException;
import io.lifeboat.bbolt.Cursor;
import io.lifeboat.etcd.mvcc.Revision;
import io.lifeboat.etcd.schema.Buckets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Computes a snapshot's status in one walk of its bbolt tree, as etcdctl does, and in parallel
 * checks the sha256 trailer on a second thread reading the file sequentially. The sequential read
 * also pulls a cold file into the page cache ahead of the tree walk's scattered reads.
 */
public final class SnapshotInspector {
  /** Below this size reading ahead costs more than it saves. */
  private static final long READ_AHEAD_THRESHOLD = 32L << 20;

  private SnapshotInspector() {}

  /**
   * Reads the snapshot once and reports its status.
   *
   * @throws CorruptSnapshotException when the trailer does not match or the file is not a readable
   *     etcd bbolt database
   * @throws NoSuchFileException when the file does not exist
   */
  public static SnapshotReport inspect(Path file, TrailerPolicy policy) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(policy, "policy");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      TrailerVerification trailer = TrailerVerification.start(file, channel, policy);
      Walk walk;
      // Without a trailer check nothing reads the file sequentially; a read-ahead does it instead.
      long readAheadLength = !trailer.readsFile() && fileSize >= READ_AHEAD_THRESHOLD ? fileSize : 0;
      try (ReadAhead ignored = ReadAhead.start(channel, readAheadLength)) {
        walk = walk(file);
      } catch (CorruptSnapshotException e) {
        // A damaged file is usually damaged for the trailer too; the trailer says it more plainly.
        trailer.await();
        throw e;
      }
      return walk.report(file, fileSize, trailer.await());
    }
  }

  private static Walk walk(Path file) throws IOException {
    try (BoltFile db = BoltFile.open(file)) {
      Walk walk = new Walk(db.meta().imageSize());
      Bucket root = db.root();
      Cursor top = root.cursor();
      for (boolean more = top.first(); more; more = top.next()) {
        String name = StandardCharsets.UTF_8.decode(top.key().duplicate()).toString();
        if (!top.isBucket()) {
          throw new CorruptSnapshotException(file, String.format(Locale.ROOT,
              "%s: top-level entry '%s' is not a bucket; etcd keeps only buckets at the top level",
              file.getFileName(), truncate(name)));
        }
        top.updateWithKey(walk.crc);
        walk.bucket(file, name, root.openBucket(top));
      }
      return walk;
    } catch (CorruptFileException e) {
      throw new CorruptSnapshotException(file, e.getMessage(), e);
    }
  }

  static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  /** State of one pass; rows of a few buckets are remembered on the way. */
  private static final class Walk {
    final CRC32C crc = new CRC32C();
    final long totalSize;
    long totalKey;
    long revision;
    Optional<String> clusterVersion = Optional.empty();
    Optional<String> storageVersion = Optional.empty();
    long finishedCompact;
    long scheduledCompact;
    long consistentIndex;
    long alarms;
    boolean downgradeEnabled;

    Walk(long totalSize) {
      this.totalSize = totalSize;
    }

    void bucket(Path file, String name, Bucket bucket) throws IOException {
      boolean isKey = name.equals(Buckets.KEY);
      boolean remembers = name.equals(Buckets.META) || name.equals(Buckets.CLUSTER);
      long rows = 0;
      int lastKeyLength = 0;
      Cursor c = bucket.cursor();
      for (boolean more = c.first(); more; more = c.next()) {
        c.updateWithKey(crc);
        if (!c.isBucket()) {
          c.updateWithValue(crc);
        }
        rows++;
        if (isKey) {
          lastKeyLength = c.keyLength();
        } else if (remembers) {
          remember(file, name, c.key(), c.value());
        }
      }
      if (isKey && rows > 0) {
        // Like etcdctl, the revision is the main part of the last row, tombstone or not.
        c.last();
        if (lastKeyLength < 8) {
          throw new CorruptSnapshotException(file, String.format(Locale.ROOT,
              "%s: the last row of bucket 'key' has a %d-byte key; expected a 17-byte revision",
              file.getFileName(), lastKeyLength));
        }
        revision = Revision.mainOf(c.key());
      }
      if (name.equals(Buckets.ALARM)) {
        alarms = rows;
      }
      totalKey += rows;
    }

    private void remember(Path file, String bucket, ByteBuffer key, ByteBuffer value) throws CorruptSnapshotException {
      String k = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
      if (bucket.equals(Buckets.META)) {
        switch (k) {
          case Buckets.CONSISTENT_INDEX -> consistentIndex = u64(file, k, value);
          case Buckets.FINISHED_COMPACT_REV -> finishedCompact = compactRevision(file, k, value);
          case Buckets.SCHEDULED_COMPACT_REV -> scheduledCompact = compactRevision(file, k, value);
          case Buckets.STORAGE_VERSION -> storageVersion = Optional.of(ascii(value));
          default -> { }
        }
      } else if (k.equals(Buckets.CLUSTER_VERSION)) {
        clusterVersion = Optional.of(ascii(value));
      } else if (k.equals(Buckets.DOWNGRADE)) {
        downgradeEnabled = ascii(value).replace(" ", "").contains("\"enabled\":true");
      }
    }

    private static long u64(Path file, String key, ByteBuffer value) throws CorruptSnapshotException {
      if (value.remaining() != 8) {
        throw new CorruptSnapshotException(file, String.format(Locale.ROOT,
            "%s: meta/%s is %d bytes; expected an 8-byte big-endian integer",
            file.getFileName(), key, value.remaining()));
      }
      return value.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(value.position());
    }

    private static long compactRevision(Path file, String key, ByteBuffer value) throws CorruptSnapshotException {
      return Revision.decode(value)
          .orElseThrow(() -> new CorruptSnapshotException(file, String.format(Locale.ROOT,
              "%s: meta/%s is not a revision (%d bytes; expected 17)",
              file.getFileName(), key, value.remaining())))
          .main();
    }

    private static String ascii(ByteBuffer value) {
      return truncate(StandardCharsets.UTF_8.decode(value.duplicate()).toString());
    }

    SnapshotReport report(Path file, long fileSize, TrailerCheck trailer) {
      List<String> warnings = new ArrayList<>();
      if (alarms > 0) {
        warnings.add(String.format(Locale.ROOT,
            "%d alarm(s) of the old cluster are stored (for example NOSPACE); restored as is, they make etcd refuse writes",
            alarms));
      }
      if (downgradeEnabled) {
        warnings.add("a downgrade was in progress (cluster/downgrade enabled); etcd 3.5 refuses to boot such a restore");
      }
      if (scheduledCompact > finishedCompact) {
        warnings.add(String.format(Locale.ROOT,
            "a compaction to revision %d was interrupted; etcd finishes it at the next boot", scheduledCompact));
      }
      SnapshotStatus status = new SnapshotStatus(crc.getValue(), revision, totalKey, totalSize);
      return new SnapshotReport(file, fileSize, status, trailer, storageVersion.or(() -> clusterVersion),
          finishedCompact, scheduledCompact, consistentIndex, warnings);
    }
  }
}
