package io.lifeboat.bbolt;

import static io.lifeboat.golden.GoldenSnapshots.jsonNumber;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenFilesTest {
  @TempDir
  Path dir;

  static List<String> names() {
    return GoldenSnapshots.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void open_goldenSnapshot_metaIsPageZeroWithTheHigherTxid(String name) throws Exception {
    Path file = GoldenSnapshots.copyTo(name, dir);
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long txid0 = raw.getLong(16 + 48);
    long txid1 = raw.getLong(4096 + 16 + 48);
    try (BoltFile db = BoltFile.open(file)) {
      Meta m = db.meta();
      assertThat(m.pageSize()).isEqualTo(4096);
      assertThat(m.pageId()).isZero();
      assertThat(m.txid()).isEqualTo(txid0);
      assertThat(txid1).isEqualTo(txid0 - 1);
      assertThat(m.freelistPageId()).isEqualTo(-1L);
      assertThat(m.imageSize()).isEqualTo(jsonNumber(GoldenSnapshots.statusJson(name), "totalSize"));
      assertThat(Files.size(file)).isEqualTo(m.imageSize() + 32);
      assertThat(db.path()).isEqualTo(file);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void root_goldenSnapshot_hasTheTenEtcdBuckets(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      assertThat(Walk.topLevelNames(db)).containsExactly(
          "alarm", "auth", "authRoles", "authUsers", "cluster", "key", "lease", "members", "members_removed", "meta");
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void iterate_everyBucket_countsTheTotalKeyOfEtcdctlStatus(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      assertThat(Walk.countTopLevelBucketEntries(db))
          .isEqualTo(jsonNumber(GoldenSnapshots.statusJson(name), "totalKey"));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void last_keyBucket_holdsTheRevisionOfEtcdctlStatus(String name) throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket key = db.root().bucket(TestBoltBuilder.bytes("key")).orElseThrow();
      Cursor c = key.cursor();
      assertThat(c.last()).isTrue();
      long mainRevision = c.key().order(ByteOrder.BIG_ENDIAN).getLong(0);
      assertThat(mainRevision).isEqualTo(jsonNumber(GoldenSnapshots.statusJson(name), "revision"));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void iterate_everyBucketInOrder_reproducesTheHashOfEtcdctlStatus(String name) throws Exception {
    // etcdctl's hash: CRC-32C over each top-level bucket name, then its keys and values, in order.
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo(name, dir))) {
      Bucket root = db.root();
      Cursor c = root.cursor();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        crc.update(c.key());
        Cursor in = root.openBucket(c).cursor();
        for (boolean more = in.first(); more; more = in.next()) {
          crc.update(in.key());
          crc.update(in.value());
        }
      }
    }
    assertThat(crc.getValue()).isEqualTo(jsonNumber(GoldenSnapshots.statusJson(name), "hash"));
  }

  @Test
  void bucket_authSnapshot_hasAuthEnabledAndTheReaderRole() throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo("etcd-3.5-auth", dir))) {
      Bucket auth = db.root().bucket(TestBoltBuilder.bytes("auth")).orElseThrow();
      Cursor c = auth.cursor();
      assertThat(c.seek(TestBoltBuilder.bytes("authEnabled"))).isTrue();
      assertThat(Walk.text(c.key())).isEqualTo("authEnabled");
      assertThat(c.value().get(0)).isEqualTo((byte) 1);
      Bucket roles = db.root().bucket(TestBoltBuilder.bytes("authRoles")).orElseThrow();
      assertThat(Walk.keys(roles)).contains("reader", "root");
      Bucket users = db.root().bucket(TestBoltBuilder.bytes("authUsers")).orElseThrow();
      assertThat(Walk.keys(users)).contains("root", "alice");
    }
  }

  @Test
  void bucket_absentName_isEmpty() throws Exception {
    try (BoltFile db = BoltFile.open(GoldenSnapshots.copyTo("etcd-3.4-small", dir))) {
      assertThat(db.root().bucket(TestBoltBuilder.bytes("nope"))).isEqualTo(Optional.empty());
      assertThat(db.root().bucket(TestBoltBuilder.bytes("zzz"))).isEmpty();
      assertThat(db.root().bucket(TestBoltBuilder.bytes("alarm")).orElseThrow().isInline()).isTrue();
    }
  }

  @Test
  void statusJson_goldenFiles_areOneLineOfEtcdOutput() {
    for (String name : GoldenSnapshots.names()) {
      assertThat(GoldenSnapshots.statusJson(name)).startsWith("{\"hash\":").doesNotContain("\n");
      assertThat(jsonNumber(GoldenSnapshots.snapshotFactsJson(name), "revision"))
          .isEqualTo(jsonNumber(GoldenSnapshots.statusJson(name), "revision"));
    }
  }
}
