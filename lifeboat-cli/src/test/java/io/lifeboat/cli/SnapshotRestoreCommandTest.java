package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRestoreCommandTest {
  @TempDir Path dir;

  @Test
  void restore_goldenSnapshot_printsEtcdsMemberAndClusterIds() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    Path dataDir = dir.resolve("m1.etcd");

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--name", "m1", "--initial-cluster",
        "m1=http://127.0.0.1:2380", "--initial-cluster-token", "tok", "--initial-advertise-peer-urls",
        "http://127.0.0.1:2380", "--data-dir", dataDir.toString(), "-w", "json");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    // The worked example of etcd-formats.md section 6, checked against real etcd.
    assertThat(run.stdout()).contains("\"memberId\":\"71405583d3e2d5ce\"").contains("\"clusterId\":\"24aa77137010d2b7\"")
        .contains("\"revision\":1513").contains("\"etcdVersion\":\"3.5\"");
    assertThat(dataDir.resolve("member/snap/db")).isRegularFile();
    assertThat(dataDir.resolve("member/wal/0000000000000000-0000000000000000.wal")).isRegularFile();
    assertThat(dataDir.resolve("member/snap/0000000000000001-0000000000000001.snap")).isRegularFile();
  }

  @Test
  void restore_eachMemberOfThree_getsByteIdenticalDatabases() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    String cluster = "m1=http://10.0.0.1:2380,m2=http://10.0.0.2:2380,m3=http://10.0.0.3:2380";
    byte[] first = null;
    for (int i = 1; i <= 3; i++) {
      Path dataDir = dir.resolve("m" + i + ".etcd");
      CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--name", "m" + i, "--initial-cluster", cluster,
          "--initial-cluster-token", "tok", "--initial-advertise-peer-urls", "http://10.0.0." + i + ":2380",
          "--data-dir", dataDir.toString());
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      byte[] db = Files.readAllBytes(dataDir.resolve("member/snap/db"));
      if (first == null) {
        first = db;
      } else {
        // One snapshot, the same exact database on every member; only the WAL's local member differs.
        assertThat(db).isEqualTo(first);
      }
    }
    assertThat(Files.readAllBytes(dir.resolve("m1.etcd/member/snap/0000000000000001-0000000000000003.snap")))
        .isEqualTo(Files.readAllBytes(dir.resolve("m3.etcd/member/snap/0000000000000001-0000000000000003.snap")));
  }

  @Test
  void restore_byNameFromDir_findsTheSnapshot() throws IOException {
    Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
    Files.copy(GoldenSnapshots.copyTo("etcd-3.4-small", dir), snapshots.resolve("nightly.db"));

    CliRun run = CliRun.of("snapshot", "restore", "nightly", "--dir", snapshots.toString(), "--data-dir",
        dir.resolve("out").toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("default").contains("3.4 (snapshot)");
    assertThat(run.stderr()).contains("--bump-revision");
  }

  @Test
  void restore_existingDataDir_refusedThenMovedAsideWithForce() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.4-small", dir);
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    Files.writeString(dataDir.resolve("precious"), "keep me");

    CliRun refused = CliRun.of("snapshot", "restore", snapshot.toString(), "--data-dir", dataDir.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("--force");
    assertThat(dataDir.resolve("precious")).hasContent("keep me");

    CliRun forced = CliRun.of("snapshot", "restore", snapshot.toString(), "--data-dir", dataDir.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.stderr()).isZero();
    assertThat(dataDir.resolve("member/snap/db")).isRegularFile();
    try (Stream<Path> s = Files.list(dir)) {
      Path backup = s.filter(p -> p.getFileName().toString().startsWith("data.lifeboat-backup-")).findFirst().orElseThrow();
      assertThat(backup.resolve("precious")).hasContent("keep me");
    }
  }

  @Test
  void restore_nameNotInInitialCluster_exits2WithEtcdsMessage() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--name", "x", "--data-dir",
        dir.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo("Error: couldn't find local name \"x\" in the initial cluster configuration\n");
  }

  @Test
  void restore_bumpWithoutMarkCompacted_exits2() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--bump-revision", "5", "--data-dir",
        dir.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--mark-compacted required");
  }

  @Test
  void restore_damagedSnapshot_exits3AndCreatesNothing() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    try (RandomAccessFile raf = new RandomAccessFile(snapshot.toFile(), "rw")) {
      raf.seek(300_000);
      int b = raf.read();
      raf.seek(300_000);
      raf.write(b ^ 1);
    }

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--data-dir", dir.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr().lines()).hasSize(1);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("etcd-3.5-k8s.db");
    }
  }

  @Test
  void restore_trailerRemovedWithoutSkipHashCheck_exits3LikeEtcdctl() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.4-small", dir);
    try (var ch = java.nio.channels.FileChannel.open(snapshot, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 32);
    }

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--data-dir", dir.resolve("out").toString());
    CliRun skipped = CliRun.of("snapshot", "restore", snapshot.toString(), "--skip-hash-check", "--data-dir",
        dir.resolve("out2").toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("snapshot missing hash but --skip-hash-check=false");
    assertThat(skipped.exitCode()).as(skipped.stderr()).isZero();
  }

  @Test
  void restore_unknownEtcdVersion_exits2() throws IOException {
    Path snapshot = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "restore", snapshot.toString(), "--etcd-version", "3.6");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--etcd-version must be 3.4, 3.5 or auto");
  }
}
