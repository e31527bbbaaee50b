package io.lifeboat.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.bbolt.BoltFile;
import io.lifeboat.bbolt.Bucket;
import io.lifeboat.bbolt.Cursor;
import io.lifeboat.etcd.membership.InitialCluster;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.SnapshotInspector;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.etcd.wal.SnapFiles;
import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotRestorerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:11:12Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private final SnapshotRestorer restorer = new SnapshotRestorer(CLOCK);

  private RestoreRequest.Builder m1(Path snapshot) {
    return RestoreRequest.builder(snapshot).name("m1").initialCluster("m1=http://127.0.0.1:2380").token("tok")
        .advertisePeerUrls(List.of("http://127.0.0.1:2380")).dataDir(dir.resolve("m1.etcd"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-small", "etcd-3.5-small", "etcd-3.4-k8s", "etcd-3.5-k8s", "etcd-3.5-auth"})
  void restore_golden_keepsEveryRowAndRewritesMembership(String name) throws IOException {
    Path snapshot = GoldenSnapshots.copyTo(name, dir);
    Map<String, Map<String, String>> before = rows(snapshot);

    RestoreResult result = restorer.restore(m1(snapshot).build(), RestoreProgress.none());

    Path db = dir.resolve("m1.etcd/member/snap/db");
    Map<String, Map<String, String>> after = rows(db);
    assertThat(result.trailer()).isEqualTo(TrailerCheck.VALID);
    assertThat(result.member().id()).isEqualTo(0x71405583d3e2d5ceL);
    assertThat(result.clusterId()).isEqualTo(0x24aa77137010d2b7L);
    assertThat(result.targetVersion()).isEqualTo(name.contains("3.4") ? TargetVersion.V3_4 : TargetVersion.V3_5);
    assertThat(result.versionSource()).isEqualTo(VersionSource.SNAPSHOT);
    assertThat(after.get("members")).containsExactly(Map.entry(hex("71405583d3e2d5ce"),
        hex("{\"id\":8160616549479273934,\"peerURLs\":[\"http://127.0.0.1:2380\"],\"name\":\"m1\"}")));
    assertThat(after.get("members_removed")).isEmpty();
    assertThat(after.get("meta")).containsEntry(hex("consistent_index"), "0000000000000001")
        .containsEntry(hex("term"), "0000000000000001");
    for (String bucket : before.keySet()) {
      if (!List.of("members", "members_removed", "meta", "alarm").contains(bucket)) {
        assertThat(after.get(bucket)).as(bucket).isEqualTo(before.get(bucket));
      }
    }
    Map<String, String> metaBefore = new LinkedHashMap<>(before.get("meta"));
    metaBefore.keySet().removeAll(List.of(hex("consistent_index"), hex("term")));
    assertThat(after.get("meta")).containsAllEntriesOf(metaBefore);

    SnapshotReport status = SnapshotInspector.inspect(db, TrailerPolicy.SKIP);
    assertThat(status.status().revision()).isEqualTo(result.revision())
        .isEqualTo(GoldenSnapshots.jsonNumber(GoldenSnapshots.statusJson(name), "revision"));
    assertThat(status.status().totalKey()).isEqualTo(result.totalKey());
    assertThat(Files.readAllBytes(dir.resolve("m1.etcd/member/snap/0000000000000001-0000000000000001.snap")))
        .isEqualTo(SnapFiles.bootstrap(InitialCluster.parse("m1=http://127.0.0.1:2380").members("tok")));
    assertThat(Files.size(dir.resolve("m1.etcd/member/wal/0000000000000000-0000000000000000.wal")))
        .isEqualTo(64_000_000L);
    assertThat(perms(dir.resolve("m1.etcd"))).isEqualTo("rwx------");
    assertThat(perms(dir.resolve("m1.etcd/member/wal"))).isEqualTo("rwx------");
    assertThat(perms(db)).isEqualTo("rw-------");
    assertThat(perms(dir.resolve("m1.etcd/member/snap/0000000000000001-0000000000000001.snap"))).isEqualTo("rw-r--r--");
    assertNoTemporaries();
  }

  @Test
  void restore_bump_appendsEmptyRowAndSchedulesCompaction() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    long revision = GoldenSnapshots.jsonNumber(GoldenSnapshots.statusJson("etcd-3.5-small"), "revision");

    RestoreResult result = restorer.restore(m1(snapshot).bumpRevision(1000).markCompacted(true).build(),
        RestoreProgress.none());

    Map<String, Map<String, String>> after = rows(dir.resolve("m1.etcd/member/snap/db"));
    String bumped = String.format("%016x5f0000000000000000", revision + 1000);
    assertThat(result.revision()).isEqualTo(revision + 1000);
    assertThat(after.get("key")).containsEntry(bumped, "");
    assertThat(after.get("meta")).containsEntry(hex("scheduledCompactRev"), bumped);
  }

  @Test
  void restore_alarmAndEnabledDowngrade_droppedAndResetWithNotes() throws IOException {
    Path golden = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    Path snapshot = new SnapshotEditor()
        .put("alarm", HEX.parseHex("08fdbcd7f5ddefa6dd9f011001"), new byte[0])
        .put("cluster", "downgrade", "{\"target-version\":\"3.4.0\",\"enabled\":true}")
        .write(golden, dir.resolve("with-alarm.db"));

    RestoreResult result = restorer.restore(m1(snapshot).build(), RestoreProgress.none());

    Map<String, Map<String, String>> after = rows(dir.resolve("m1.etcd/member/snap/db"));
    assertThat(after.get("alarm")).isEmpty();
    assertThat(after.get("cluster")).containsEntry(hex("downgrade"), hex("{\"target-version\":\"\",\"enabled\":false}"));
    assertThat(result.alarmsDropped()).isEqualTo(1);
    assertThat(result.downgradeReset()).isTrue();
    assertThat(result.notes()).anyMatch(n -> n.contains("alarm")).anyMatch(n -> n.contains("downgrade"));
  }

  @Test
  void restore_auto_storageVersionOf36_writesThe35Layout() throws IOException {
    Path golden = GoldenSnapshots.copyTo("etcd-3.4-small", dir);
    Path snapshot = new SnapshotEditor().put("meta", "storageVersion", "3.6.0").write(golden, dir.resolve("36.db"));

    RestoreResult result = restorer.restore(m1(snapshot).build(), RestoreProgress.none());

    assertThat(result.targetVersion()).isEqualTo(TargetVersion.V3_5);
    assertThat(result.versionSource()).isEqualTo(VersionSource.SNAPSHOT);
    assertThat(result.versionReason()).contains("3.6.0");
    assertThat(rows(dir.resolve("m1.etcd/member/snap/db")).get("meta")).containsEntry(hex("storageVersion"), hex("3.6.0"));
  }

  @Test
  void restore_progress_reportsSizeAndSteps() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    List<String> events = new java.util.ArrayList<>();

    restorer.restore(m1(snapshot).build(), new RestoreProgress() {
      @Override
      public void started(long snapshotBytes) {
        events.add("started " + snapshotBytes);
      }

      @Override
      public void step(String description) {
        events.add(description);
      }
    });

    assertThat(events).first().isEqualTo("started " + Files.size(snapshot));
    assertThat(events).contains("writing the WAL and the .snap file", "moving the new directories into place");
  }

  @Test
  void restore_withoutMembershipBuckets_createsThem() throws IOException {
    Path golden = GoldenSnapshots.copyTo("etcd-3.4-small", dir);
    Path image = dir.resolve("image.db");
    // A db that lacks cluster, members, members_removed (and has no trailer).
    try (io.lifeboat.bbolt.BoltWriter w = io.lifeboat.bbolt.BoltWriter.create(image, 4096)) {
      Map<String, Map<String, String>> source = rows(golden);
      for (String bucket : List.of("key", "lease", "meta")) {
        try (io.lifeboat.bbolt.BucketWriter b = w.bucket(bucket.getBytes(StandardCharsets.UTF_8))) {
          for (Map.Entry<String, String> r : source.get(bucket).entrySet()) {
            b.put(HEX.parseHex(r.getKey()), HEX.parseHex(r.getValue()));
          }
        }
      }
      w.finish(3);
    }

    RestoreResult result = restorer.restore(m1(image).trailerPolicy(TrailerPolicy.SKIP).build(),
        RestoreProgress.none());

    Map<String, Map<String, String>> after = rows(dir.resolve("m1.etcd/member/snap/db"));
    assertThat(after.keySet()).containsExactly("cluster", "key", "lease", "members", "members_removed", "meta");
    assertThat(after.get("members")).hasSize(1);
    assertThat(result.versionSource()).isEqualTo(VersionSource.DEFAULT);
    assertThat(result.targetVersion()).isEqualTo(TargetVersion.V3_5);
  }

  @Test
  void restore_explicitVersion_reportsFlagAndWritesWalWithoutConfState() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);

    RestoreResult result = restorer.restore(m1(snapshot).targetVersion(TargetVersion.V3_4).build(),
        RestoreProgress.none());

    assertThat(result.targetVersion()).isEqualTo(TargetVersion.V3_4);
    assertThat(result.versionSource()).isEqualTo(VersionSource.FLAG);
    byte[] wal = Files.readAllBytes(dir.resolve("m1.etcd/member/wal/0000000000000000-0000000000000000.wal"));
    assertThat(HEX.formatHex(wal, 0xe8, 0x100)).isEqualTo("0e00000000000082080510bef5a9b00c1a04080110010000");
  }

  @Test
  void restore_flippedByte_refusedAndNothingWritten() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x40);
    }

    assertThatThrownBy(() -> restorer.restore(m1(snapshot).build(), RestoreProgress.none()))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("sha256");
    assertThat(dir.resolve("m1.etcd")).doesNotExist();
    assertNoTemporaries();
  }

  @Test
  void restore_trailerRemoved_refusedUnlessSkip() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
      f.setLength(f.length() - 32);
    }

    assertThatThrownBy(() -> restorer.restore(m1(snapshot).build(), RestoreProgress.none()))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("snapshot missing hash but --skip-hash-check=false");
    assertThat(dir.resolve("m1.etcd")).doesNotExist();

    RestoreResult result = restorer.restore(m1(snapshot).trailerPolicy(TrailerPolicy.SKIP).build(),
        RestoreProgress.none());
    assertThat(result.trailer()).isEqualTo(TrailerCheck.ABSENT);
    assertThat(dir.resolve("m1.etcd/member/snap/db")).exists();
  }

  @Test
  void restore_truncated_refusedAndNothingWritten() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
      f.setLength(f.length() / 2 / 512 * 512 + 32);
    }

    assertThatThrownBy(() -> restorer.restore(m1(snapshot).build(), RestoreProgress.none()))
        .isInstanceOf(CorruptSnapshotException.class);
    assertThatThrownBy(() -> restorer.restore(m1(snapshot).trailerPolicy(TrailerPolicy.SKIP).build(),
        RestoreProgress.none()))
        .isInstanceOf(CorruptSnapshotException.class);
    assertThat(dir.resolve("m1.etcd")).doesNotExist();
    assertNoTemporaries();
  }

  @Test
  void restore_existingNonEmptyDataDir_refusedWithoutForce() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    Files.createDirectories(dir.resolve("m1.etcd"));
    Files.writeString(dir.resolve("m1.etcd/keep.txt"), "old");

    assertThatThrownBy(() -> restorer.restore(m1(snapshot).build(), RestoreProgress.none()))
        .isInstanceOf(DataDirExistsException.class)
        .hasMessageContaining("--force");
    assertThat(Files.readString(dir.resolve("m1.etcd/keep.txt"))).isEqualTo("old");
  }

  @Test
  void restore_force_movesOldDirAsideIntact() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    Files.createDirectories(dir.resolve("m1.etcd"));
    Files.writeString(dir.resolve("m1.etcd/keep.txt"), "old");

    RestoreResult result = restorer.restore(m1(snapshot).force(true).build(), RestoreProgress.none());

    Path backup = dir.resolve("m1.etcd.lifeboat-backup-20261125T101112Z");
    assertThat(result.movedAside()).containsExactly(backup);
    assertThat(Files.readString(backup.resolve("keep.txt"))).isEqualTo("old");
    assertThat(dir.resolve("m1.etcd/member/snap/db")).exists();
    assertThat(dir.resolve("m1.etcd/keep.txt")).doesNotExist();
  }

  @Test
  void restore_emptyExistingDataDir_replaced() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);
    Files.createDirectories(dir.resolve("m1.etcd"));

    RestoreResult result = restorer.restore(m1(snapshot).build(), RestoreProgress.none());

    assertThat(result.movedAside()).isEmpty();
    assertThat(dir.resolve("m1.etcd/member/snap/db")).exists();
  }

  @Test
  void restore_separateWalDir_writesWalThere() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-small", dir);

    RestoreResult result = restorer.restore(m1(snapshot).walDir(dir.resolve("wal")).build(), RestoreProgress.none());

    assertThat(result.walDir()).isEqualTo(dir.resolve("wal"));
    assertThat(dir.resolve("wal/0000000000000000-0000000000000000.wal")).exists();
    assertThat(dir.resolve("m1.etcd/member/wal")).doesNotExist();
    assertNoTemporaries();
  }

  private void assertNoTemporaries() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".lifeboat-tmp-"));
    }
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String hex(String s) {
    return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Bucket name to (hex key to hex value), in file order. */
  static Map<String, Map<String, String>> rows(Path db) throws IOException {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    try (BoltFile f = BoltFile.open(db)) {
      Bucket root = f.root();
      Cursor top = root.cursor();
      for (boolean more = top.first(); more; more = top.next()) {
        String name = StandardCharsets.UTF_8.decode(top.key()).toString();
        Map<String, String> rows = new LinkedHashMap<>();
        Cursor c = root.openBucket(top).cursor();
        for (boolean m = c.first(); m; m = c.next()) {
          rows.put(hex(c.key()), hex(c.value()));
        }
        all.put(name, rows);
      }
    }
    return all;
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HEX.formatHex(bytes);
  }
}
