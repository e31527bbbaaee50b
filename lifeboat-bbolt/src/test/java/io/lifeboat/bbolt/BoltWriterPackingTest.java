package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.TestBoltBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoltWriterPackingTest {
  private static final int PAGE = 4096;

  @TempDir
  Path dir;

  @Test
  void put_rowsOfUpTo8KB_fillTheFileToWithin5PercentOfTheRowBytes() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    List<byte[]> values = new ArrayList<>();
    long rowBytes = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] v = WriterShapes.value(i, random.nextInt(8192));
      values.add(v);
      rowBytes += 16 + 17 + v.length;
    }
    Path file = dir.resolve("packed.db");
    try (BoltWriter w = BoltWriter.create(file, PAGE)) {
      try (BucketWriter b = w.bucket(bytes("key"))) {
        for (int i = 0; i < values.size(); i++) {
          b.put(WriterShapes.revision(i), values.get(i));
        }
      }
      w.finish(2);
    }

    // One-page leaves, each row over 4 KB alone in its leaf, made this file about 40% bigger than its rows.
    assertThat(Files.size(file)).isLessThan((long) (rowBytes * 1.05));
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("key")).orElseThrow();
      List<Leaf> leaves = leaves(db, b.rootPgid());
      assertThat(leaves).allSatisfy(l -> assertThat(l.overflow()).as("overflow of leaf %d", l.pgid()).isLessThan(8));
      assertThat(leaves).as("leaves of several pages holding several rows")
          .anyMatch(l -> l.overflow() > 0 && l.count() > 1);
      Cursor c = b.cursor();
      int i = 0;
      for (boolean more = c.first(); more; more = c.next(), i++) {
        assertThat(WriterShapes.bytes(c.key())).isEqualTo(WriterShapes.revision(i));
        assertThat(WriterShapes.bytes(c.value())).isEqualTo(values.get(i));
      }
      assertThat(i).isEqualTo(values.size());
    }
  }

  @Test
  void put_rowsOf300Bytes_makeOnePageLeaves() throws Exception {
    Path file = WriterShapes.write(WriterShapes.threeBranchLevels(), dir);
    try (BoltFile db = BoltFile.open(file)) {
      Bucket b = db.root().bucket(bytes("key")).orElseThrow();
      List<Leaf> leaves = leaves(db, b.rootPgid());
      assertThat(leaves).hasSizeGreaterThan(20_000);
      assertThat(leaves).allSatisfy(l -> assertThat(l.overflow()).as("overflow of leaf %d", l.pgid()).isZero());
    }
  }

  private record Leaf(long pgid, long overflow, int count) {}

  /** The leaves under {@code root}, in key order. */
  private static List<Leaf> leaves(BoltFile db, long root) throws IOException {
    List<Leaf> out = new ArrayList<>();
    Page p = new Page(PAGE);
    db.load(root, p);
    if (p.isLeaf()) {
      out.add(new Leaf(p.pgid, p.overflow, p.count));
      return out;
    }
    long[] children = new long[p.count];
    for (int i = 0; i < p.count; i++) {
      children[i] = p.childPgid(i);
    }
    for (long child : children) {
      out.addAll(leaves(db, child));
    }
    return out;
  }
}
