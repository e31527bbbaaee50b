package io.lifeboat.bbolt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Files of known shape (bucket {@code key} only ever holds etcd's 17-byte revision keys: etcd's status parses them) for {@link BoltWriter}, generated row by row (nothing held in memory), shared by the unit
 * tests (read back with our reader) and the IT (checked by real etcd). Each row is a function of its index, so a
 * file can be verified by generating its rows again.
 */
final class WriterShapes {
  static final int PAGE_SIZE = 4096;

  private WriterShapes() {}

  /** The rows of one bucket: {@code count} rows, key and value of row {@code i} by function. */
  record Rows(String name, int count, IntFunction<byte[]> key, IntFunction<byte[]> value) {}

  record Shape(String name, List<Rows> buckets) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What {@code etcdctl snapshot status} reports: CRC-32C hash and (3.4/3.5) total row count. */
  record Status(long hash, long totalKey) {}

  static List<Shape> all() {
    return List.of(noBuckets(), emptyBucket(), oneRow(), fullPage(), fullPagePlusOne(), inlineAtLimit(),
        inlineOverLimit(), bigValues(), biggestKey(), manyBuckets(), threeBranchLevels());
  }

  /** All shapes but the big one, for the IT's quick round. */
  static List<Shape> small() {
    return all().stream().filter(s -> !s.name().equals("threeBranchLevels")).toList();
  }

  static Shape noBuckets() {
    return new Shape("noBuckets", List.of());
  }

  static Shape emptyBucket() {
    return new Shape("emptyBucket", List.of(rows("alarm", 0, 1, 0)));
  }

  static Shape oneRow() {
    return new Shape("oneRow", List.of(rows("meta", 1, 16, 8)));
  }

  /** 16 + 10 * (16 + 8 + 384) = 4096: exactly one full leaf page. */
  static Shape fullPage() {
    return new Shape("fullPage", List.of(rows("data", 10, 8, 384)));
  }

  static Shape fullPagePlusOne() {
    return new Shape("fullPagePlusOne", List.of(rows("data", 11, 8, 384)));
  }

  /** 16 + 4 * (16 + 8 + 228) = 1024 = pageSize / 4: still inline. */
  static Shape inlineAtLimit() {
    return new Shape("inlineAtLimit", List.of(rows("cluster", 4, 8, 228), rows("members", 1, 8, 8)));
  }

  /** One byte more than {@link #inlineAtLimit}: paged. */
  static Shape inlineOverLimit() {
    Rows over = new Rows("cluster", 4, WriterShapes::key8, i -> value(i, i == 3 ? 229 : 228));
    return new Shape("inlineOverLimit", List.of(over, rows("members", 1, 8, 8)));
  }

  /** Values of 15 KB, 100 KB and 3 MB among small rows: leaves with overflow pages. */
  static Shape bigValues() {
    int[] sizes = {10, 15 * 1024, 20, 100 * 1024, 30, 3 * 1024 * 1024, 40, 50};
    return new Shape("bigValues", List.of(new Rows("data", sizes.length, WriterShapes::key8,
        i -> value(i, sizes[i]))));
  }

  /** A key of 32768 bytes among 2000 rows: an overflow leaf and an overflow branch element. */
  static Shape biggestKey() {
    Rows r = new Rows("data", 2000, i -> i == 1000 ? bigKey(1000) : key8(i), i -> value(i, 20));
    return new Shape("biggestKey", List.of(r));
  }

  /** 500 top-level buckets of about 1 KB each: a paged top-level tree with a branch. */
  static Shape manyBuckets() {
    List<Rows> buckets = new ArrayList<>();
    for (int b = 0; b < 500; b++) {
      buckets.add(rows(String.format("bucket-%04d", b), 3, 8, 300));
    }
    return new Shape("manyBuckets", buckets);
  }

  /** 300k rows of 17-byte revision keys and 300-byte values: leaves, then branch levels of ~12, ~120, ~120, 1. */
  static Shape threeBranchLevels() {
    return new Shape("threeBranchLevels", List.of(rows("alarm", 0, 1, 0),
        new Rows("key", 300_000, WriterShapes::revision, i -> value(i, 300)), rows("meta", 2, 16, 8)));
  }

  static Rows rows(String name, int count, int keyLength, int valueLength) {
    return new Rows(name, count, keyLength == 16 ? WriterShapes::key16 : WriterShapes::key8,
        i -> value(i, valueLength));
  }

  static byte[] key8(int i) {
    return ByteBuffer.allocate(8).putLong(i).array();
  }

  static byte[] key16(int i) {
    return ByteBuffer.allocate(16).putLong(i).putLong(~i).array();
  }

  /** etcd's 17-byte revision key: main (BE), '_', sub (BE). */
  static byte[] revision(int i) {
    return ByteBuffer.allocate(17).putLong(i + 1L).put((byte) '_').putLong(0).array();
  }

  /** 32768 bytes that sort right after {@code key8(i)}. */
  static byte[] bigKey(int i) {
    byte[] k = new byte[Format.MAX_KEY_SIZE];
    System.arraycopy(key8(i), 0, k, 0, 8);
    Arrays.fill(k, 8, k.length, (byte) 0xAB);
    return k;
  }

  static byte[] value(int i, int length) {
    byte[] v = new byte[length];
    new SplittableRandom(i * 31L + length).nextBytes(v);
    return v;
  }

  /** Writes {@code shape} to {@code dir/<name>.db} and returns the file. */
  static Path write(Shape shape, Path dir) throws IOException {
    Path file = dir.resolve(shape.name() + ".db");
    try (BoltWriter w = BoltWriter.create(file, PAGE_SIZE)) {
      for (Rows r : shape.buckets()) {
        try (BucketWriter b = w.bucket(r.name().getBytes(StandardCharsets.US_ASCII))) {
          for (int i = 0; i < r.count(); i++) {
            b.put(r.key().apply(i), r.value().apply(i));
          }
        }
      }
      w.finish(7);
    }
    return file;
  }

  /** The status etcd should report for {@code shape}, computed from the rows. */
  static Status expectedStatus(Shape shape) {
    CRC32C crc = new CRC32C();
    long rows = 0;
    for (Rows r : shape.buckets()) {
      crc.update(r.name().getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < r.count(); i++) {
        crc.update(r.key().apply(i));
        crc.update(r.value().apply(i));
        rows++;
      }
    }
    return new Status(crc.getValue(), rows);
  }

  /** Reads {@code file} back with our reader and asserts it holds exactly the rows of {@code shape}. */
  static void assertHolds(Path file, Shape shape) throws IOException {
    try (BoltFile db = BoltFile.open(file)) {
      Bucket root = db.root();
      Cursor c = root.cursor();
      int bucket = 0;
      for (boolean ok = c.first(); ok; ok = c.next(), bucket++) {
        assertThat(bucket).as("more buckets than written").isLessThan(shape.buckets().size());
        Rows r = shape.buckets().get(bucket);
        assertThat(Walk.text(c.key())).isEqualTo(r.name());
        assertThat(c.isBucket()).isTrue();
        Cursor in = root.openBucket(c).cursor();
        int i = 0;
        for (boolean more = in.first(); more; more = in.next(), i++) {
          assertThat(i).as("more rows than written in %s", r.name()).isLessThan(r.count());
          assertThat(bytes(in.key())).as("key %d of %s", i, r.name()).isEqualTo(r.key().apply(i));
          assertThat(bytes(in.value())).as("value %d of %s", i, r.name()).isEqualTo(r.value().apply(i));
        }
        assertThat(i).as("rows of %s", r.name()).isEqualTo(r.count());
      }
      assertThat(bucket).as("buckets").isEqualTo(shape.buckets().size());
      assertThat(Walk.everything(db)).isGreaterThanOrEqualTo(shape.buckets().size());
    }
  }

  /** The status our reader computes for {@code file}, as {@code snapshot status} does. */
  static Status statusOf(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    long rows = 0;
    try (BoltFile db = BoltFile.open(file)) {
      Bucket root = db.root();
      Cursor c = root.cursor();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        c.updateWithKey(crc);
        Cursor in = root.openBucket(c).cursor();
        for (boolean more = in.first(); more; more = in.next()) {
          in.updateWithKey(crc);
          in.updateWithValue(crc);
          rows++;
        }
      }
    }
    return new Status(crc.getValue(), rows);
  }

  /** Copies every bucket and row of {@code source} into a new file {@code target}, with the source's txid. */
  static void copy(Path source, Path target) throws IOException {
    try (BoltFile db = BoltFile.open(source); BoltWriter w = BoltWriter.create(target, PAGE_SIZE)) {
      Bucket root = db.root();
      Cursor c = root.cursor();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        try (BucketWriter b = w.bucket(bytes(c.key()))) {
          Cursor in = root.openBucket(c).cursor();
          for (boolean more = in.first(); more; more = in.next()) {
            b.put(in.key(), in.value());
          }
        }
      }
      w.finish(db.meta().txid());
    }
  }

  /** Levels from the bucket's root page down to its leaves (1 = the root is a leaf). */
  static int depth(BoltFile db, Bucket bucket) throws IOException {
    Page page = new Page(db.pageSize());
    db.load(bucket.rootPgid(), page);
    int depth = 1;
    while (!page.isLeaf()) {
      db.load(page.childPgid(0), page);
      depth++;
    }
    return depth;
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  static long u64(ByteBuffer b, int at) {
    return b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(b.position() + at);
  }
}
