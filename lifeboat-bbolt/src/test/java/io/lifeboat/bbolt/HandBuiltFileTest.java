package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.TestBoltBuilder.Child;
import static io.lifeboat.bbolt.TestBoltBuilder.Entry;
import static io.lifeboat.bbolt.TestBoltBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandBuiltFileTest {
  @TempDir
  Path dir;

  private Path file;
  private final byte[] bigValue = new byte[10_000];

  private static List<Entry> rows(String prefix, int from, int to) {
    List<Entry> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(Entry.kv(String.format("%s%03d", prefix, i), "v" + i));
    }
    return rows;
  }

  @BeforeEach
  void build() throws Exception {
    for (int i = 0; i < bigValue.length; i++) {
      bigValue[i] = (byte) (i * 31);
    }
    TestBoltBuilder b = new TestBoltBuilder();
    // Paged bucket "data": branch over three leaves, the middle one with a 10 KB value (two overflow pages).
    long l1 = b.leaf(rows("k", 0, 50));
    List<Entry> middle = new ArrayList<>(rows("k", 50, 60));
    middle.add(Entry.kv("k060-big", bigValue));
    long l2 = b.leaf(middle);
    long l3 = b.leaf(rows("k", 61, 120));
    long dataRoot = b.branch(List.of(Child.of("k000", l1), Child.of("k050", l2), Child.of("k061", l3)));
    // Paged bucket "outer" holding a nested paged bucket, a nested inline bucket and a plain row.
    long innerRoot = b.leaf(rows("i", 0, 5));
    byte[] tiny = TestBoltBuilder.inlineBucket(List.of(Entry.kv("t1", "one"), Entry.kv("t2", "two")));
    long outerRoot = b.leaf(List.of(Entry.bucket("inner", TestBoltBuilder.pagedBucket(innerRoot)),
        Entry.kv("plain", "row"), Entry.bucket("tiny", tiny)));
    byte[] inl = TestBoltBuilder.inlineBucket(List.of(Entry.kv("x", "1"), Entry.kv("y", "22"), Entry.kv("z", "")));
    long root = b.leaf(List.of(
        Entry.bucket("data", TestBoltBuilder.pagedBucket(dataRoot)),
        Entry.bucket("empty", TestBoltBuilder.inlineBucket(List.of())),
        Entry.bucket("inl", inl),
        Entry.bucket("outer", TestBoltBuilder.pagedBucket(outerRoot))));
    file = b.write(dir.resolve("hand.db"), root, 42);
  }

  private static byte[] array(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  @Test
  void open_handBuiltFile_readsTheNewestMeta() throws Exception {
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(db.meta().txid()).isEqualTo(42);
      assertThat(db.meta().pageId()).isZero();
      assertThat(db.meta().pageSize()).isEqualTo(4096);
      assertThat(Walk.topLevelNames(db)).containsExactly("data", "empty", "inl", "outer");
    }
  }

  @Test
  void iterate_pagedBucketWithOverflowLeaf_returnsEveryRowAndTheWholeBigValue() throws Exception {
    try (BoltFile db = BoltFile.open(file)) {
      Bucket data = db.root().bucket(bytes("data")).orElseThrow();
      assertThat(data.isInline()).isFalse();
      List<String> keys = Walk.keys(data);
      assertThat(keys).hasSize(120).startsWith("k000", "k001").endsWith("k118", "k119");
      assertThat(keys).contains("k060-big");
      Cursor c = data.cursor();
      assertThat(c.seek(bytes("k060-big"))).isTrue();
      assertThat(array(c.value())).isEqualTo(bigValue);
      assertThat(c.next()).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k061");
      assertThat(Walk.text(c.value())).isEqualTo("v61");
      assertThat(c.seek(bytes("k0605"))).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k061");
      assertThat(c.last()).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k119");
      assertThat(c.seek(bytes("a"))).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k000");
      assertThat(c.seek(bytes("l"))).isFalse();
    }
  }

  @Test
  void bucket_inline_readsItsRowsFromTheParentValue() throws Exception {
    try (BoltFile db = BoltFile.open(file)) {
      Bucket inl = db.root().bucket(bytes("inl")).orElseThrow();
      assertThat(inl.isInline()).isTrue();
      Cursor c = inl.cursor();
      List<String> rows = new ArrayList<>();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        rows.add(Walk.text(c.key()) + "=" + Walk.text(c.value()));
      }
      assertThat(rows).containsExactly("x=1", "y=22", "z=");
      assertThat(c.last()).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("z");
      Bucket empty = db.root().bucket(bytes("empty")).orElseThrow();
      assertThat(empty.isInline()).isTrue();
      assertThat(empty.cursor().first()).isFalse();
    }
  }

  @Test
  void bucket_nestedPagedAndInline_openFromTheirParent() throws Exception {
    try (BoltFile db = BoltFile.open(file)) {
      Bucket outer = db.root().bucket(bytes("outer")).orElseThrow();
      Bucket inner = outer.bucket(bytes("inner")).orElseThrow();
      assertThat(inner.isInline()).isFalse();
      assertThat(Walk.keys(inner)).containsExactly("i000", "i001", "i002", "i003", "i004");
      Bucket tiny = outer.bucket(bytes("tiny")).orElseThrow();
      assertThat(tiny.isInline()).isTrue();
      assertThat(Walk.keys(tiny)).containsExactly("t1", "t2");
      Cursor c = outer.cursor();
      assertThat(c.seek(bytes("plain"))).isTrue();
      assertThat(c.isBucket()).isFalse();
      assertThat(Walk.text(c.value())).isEqualTo("row");
      assertThat(Walk.everything(db)).isGreaterThan(120 + 3 + 5 + 2);
    }
  }

  @Test
  void lastAndNext_emptyLeavesAtTheEdges_areSkipped() throws Exception {
    TestBoltBuilder b = new TestBoltBuilder();
    long e1 = b.leaf(List.of());
    long l1 = b.leaf(rows("k", 0, 3));
    long e2 = b.leaf(List.of());
    long l2 = b.leaf(rows("k", 3, 5));
    long e3 = b.leaf(List.of());
    long br = b.branch(List.of(Child.of("a", e1), Child.of("k000", l1), Child.of("k002x", e2), Child.of("k003", l2),
        Child.of("k005", e3)));
    long root = b.leaf(List.of(Entry.bucket("data", TestBoltBuilder.pagedBucket(br))));
    try (BoltFile db = BoltFile.open(b.write(dir.resolve("edges.db"), root, 7))) {
      Bucket data = db.root().bucket(bytes("data")).orElseThrow();
      assertThat(Walk.keys(data)).containsExactly("k000", "k001", "k002", "k003", "k004");
      Cursor c = data.cursor();
      assertThat(c.last()).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k004");
      assertThat(c.seek(bytes("k0049"))).isFalse();
      assertThat(c.seek(bytes("k0021"))).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("k003");
    }
  }

  @Test
  void bucket_plainRowByName_isCorrupt() throws Exception {
    try (BoltFile db = BoltFile.open(file)) {
      Bucket outer = db.root().bucket(bytes("outer")).orElseThrow();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> outer.bucket(bytes("plain")))
          .isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("hand.db")
          .hasMessageContaining("is not a bucket");
    }
  }

  @Test
  void open_fileWithSha256Trailer_ignoresTheTrailer() throws Exception {
    byte[] image = java.nio.file.Files.readAllBytes(file);
    byte[] withTrailer = Arrays.copyOf(image, image.length + 32);
    Path snap = java.nio.file.Files.write(dir.resolve("snap.db"), withTrailer);
    try (BoltFile db = BoltFile.open(snap)) {
      assertThat(db.meta().imageSize()).isEqualTo(image.length);
      assertThat(Walk.everything(db)).isPositive();
    }
  }
}
