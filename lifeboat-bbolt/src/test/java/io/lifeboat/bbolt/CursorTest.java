package io.lifeboat.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.golden.GoldenSnapshots;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {
  @TempDir
  Path dir;

  private static byte[] array(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private List<byte[]> allKeys(Bucket b) throws Exception {
    List<byte[]> keys = new ArrayList<>();
    Cursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      keys.add(array(c.key()));
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-k8s", "etcd-3.5-k8s"})
  void keyBucket_k8sSnapshot_isPagedWithThreeLevels(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      assertThat(key.isInline()).isFalse();
      Page root = new Page(4096);
      db.load(key.rootPgid(), root);
      assertThat(root.isLeaf()).isFalse();
      assertThat(root.count).isGreaterThanOrEqualTo(2);
      // Three levels: the root branch points to branches that point to the leaves.
      Page child = new Page(4096);
      db.load(root.childPgid(0), child);
      assertThat(child.isLeaf()).isFalse();
      assertThat(child.count).isGreaterThan(10);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-k8s", "etcd-3.5-k8s"})
  void firstNextLast_acrossBranchPages_visitEveryRowInOrder(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      List<byte[]> keys = allKeys(key);
      assertThat(keys).hasSizeGreaterThan(1000);
      for (int i = 1; i < keys.size(); i++) {
        assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).isNegative();
      }
      Cursor c = key.cursor();
      assertThat(c.last()).isTrue();
      assertThat(array(c.key())).isEqualTo(keys.get(keys.size() - 1));
      assertThat(c.next()).isFalse();
      assertThatThrownBy(c::key).isInstanceOf(IllegalStateException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-k8s", "etcd-3.5-k8s"})
  void seek_everyExistingKey_landsOnIt_andNextContinuesInOrder(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      List<byte[]> keys = allKeys(key);
      Cursor c = key.cursor();
      for (int i = 0; i < keys.size(); i += 7) {
        assertThat(c.seek(keys.get(i))).isTrue();
        assertThat(array(c.key())).isEqualTo(keys.get(i));
        if (i + 1 < keys.size()) {
          assertThat(c.next()).isTrue();
          assertThat(array(c.key())).isEqualTo(keys.get(i + 1));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-k8s", "etcd-3.5-k8s"})
  void seek_betweenKeys_landsOnTheNextKey(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      List<byte[]> keys = allKeys(key);
      Cursor c = key.cursor();
      for (int i = 0; i + 1 < keys.size(); i += 5) {
        // A 17-byte revision followed by 0x00 sorts after it and before the next revision.
        byte[] between = Arrays.copyOf(keys.get(i), keys.get(i).length + 1);
        assertThat(c.seek(between)).isTrue();
        assertThat(array(c.key())).isEqualTo(keys.get(i + 1));
      }
      assertThat(c.seek(new byte[] {0})).isTrue();
      assertThat(array(c.key())).isEqualTo(keys.get(0));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-k8s", "etcd-3.5-k8s"})
  void seek_pastTheEnd_returnsFalse(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      Cursor c = key.cursor();
      byte[] past = new byte[18];
      Arrays.fill(past, (byte) 0xFF);
      assertThat(c.seek(past)).isFalse();
      assertThat(c.next()).isFalse();
      List<byte[]> keys = allKeys(key);
      byte[] afterLast = Arrays.copyOf(keys.get(keys.size() - 1), 18 + 1);
      assertThat(c.seek(afterLast)).isFalse();
    }
  }

  @Test
  void cursor_emptyInlineBucket_hasNoEntries() throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo("etcd-3.4-small", dir))) {
      Bucket alarm = db.root().bucket(TestBoltBuilder.bytes("alarm")).orElseThrow();
      Cursor c = alarm.cursor();
      assertThat(c.first()).isFalse();
      assertThat(c.last()).isFalse();
      assertThat(c.seek(new byte[] {1})).isFalse();
      assertThat(c.next()).isFalse();
    }
  }

  @Test
  void key_view_isReadOnlyAndCoversOnlyTheKey() throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo("etcd-3.4-small", dir))) {
      Cursor c = db.root().cursor();
      assertThat(c.first()).isTrue();
      ByteBuffer k = c.key();
      assertThat(k.isReadOnly()).isTrue();
      assertThat(k.position()).isZero();
      assertThat(Walk.text(k)).isEqualTo("alarm");
      assertThat(c.keyLength()).isEqualTo(5);
      assertThat(c.isBucket()).isTrue();
      assertThat(c.valueLength()).isEqualTo(32);
    }
  }
}
