package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testkit.CertificateAuthority;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdMember;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import io.lifeboat.testkit.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code bin/lifeboat snapshot save} against real etcd 3.4 and 3.5. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SnapshotSaveIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void save_singleMember_equalsEtcdctlSaveAndRestoresWithUpstream(EtcdVersion version) throws IOException {
    Path upstream = dir.resolve("upstream.db");
    Path ours = dir.resolve("ours.db");
    List<String> sourceView;
    try (EtcdCluster cluster = EtcdCluster.builder().version(version).name("save-single-" + version.displayName()).start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.keys(3000));
      sourceView = EtcdViews.keyValues(cluster);
      cluster.etcdctl("snapshot", "save", upstream.toString()).requireSuccess();

      // etcdctl's environment variables work as with etcdctl.
      CommandResult save = LifeboatProcess.run(Map.of("ETCDCTL_ENDPOINTS", cluster.endpoints()),
          "snapshot", "save", ours.toString());
      assertThat(save.exitCode()).as(save.stderr()).isZero();
      assertThat(save.stdout()).startsWith("Saved snapshot").contains(ours.toString());
      assertThat(save.stderr()).contains("Streaming from member");

      JsonNode expected = EtcdViews.snapshotStatus(cluster, upstream);
      assertThat(EtcdViews.snapshotStatus(cluster, ours)).isEqualTo(expected);
      assertThat(expected.path("revision").asLong()).isEqualTo(EtcdViews.revision(cluster));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ours))).isEqualTo("rw-------");

    // Our file restores with upstream etcdctl/etcdutl and the restored member serves the same data.
    int peer = EtcdCluster.freeLoopbackPort();
    int client = EtcdCluster.freeLoopbackPort();
    Path dataDir = dir.resolve("restored.etcd");
    List<String> restore = new ArrayList<>();
    restore.add(version.etcdutl().orElse(version.etcdctl()).toString());
    restore.addAll(List.of("snapshot", "restore", ours.toString(), "--name", "r1", "--data-dir", dataDir.toString(),
        "--initial-cluster", "r1=http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer));
    EtcdCluster.run(java.time.Duration.ofMinutes(2), restore).requireSuccess();
    EtcdMember member = new EtcdMember("r1", URI.create("http://127.0.0.1:" + client),
        URI.create("http://127.0.0.1:" + peer), dataDir, dir.resolve("r1.log"));
    try (EtcdCluster restored = EtcdCluster.boot(version, "save-restored-" + version.displayName(), List.of(member))) {
      assertThat(EtcdViews.keyValues(restored)).isEqualTo(sourceView);
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void save_threeMembersMutualTlsAndAuth_streamsFromLeaderIntoNamedSnapshot(EtcdVersion version) throws IOException {
    try (EtcdCluster cluster = EtcdCluster.builder().version(version).members(3).tls(true)
        .name("save-tls-" + version.displayName()).start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.keys(2000));
      enableAuth(cluster);
      String[] auth = {"--user", "root:s3cret"};
      TlsFiles tls = cluster.tls().orElseThrow();
      Path snapshots = dir.resolve("snapshots");
      String[] save = {"--endpoints", cluster.endpoints(), "--cacert", tls.caCert().toString(), "--cert",
          tls.clientCert().toString(), "--key", tls.clientKey().toString(), "--user", "root", "--password", "s3cret",
          "snapshot", "save", "--dir", snapshots.toString(), "--name", "nightly", "--compress", "none", "-w", "json"};

      CommandResult result = LifeboatProcess.run(save);

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      JsonNode metadata = EtcdViews.parse(result.stdout());
      assertThat(metadata.path("format").asText()).isEqualTo("lifeboat.snapshot/v1");
      assertThat(metadata.path("etcd").path("memberId").asText()).isEqualTo(EtcdViews.leaderIdHex(cluster, auth));
      Path db = snapshots.resolve("nightly.db");
      JsonNode status = EtcdViews.snapshotStatus(cluster, db);
      assertThat(metadata.path("etcd").path("revision").asLong()).isEqualTo(status.path("revision").asLong());
      assertThat(metadata.path("etcd").path("hash").asLong()).isEqualTo(status.path("hash").asLong());
      assertThat(metadata.path("etcd").path("totalKey").asLong()).isEqualTo(status.path("totalKey").asLong());
      assertThat(metadata.path("size").asLong()).isEqualTo(Files.size(db));
      assertThat(EtcdViews.parse(Files.readString(snapshots.resolve("nightly.json")))).isEqualTo(metadata);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshots))).isEqualTo("rwx------");
      assertThat(result.stdout() + result.stderr()).doesNotContain("s3cret");

      // The same name again is refused and nothing changes.
      byte[] before = Files.readAllBytes(db);
      CommandResult again = LifeboatProcess.run(save);
      assertThat(again.exitCode()).isEqualTo(2);
      assertThat(again.stdout() + again.stderr()).contains("already exists");
      assertThat(Files.readAllBytes(db)).isEqualTo(before);

      // Wrong password: exit 2, a clear message, no password echoed, nothing written.
      CommandResult wrongPassword = LifeboatProcess.run(replace(save, "s3cret", "wrong-pass", "nightly", "other"));
      assertThat(wrongPassword.exitCode()).isEqualTo(2);
      assertThat(wrongPassword.stdout() + wrongPassword.stderr()).contains("root").doesNotContain("wrong-pass");
      assertThat(snapshots.resolve("other.db")).doesNotExist();

      // A CA that did not sign the servers' certificates: exit 2 naming --cacert.
      Path otherCa = CertificateAuthority.create("other-ca").writeCertificate(dir.resolve("other-ca.pem"));
      CommandResult wrongCa = LifeboatProcess.run(replace(save, tls.caCert().toString(), otherCa.toString(), "nightly", "other"));
      assertThat(wrongCa.exitCode()).isEqualTo(2);
      // With -w json the failure is JSON on stdout too.
      JsonNode error = EtcdViews.parse(wrongCa.stdout());
      assertThat(error.path("code").asInt()).isEqualTo(2);
      assertThat(error.path("error").asText()).contains("--cacert").contains("other-ca.pem");
      assertThat(listNames(snapshots)).containsExactlyInAnyOrder("nightly.db", "nightly.json");
    }
  }

  @Test
  void save_unreachableEndpoint_exits2AfterDialTimeoutLeavingNothing() throws IOException {
    int port = EtcdCluster.freeLoopbackPort();
    long start = System.nanoTime();

    CommandResult result = LifeboatProcess.run("--endpoints", "127.0.0.1:" + port, "--dial-timeout", "1s",
        "snapshot", "save", "--dir", dir.toString(), "--name", "x");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).startsWith("Error: ").contains("127.0.0.1:" + port).contains("unreachable");
    assertThat(result.stderr().strip().lines()).hasSize(1);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
    assertThat(listNames(dir)).isEmpty();
  }

  /**
   * Both ways a named save stores its stream: as it is ({@code --compress none}), and compressed
   * while it streams (the default), where a failed attempt's encoding must be abandoned too.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "zstd"})
  void save_leaderKilledDuringLargeSave_completesFromAnotherMemberOrLeavesNothing(String compression)
      throws Exception {
    try (EtcdCluster cluster = EtcdCluster.builder().version(EtcdVersion.V3_5).members(3)
        .name("save-leader-killed-" + compression).start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.bytes(300L << 20));
      String leader = EtcdViews.leaderIdHex(cluster);
      Path snapshots = dir.resolve("snapshots");
      Process save = LifeboatProcess.start(Map.of(), "--endpoints", cluster.endpoints(), "snapshot", "save",
          "--dir", snapshots.toString(), "--name", "big", "--compress", compression, "--retry-backoff", "200ms");

      // Kill the leader once the stream is under way.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (save.isAlive() && System.nanoTime() < deadline && temporaryBytes(snapshots) < (20L << 20)) {
        Thread.sleep(5);
      }
      assertThat(save.isAlive()).as("save still streaming when the leader is killed").isTrue();
      EtcdMember leaderMember = cluster.members().stream()
          .filter(m -> memberIdHex(cluster, m).equals(leader)).findFirst().orElseThrow();
      cluster.kill(leaderMember);
      assertThat(save.waitFor(3, TimeUnit.MINUTES)).isTrue();
      CommandResult result = LifeboatProcess.result(save);

      assertThat(listNames(snapshots)).noneMatch(n -> n.startsWith("."));
      String dataFile = compression.equals("none") ? "big.db" : "big.db.zst";
      if (result.exitCode() == 0) {
        assertThat(result.stderr()).contains("attempt 1").contains("Attempt 2");
        assertThat(listNames(snapshots)).containsExactlyInAnyOrder(dataFile, "big.json");
        // Whole and as its metadata says: the sha256 of the stored file, and the snapshot inside.
        CommandResult verify = LifeboatProcess.run("snapshot", "verify", "big", "--dir", snapshots.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        if (compression.equals("none")) {
          CommandResult check =
              LifeboatProcess.run("snapshot", "status", "-w", "json", snapshots.resolve("big.db").toString());
          assertThat(check.exitCode()).isZero();
          assertThat(check.stdout()).contains("\"sha256Trailer\":\"valid\"");
        }
      } else {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(listNames(snapshots)).noneMatch(n -> n.startsWith("big"));
      }
    }
  }

  private static String memberIdHex(EtcdCluster cluster, EtcdMember member) {
    JsonNode status = EtcdViews.parse(cluster.etcdctlOn(member, "endpoint", "status", "-w", "json").requireSuccess().stdout());
    return Long.toHexString(status.get(0).path("Status").path("header").path("member_id").asLong());
  }

  private static long temporaryBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void enableAuth(EtcdCluster cluster) {
    if (cluster.version() == EtcdVersion.V3_5) {
      cluster.etcdctl("role", "add", "root").requireSuccess();
    }
    cluster.etcdctl("user", "add", "root:s3cret").requireSuccess();
    cluster.etcdctl("user", "grant-role", "root", "root").requireSuccess();
    cluster.etcdctl("auth", "enable").requireSuccess();
  }

  private static String[] replace(String[] args, String... pairs) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      for (int p = 0; p < pairs.length; p += 2) {
        if (out[i].equals(pairs[p])) {
          out[i] = pairs[p + 1];
        }
      }
    }
    return out;
  }

  private static List<String> listNames(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
