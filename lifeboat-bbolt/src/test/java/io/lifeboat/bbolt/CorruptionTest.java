package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.TestBoltBuilder.Child;
import static io.lifeboat.bbolt.TestBoltBuilder.Entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One malformed field per test, each with the message a user sees. */
class CorruptionTest {
  private static final int P = TestBoltBuilder.PAGE_SIZE;
  // Page layout of the fixture: leaves 2 and 3, branch 4 over them, branch 5 over 4 (bucket "data" root), root 6.
  private static final int LEAF = 2;
  private static final int LEAF2 = 3;
  private static final int BRANCH = 4;
  private static final int TOP_BRANCH = 5;
  private static final int ROOT = 6;

  @TempDir
  Path dir;

  private static List<Entry> rows(String prefix, int from, int to) {
    List<Entry> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(Entry.kv(String.format("%s%03d", prefix, i), "value-" + i));
    }
    return rows;
  }

  private static byte[] fixture() {
    TestBoltBuilder b = new TestBoltBuilder();
    long l1 = b.leaf(rows("k", 0, 20));
    long l2 = b.leaf(rows("k", 20, 40));
    long br = b.branch(List.of(Child.of("k000", l1), Child.of("k020", l2)));
    long top = b.branch(List.of(Child.of("k000", br)));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(top))));
    assertThat(List.of(l1, l2, br, top, root)).containsExactly(2L, 3L, 4L, 5L, 6L);
    return b.image(root, 10);
  }

  private static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertWalk(byte[] bytes) throws Exception {
    Path f = Files.write(dir.resolve("bad.db"), bytes);
    return assertThatThrownBy(() -> {
      try (BoltFile db = BoltFile.open(f)) {
        Walk.everything(db);
      }
    }).isInstanceOf(CorruptFileException.class).hasMessageStartingWith("bad.db: ");
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertWalk(Consumer<byte[]> mutation) throws Exception {
    byte[] bytes = fixture();
    mutation.accept(bytes);
    return assertWalk(bytes);
  }

  @Test
  void walk_fixture_readsAllRows() throws Exception {
    Path f = Files.write(dir.resolve("good.db"), fixture());
    try (BoltFile db = BoltFile.open(f)) {
      assertThat(Walk.keys(db.root().bucket(TestBoltBuilder.bytes("data")).orElseThrow())).hasSize(40);
    }
  }

  @Test
  void open_truncatedFile_saysTruncated() throws Exception {
    assertWalk(Arrays.copyOf(fixture(), 5 * P + 100)).hasMessageContaining("truncated")
        .hasMessageContaining("meta page 0").hasMessageContaining("meta page 1");
  }

  @Test
  void open_fileShorterThanAMeta_saysTruncated() throws Exception {
    assertWalk(new byte[40]).hasMessageContaining("truncated");
  }

  @Test
  void walk_pageHeaderIdMismatch_namesBothIds() throws Exception {
    CorruptFileException e = (CorruptFileException) catchWalk(b -> le(b).putLong(LEAF2 * P, 9));
    assertThat(e).hasMessage("bad.db: page 3 at offset 12288: page header says id 9, expected 3 (page id mismatch)");
    assertThat(e.pageId()).hasValue(3);
    assertThat(e.offset()).hasValue(3L * P);
    assertThat(e.file().getFileName().toString()).isEqualTo("bad.db");
  }

  @Test
  void walk_childPageIdPastTheEnd_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putLong(BRANCH * P + 16 + 16 + 8, 99))
        .hasMessageContaining("page 4")
        .hasMessageContaining("branch element 1 points to page 99, outside the image (expected 2..6)");
  }

  @Test
  void walk_branchPointingToItself_isACycle() throws Exception {
    assertWalk(b -> le(b).putLong(BRANCH * P + 16 + 16 + 8, BRANCH)).hasMessageContaining("cycle");
  }

  @Test
  void walk_branchPointingToAnAncestor_isACycle() throws Exception {
    assertWalk(b -> le(b).putLong(BRANCH * P + 16 + 16 + 8, TOP_BRANCH))
        .hasMessageContaining("cycle").hasMessageContaining("ancestor");
  }

  @Test
  void walk_twoBranchElementsToTheSameLeaf_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putLong(BRANCH * P + 16 + 16 + 8, LEAF)).hasMessageContaining("page 2");
  }

  @Test
  void walk_emptyLeafReachedFromTwoBranchElements_isReachedTwice() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long empty = b.leaf(List.of());
    long br = b.branch(List.of(Child.of("a", empty), Child.of("b", empty)));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(br))));
    assertWalk(b.image(root, 5)).hasMessageContaining("page 2 at offset 8192: page reached twice");
  }

  @Test
  void walk_absurdElementCount_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putShort(LEAF * P + 10, (short) 0xFFFF))
        .hasMessageContaining("page 2 at offset 8192")
        .hasMessageContaining("element table of count 65535 needs 1048576 bytes");
  }

  @Test
  void walk_keyPositionPastThePageEnd_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putInt(LEAF * P + 16 + 4, 5000))
        .hasMessageContaining("leaf element 0 key extends past the page end (key end 5020 > page size 4096)");
  }

  @Test
  void walk_overflowPastTheEnd_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putInt(LEAF2 * P + 12, 1000)).hasMessageContaining("past the end of the image");
  }

  @Test
  void walk_childWithFreelistFlags_isCorrupt() throws Exception {
    assertWalk(b -> le(b).putShort(LEAF * P + 8, (short) 0x10))
        .hasMessageContaining("expected a branch (0x01) or leaf (0x02) page, found flags 0x10");
  }

  @Test
  void walk_unsortedKeysInALeaf_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long leaf = b.leaf(List.of(Entry.kv("b", "1"), Entry.kv("a", "2")));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(leaf))));
    assertWalk(b.image(root, 5)).hasMessageContaining("keys not in increasing order");
  }

  @Test
  void walk_keysOutOfOrderAcrossLeaves_isCorrupt() throws Exception {
    // The second leaf's keys sort before the first leaf's; the branch keys are consistent with neither.
    TestBoltBuilder b = new TestBoltBuilder();
    long l1 = b.leaf(rows("k", 20, 30));
    long l2 = b.leaf(rows("k", 0, 10));
    long br = b.branch(List.of(Child.of("k000", l1), Child.of("k001", l2)));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(br))));
    assertWalk(b.image(root, 5)).hasMessageContaining("is not less than the key");
  }

  @Test
  void walk_branchKeyAfterItsChildsFirstKey_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long l1 = b.leaf(rows("k", 0, 10));
    long l2 = b.leaf(rows("k", 10, 20));
    long br = b.branch(List.of(Child.of("k000", l1), Child.of("k015", l2)));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(br))));
    assertWalk(b.image(root, 5)).hasMessageContaining("first key \"k010\" is less than the key \"k015\"");
  }

  @Test
  void openBucket_valueShorterThanABucketHeader_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long root = b.leaf(List.of(new Entry(TestBoltBuilder.bytes("data"), new byte[8], 1)));
    assertWalk(b.image(root, 5)).hasMessageContaining("bucket \"data\" value too short: 8 bytes");
  }

  @Test
  void openBucket_inlineValueTooShortForALeafHeader_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long root = b.leaf(List.of(new Entry(TestBoltBuilder.bytes("data"), new byte[20], 1)));
    assertWalk(b.image(root, 5)).hasMessageContaining("inline bucket \"data\" value too short: 20 bytes");
  }

  @Test
  void openBucket_inlineElementsPastTheValue_isCorrupt() throws Exception {
    byte[] inline = TestBoltBuilder.inlineBucket(List.of(Entry.kv("x", "1")));
    le(inline).putInt(16 + 16 + 12, 100);
    TestBoltBuilder b = new TestBoltBuilder();
    long root = b.leaf(List.of(new Entry(TestBoltBuilder.bytes("data"), inline, 1)));
    assertWalk(b.image(root, 5)).hasMessageContaining("inline bucket: leaf element 0 value extends past the page end");
  }

  @Test
  void openBucket_rootPastTheEnd_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(77))));
    assertWalk(b.image(root, 5)).hasMessageContaining("bucket \"data\" root page 77 is outside the image");
  }

  @Test
  void openBucket_bucketWhoseRootIsItsOwnParentPage_isCorrupt() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(2))));
    assertThat(root).isEqualTo(2);
    assertWalk(b.image(root, 5)).hasMessageContaining("page 2 is the root of two buckets");
  }

  private Throwable catchWalk(Consumer<byte[]> mutation) throws Exception {
    byte[] bytes = fixture();
    mutation.accept(bytes);
    Path f = Files.write(dir.resolve("bad.db"), bytes);
    try (BoltFile db = BoltFile.open(f)) {
      Walk.everything(db);
    } catch (CorruptFileException e) {
      return e;
    }
    throw new AssertionError("no CorruptFileException");
  }
}
