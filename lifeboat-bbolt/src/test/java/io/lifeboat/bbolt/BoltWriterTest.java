package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.TestBoltBuilder.bytes;
import static io.lifeboat.golden.GoldenSnapshots.jsonNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.bbolt.WriterShapes.Shape;
import io.lifeboat.bbolt.WriterShapes.Status;
import io.lifeboat.golden.GoldenSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BoltWriterTest {
  @TempDir
  Path dir;

  static List<Shape> shapes() {
    return WriterShapes.all();
  }

  static List<String> goldenNames() {
    return GoldenSnapshots.names();
  }

  // ---- round trips

  @ParameterizedTest
  @MethodSource("goldenNames")
  void copy_goldenSnapshot_readsBackTheSameRowsHashAndTotalKey(String name) throws Exception {
    Path source = GoldenSnapshots.copyTo(name, dir);
    Path copy = dir.resolve(name + ".copy.db");
    WriterShapes.copy(source, copy);

    try (BoltFile a = BoltFile.open(source); BoltFile b = BoltFile.open(copy)) {
      Bucket rootA = a.root();
      Bucket rootB = b.root();
      Cursor ca = rootA.cursor();
      Cursor cb = rootB.cursor();
      boolean okA = ca.first();
      boolean okB = cb.first();
      while (okA && okB) {
        assertThat(cb.key()).isEqualTo(ca.key());
        Cursor ia = rootA.openBucket(ca).cursor();
        Cursor ib = rootB.openBucket(cb).cursor();
        boolean ra = ia.first();
        boolean rb = ib.first();
        while (ra && rb) {
          assertThat(ib.key()).isEqualTo(ia.key());
          assertThat(ib.value()).isEqualTo(ia.value());
          ra = ia.next();
          rb = ib.next();
        }
        assertThat(rb).as("rows of bucket %s", Walk.text(ca.key())).isEqualTo(ra);
        okA = ca.next();
        okB = cb.next();
      }
      assertThat(okB).isEqualTo(okA);
      assertThat(b.meta().txid()).isEqualTo(a.meta().txid());
      assertThat(Files.size(copy)).isEqualTo(b.meta().imageSize()).isLessThanOrEqualTo(a.meta().imageSize());
    }
    String status = GoldenSnapshots.statusJson(name);
    assertThat(WriterShapes.statusOf(copy))
        .isEqualTo(new Status(jsonNumber(status, "hash"), jsonNumber(status, "totalKey")));
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void write_shape_readsBackEveryRowInOrder(Shape shape) throws Exception {
    Path file = WriterShapes.write(shape, dir);
    WriterShapes.assertHolds(file, shape);
    assertThat(WriterShapes.statusOf(file)).isEqualTo(WriterShapes.expectedStatus(shape));
  }

  // ---- layout

  @Test
  void finish_anyFile_writesBothMetasAFreelistPageAndAnExactLength() throws Exception {
    Path file = dir.resolve("x.db");
    long pages;
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      try (BucketWriter b = w.bucket(bytes("meta"))) {
        b.put(bytes("consistent_index"), new byte[8]);
      }
      w.finish(42);
      pages = w.pagesWritten();
    }
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(raw.capacity()).isEqualTo(pages * 4096);
    // Page 0: txid 42; page 1: txid 41; both with freelist 2, the same root and pgid.
    assertThat(raw.getLong(16 + 48)).isEqualTo(42);
    assertThat(raw.getLong(4096 + 16 + 48)).isEqualTo(41);
    for (int m = 0; m < 2; m++) {
      int at = m * 4096;
      assertThat(raw.getLong(at)).isEqualTo(m);
      assertThat(raw.getShort(at + 8)).isEqualTo((short) 0x04);
      assertThat(raw.getLong(at + 16 + 32)).as("freelist").isEqualTo(2);
      assertThat(raw.getLong(at + 16 + 40)).as("pgid").isEqualTo(pages);
      assertThat(raw.getLong(at + 16 + 16)).as("root").isEqualTo(pages - 1);
    }
    assertThat(raw.getLong(2 * 4096)).isEqualTo(2);
    assertThat(raw.getShort(2 * 4096 + 8)).as("freelist flags").isEqualTo((short) 0x10);
    assertThat(raw.getShort(2 * 4096 + 10)).as("freelist count").isZero();
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(db.meta().pageId()).isZero();
      assertThat(db.meta().freelistPageId()).isEqualTo(2);
      assertThat(db.meta().pageCount()).isEqualTo(pages);
    }
  }

  @Test
  void close_emptyBucket_isAnInline32ByteValue() throws Exception {
    Path file = WriterShapes.write(WriterShapes.emptyBucket(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket root = db.root();
      Cursor c = root.cursor();
      assertThat(c.first()).isTrue();
      assertThat(c.valueLength()).isEqualTo(32);
      assertThat(root.openBucket(c).isInline()).isTrue();
      assertThat(db.meta().pageCount()).as("metas, freelist, top-level leaf").isEqualTo(4);
    }
  }

  @Test
  void write_noBuckets_isAnEmptyRootLeaf() throws Exception {
    Path file = WriterShapes.write(WriterShapes.noBuckets(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(db.root().cursor().first()).isFalse();
      assertThat(db.meta().rootPageId()).isEqualTo(3);
      assertThat(Files.size(file)).isEqualTo(4 * 4096);
    }
  }

  @Test
  void close_rowsExactlyAtTheInlineLimit_isInline() throws Exception {
    Path file = WriterShapes.write(WriterShapes.inlineAtLimit(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("cluster")).orElseThrow();
      assertThat(b.isInline()).isTrue();
      assertThat(b.inlinePage().length).isEqualTo(4096 / 4);
    }
  }

  @Test
  void close_rowsOneByteOverTheInlineLimit_isPaged() throws Exception {
    Path file = WriterShapes.write(WriterShapes.inlineOverLimit(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("cluster")).orElseThrow();
      assertThat(b.isInline()).isFalse();
      assertThat(WriterShapes.depth(db, b)).isEqualTo(1);
    }
  }

  @Test
  void put_rowsExactlyFillingAPage_makeOneFullLeaf() throws Exception {
    Path file = WriterShapes.write(WriterShapes.fullPage(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("data")).orElseThrow();
      Page p = new Page(4096);
      db.load(b.rootPgid(), p);
      assertThat(p.isLeaf()).isTrue();
      assertThat(p.count).isEqualTo(10);
      assertThat(p.overflow).isZero();
      assertThat(p.valueOffset(9) + p.valueLength(9)).as("end of the last value").isEqualTo(4096);
    }
  }

  @Test
  void put_oneRowMoreThanAFullPage_makesTwoLeavesUnderABranch() throws Exception {
    Path file = WriterShapes.write(WriterShapes.fullPagePlusOne(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("data")).orElseThrow();
      assertThat(WriterShapes.depth(db, b)).isEqualTo(2);
      Page p = new Page(4096);
      db.load(b.rootPgid(), p);
      assertThat(p.count).isEqualTo(2);
    }
  }

  @Test
  void put_300kSmallRows_buildsThreeBranchLevels() throws Exception {
    Path file = WriterShapes.write(WriterShapes.threeBranchLevels(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("key")).orElseThrow();
      assertThat(WriterShapes.depth(db, b)).as("three branch levels over the leaves").isEqualTo(4);
    }
  }

  @Test
  void close_500Buckets_buildsAPagedTopLevelTree() throws Exception {
    Path file = WriterShapes.write(WriterShapes.manyBuckets(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(WriterShapes.depth(db, db.root())).isEqualTo(3);
      assertThat(Walk.topLevelNames(db)).hasSize(500);
    }
  }

  @Test
  void put_valuesBiggerThanAPage_goIntoLeavesWithOverflowPages() throws Exception {
    Path file = WriterShapes.write(WriterShapes.bigValues(), dir);
    List<Long> overflows = new ArrayList<>();
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("data")).orElseThrow();
      Page root = new Page(4096);
      db.load(b.rootPgid(), root);
      assertThat(root.isLeaf()).isFalse();
      Page leaf = new Page(4096);
      for (int i = 0; i < root.count; i++) {
        db.load(root.childPgid(i), leaf);
        overflows.add(leaf.overflow);
      }
    }
    // Header 16 + element 16 + key 8 + value, in 4096-byte pages, minus the first.
    assertThat(overflows).contains(overflow(15 * 1024), overflow(100 * 1024), overflow(3 * 1024 * 1024));
    assertThat(overflow(15 * 1024)).isEqualTo(3);
  }

  private static long overflow(int valueLength) {
    return (40L + valueLength + 4095) / 4096 - 1;
  }

  @Test
  void put_keyOf32768Bytes_isReadBack() throws Exception {
    Path file = WriterShapes.write(WriterShapes.biggestKey(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Cursor c = db.root().bucket(bytes("data")).orElseThrow().cursor();
      assertThat(c.seek(WriterShapes.bigKey(1000))).isTrue();
      assertThat(c.keyLength()).isEqualTo(32768);
      assertThat(c.next()).isTrue();
      assertThat(WriterShapes.bytes(c.key())).isEqualTo(WriterShapes.key8(1001));
    }
  }

  @Test
  void put_byteBuffers_leavesTheirPositionsUnchanged() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096); BucketWriter b = w.bucket(bytes("key"))) {
      ByteBuffer key = ByteBuffer.wrap(bytes("xxabc")).position(2);
      ByteBuffer value = ByteBuffer.wrap(new byte[10_000]).position(3).limit(9000);
      b.put(key, value);
      assertThat(key.position()).isEqualTo(2);
      assertThat(value.position()).isEqualTo(3);
      assertThat(value.limit()).isEqualTo(9000);
    }
  }

  // ---- misuse

  @Test
  void put_keyOutOfOrder_isRejectedNamingBothKeysInHex() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096); BucketWriter b = w.bucket(bytes("key"))) {
      b.put(new byte[] {0x10}, new byte[0]);
      assertThatThrownBy(() -> b.put(new byte[] {0x0f, (byte) 0xff}, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"key\"")
          .hasMessageContaining("key 0x0fff follows key 0x10");
      // The bucket stays usable.
      b.put(new byte[] {0x11}, new byte[0]);
      assertThat(b.rows()).isEqualTo(2);
    }
  }

  @Test
  void put_unsignedOrder_acceptsHighBytesAfterLowOnes() throws Exception {
    Path file = dir.resolve("x.db");
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      try (BucketWriter b = w.bucket(bytes("key"))) {
        b.put(new byte[] {0x7f}, new byte[0]);
        b.put(new byte[] {(byte) 0x80}, new byte[0]);
        b.put(new byte[] {(byte) 0xff}, new byte[0]);
      }
      w.finish(1);
    }
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(Walk.countTopLevelBucketEntries(db)).isEqualTo(3);
    }
  }

  @Test
  void put_duplicateKey_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096); BucketWriter b = w.bucket(bytes("key"))) {
      b.put(bytes("a"), bytes("1"));
      assertThatThrownBy(() -> b.put(bytes("a"), bytes("2")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("strictly increasing")
          .hasMessageContaining("key 0x61 follows key 0x61");
    }
  }

  @Test
  void put_longKeyOutOfOrder_truncatesTheKeysInTheMessage() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096); BucketWriter b = w.bucket(bytes("key"))) {
      b.put(new byte[] {(byte) 0xff}, new byte[0]);
      assertThatThrownBy(() -> b.put(new byte[1000], new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key 0x" + "00".repeat(32) + "... (1000 bytes) follows key 0xff");
    }
  }

  @Test
  void put_emptyOrTooLongKey_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096); BucketWriter b = w.bucket(bytes("key"))) {
      assertThatThrownBy(() -> b.put(new byte[0], new byte[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key of 0 bytes, expected 1..32768");
      assertThatThrownBy(() -> b.put(new byte[32769], new byte[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key of 32769 bytes");
    }
  }

  @Test
  void bucket_namesOutOfOrder_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      w.bucket(bytes("meta")).close();
      assertThatThrownBy(() -> w.bucket(bytes("key")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"key\" follows \"meta\"");
      assertThatThrownBy(() -> w.bucket(bytes("meta")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"meta\" follows \"meta\"");
    }
  }

  @Test
  void bucket_emptyName_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      assertThatThrownBy(() -> w.bucket(new byte[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket name of 0 bytes");
    }
  }

  @Test
  void put_firstRowBiggerThanAPage_makesThePagedBucketAnOverflowLeaf() throws Exception {
    Path file = dir.resolve("x.db");
    byte[] big = WriterShapes.value(7, 50_000);
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      try (BucketWriter b = w.bucket(bytes("data"))) {
        b.put(bytes("only"), big);
        assertThat(b.isInline()).isFalse();
      }
      w.finish(9);
    }
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("data")).orElseThrow();
      Page p = new Page(4096);
      db.load(b.rootPgid(), p);
      assertThat(p.isLeaf()).isTrue();
      assertThat(p.overflow).isEqualTo(overflow(50_000 - 4));
      Cursor c = b.cursor();
      assertThat(c.first()).isTrue();
      assertThat(WriterShapes.bytes(c.value())).isEqualTo(big);
    }
  }

  @Test
  void bucket_whileAnotherIsOpen_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      w.bucket(bytes("key"));
      assertThatThrownBy(() -> w.bucket(bytes("meta")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start bucket \"meta\": bucket \"key\" is still open");
    }
  }

  @Test
  void put_afterBucketClose_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      BucketWriter b = w.bucket(bytes("key"));
      b.close();
      assertThatThrownBy(() -> b.put(bytes("a"), bytes("1")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bucket \"key\" is closed");
    }
  }

  @Test
  void put_afterFinish_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      BucketWriter b = w.bucket(bytes("key"));
      b.put(bytes("a"), bytes("1"));
      w.finish(5);
      assertThatThrownBy(() -> b.put(bytes("b"), bytes("1"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> w.bucket(bytes("meta")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("is finished");
      assertThatThrownBy(() -> w.finish(6)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void finish_closesTheOpenBucket() throws Exception {
    Path file = dir.resolve("x.db");
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      w.bucket(bytes("key")).put(bytes("a"), bytes("1"));
      w.finish(5);
    }
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(Walk.keys(db.root().bucket(bytes("key")).orElseThrow())).containsExactly("a");
    }
  }

  @Test
  void finish_txidZero_isRejected() throws Exception {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"), 4096)) {
      assertThatThrownBy(() -> w.finish(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txid 0 must be at least 1");
    }
  }

  @Test
  void close_withoutFinish_deletesThePartialFile() throws Exception {
    Path file = dir.resolve("x.db");
    try (BoltWriter w = BoltWriter.create(file, 4096); BucketWriter b = w.bucket(bytes("key"))) {
      for (int i = 0; i < 10_000; i++) {
        b.put(WriterShapes.key8(i), new byte[100]);
      }
      assertThat(file).exists();
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void close_afterFinish_keepsTheFile() throws Exception {
    Path file = WriterShapes.write(WriterShapes.oneRow(), dir);
    assertThat(file).exists();
  }

  @Test
  void create_existingFile_failsAndLeavesItAlone() throws Exception {
    Path file = dir.resolve("x.db");
    Files.writeString(file, "precious");
    assertThatThrownBy(() -> BoltWriter.create(file, 4096)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void create_pageSizeNotAPowerOfTwo_isRejected() {
    assertThatThrownBy(() -> BoltWriter.create(dir.resolve("x.db"), 4000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size 4000");
    assertThat(dir.resolve("x.db")).doesNotExist();
  }

  @Test
  void create_newFile_isReadableAndWritableByTheOwnerOnly() throws Exception {
    Path file = WriterShapes.write(WriterShapes.oneRow(), dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void write_otherPageSize_isReadBack() throws Exception {
    Path file = dir.resolve("x.db");
    try (BoltWriter w = BoltWriter.create(file, 1024)) {
      try (BucketWriter b = w.bucket(bytes("key"))) {
        for (int i = 0; i < 5000; i++) {
          b.put(WriterShapes.revision(i), WriterShapes.value(i, 50));
        }
      }
      w.finish(3);
    }
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(db.meta().pageSize()).isEqualTo(1024);
      assertThat(Walk.countTopLevelBucketEntries(db)).isEqualTo(5000);
      assertThat(WriterShapes.depth(db, db.root().bucket(bytes("key")).orElseThrow())).isEqualTo(3);
    }
  }
}
