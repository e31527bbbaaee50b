package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdMember;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadResult;
import io.lifeboat.testkit.LoadSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code bin/lifeboat snapshot restore} against real etcd 3.4 and 3.5: snapshots taken by
 * {@code lifeboat snapshot save} and by {@code etcdctl snapshot save} restore into data
 * directories that etcd boots, serving exactly the source's data, with the member and cluster IDs
 * an upstream restore gives.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SnapshotRestoreIT {
  private static final String[] ROOT = {"--user", "root:s3cret"};

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void restore_threeMembersFromLifeboatSnapshotWithAuth_bootsWithSourceDataUsersAndLeases(EtcdVersion version)
      throws IOException {
    Path snapshot = dir.resolve("source.db");
    List<String> sourceView;
    String sourceLeases;
    long snapshotRevision;
    try (EtcdCluster source = EtcdCluster.builder().version(version).name("restore-src-" + version.displayName()).start()) {
      new KubernetesLikeLoader(source.client()).load(LoadSpec.keys(1500));
      source.etcdctl("role", "add", "reader").requireSuccess();
      source.etcdctl("role", "grant-permission", "reader", "read", "/registry/", "--prefix").requireSuccess();
      source.etcdctl("user", "add", "alice:alice-pass").requireSuccess();
      source.etcdctl("user", "grant-role", "alice", "reader").requireSuccess();
      if (version == EtcdVersion.V3_5) {
        source.etcdctl("role", "add", "root").requireSuccess();
      }
      source.etcdctl("user", "add", "root:s3cret").requireSuccess();
      source.etcdctl("user", "grant-role", "root", "root").requireSuccess();
      source.etcdctl("auth", "enable").requireSuccess();
      sourceView = EtcdViews.keyValues(source, ROOT);
      sourceLeases = leaseIds(source);
      snapshotRevision = EtcdViews.revision(source, ROOT);
      CommandResult save = LifeboatProcess.run("--endpoints", source.endpoints(), "--user", "root:s3cret",
          "snapshot", "save", snapshot.toString());
      assertThat(save.exitCode()).as(save.stderr()).isZero();
    }

    List<EtcdMember> members = layout(3);
    String initialCluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    List<String> memberIds = new ArrayList<>();
    for (EtcdMember m : members) {
      CommandResult restore = LifeboatProcess.run("snapshot", "restore", snapshot.toString(), "--name", m.name(),
          "--data-dir", m.dataDir().toString(), "--initial-cluster", initialCluster,
          "--initial-cluster-token", "restored", "--initial-advertise-peer-urls", m.peerUrl().toString(), "-w", "json");
      assertThat(restore.exitCode()).as(restore.stderr()).isZero();
      JsonNode result = EtcdViews.parse(restore.stdout());
      assertThat(result.path("revision").asLong()).isEqualTo(snapshotRevision);
      assertThat(result.path("etcdVersion").asText()).isEqualTo(version.displayName());
      memberIds.add(result.path("memberId").asText());
    }

    try (EtcdCluster restored = EtcdCluster.boot(version, "restore-3-" + version.displayName(), members, "root:s3cret")) {
      assertThat(EtcdViews.keyValues(restored, ROOT)).isEqualTo(sourceView);
      assertThat(leaseIds(restored)).isEqualTo(sourceLeases);
      JsonNode list = EtcdViews.parse(restored.etcdctl("--user", "root:s3cret", "member", "list", "-w", "json")
          .requireSuccess().stdout());
      List<String> listed = StreamSupport.stream(list.path("members").spliterator(), false)
          .map(n -> Long.toHexString(n.path("ID").asLong())).sorted().toList();
      assertThat(listed).isEqualTo(memberIds.stream().sorted().toList());
      // Users and roles came along: alice may read /registry/ and nothing else.
      assertThat(restored.etcdctl("--user", "alice:alice-pass", "get", "/registry/", "--prefix", "--keys-only",
          "--limit", "1").requireSuccess().stdout()).startsWith("/registry/");
      assertThat(restored.etcdctl("--user", "alice:alice-pass", "put", "/registry/x", "y").exitCode()).isNotZero();
      // Writes work and revisions continue from the snapshot's.
      JsonNode put = EtcdViews.parse(restored.etcdctl("--user", "root:s3cret", "put", "after-restore", "1", "-w", "json")
          .requireSuccess().stdout());
      assertThat(put.path("header").path("revision").asLong()).isEqualTo(snapshotRevision + 1);
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void restore_etcdctlSnapshotWithBump_sameIdsAsUpstreamRestoreAndRevisionJumps(EtcdVersion version) throws IOException {
    Path snapshot = dir.resolve("etcdctl.db");
    List<String> sourceView;
    long snapshotRevision;
    LoadResult loaded;
    try (EtcdCluster source = EtcdCluster.builder().version(version).name("restore-1-src-" + version.displayName()).start()) {
      loaded = new KubernetesLikeLoader(source.client()).load(LoadSpec.keys(1000));
      sourceView = EtcdViews.keyValues(source);
      snapshotRevision = EtcdViews.revision(source);
      source.etcdctl("snapshot", "save", snapshot.toString()).requireSuccess();
    }
    EtcdMember member = layout(1).get(0);
    String[] flags = {"--name", member.name(), "--initial-cluster", member.name() + "=" + member.peerUrl(),
        "--initial-cluster-token", "tok", "--initial-advertise-peer-urls", member.peerUrl().toString()};

    List<String> ours = new ArrayList<>(List.of("snapshot", "restore", snapshot.toString(), "--data-dir",
        member.dataDir().toString(), "--bump-revision", "1000", "--mark-compacted"));
    ours.addAll(List.of(flags));
    CommandResult restore = LifeboatProcess.run(ours.toArray(String[]::new));
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(restore.stdout()).contains(member.name()).contains(Long.toString(snapshotRevision + 1000));

    String oursIds;
    try (EtcdCluster restored = EtcdCluster.boot(version, "restore-1-" + version.displayName(), List.of(member))) {
      assertThat(EtcdViews.keyValues(restored)).isEqualTo(sourceView);
      oursIds = memberAndClusterIds(restored);
      JsonNode put = EtcdViews.parse(restored.etcdctl("put", "after-restore", "1", "-w", "json").requireSuccess().stdout());
      assertThat(put.path("header").path("revision").asLong()).isEqualTo(snapshotRevision + 1001);
      CommandResult old = restored.etcdctl("get", "", "--prefix", "--rev", Long.toString(snapshotRevision));
      assertThat(old.exitCode()).isNotZero();
      assertThat(old.stderr()).contains("compacted");
      assertThat(loaded.compactRevision()).isPositive();
    }

    // The upstream restore with the same flags, booted on the same ports, has the same IDs.
    Path upstreamDir = dir.resolve("upstream.etcd");
    List<String> upstream = new ArrayList<>(List.of(version.etcdutl().orElse(version.etcdctl()).toString(),
        "snapshot", "restore", snapshot.toString(), "--data-dir", upstreamDir.toString()));
    upstream.addAll(List.of(flags));
    EtcdCluster.run(Duration.ofMinutes(2), upstream).requireSuccess();
    EtcdMember upstreamMember = new EtcdMember(member.name(), member.clientUrl(), member.peerUrl(), upstreamDir,
        member.logFile());
    try (EtcdCluster restored = EtcdCluster.boot(version, "restore-1-upstream-" + version.displayName(),
        List.of(upstreamMember))) {
      assertThat(memberAndClusterIds(restored)).isEqualTo(oursIds);
    }
  }

  @ParameterizedTest
  @EnumSource(value = EtcdVersion.class, names = "V3_5")
  void restore_corruptedSnapshot_exits3AndWritesNothing(EtcdVersion version) throws IOException {
    Path snapshot = dir.resolve("s.db");
    try (EtcdCluster source = EtcdCluster.builder().version(version).name("restore-corrupt").start()) {
      new KubernetesLikeLoader(source.client()).load(LoadSpec.keys(500));
      source.etcdctl("snapshot", "save", snapshot.toString()).requireSuccess();
    }
    try (RandomAccessFile raf = new RandomAccessFile(snapshot.toFile(), "rw")) {
      raf.seek(raf.length() / 2);
      int b = raf.read();
      raf.seek(raf.length() / 2);
      raf.write(b ^ 0x40);
    }
    Path dataDir = dir.resolve("out.etcd");

    CommandResult restore = LifeboatProcess.run("snapshot", "restore", snapshot.toString(), "--data-dir", dataDir.toString());

    assertThat(restore.exitCode()).isEqualTo(3);
    assertThat(restore.stderr()).startsWith("Error: ").contains("sha256");
    assertThat(restore.stderr().strip().lines()).hasSize(1);
    assertThat(dataDir).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s.db");
    }
  }

  private List<EtcdMember> layout(int count) {
    List<EtcdMember> members = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      members.add(new EtcdMember("m" + i, URI.create("http://127.0.0.1:" + EtcdCluster.freeLoopbackPort()),
          URI.create("http://127.0.0.1:" + EtcdCluster.freeLoopbackPort()), dir.resolve("m" + i + ".etcd"),
          dir.resolve("m" + i + ".log")));
    }
    return members;
  }

  private static String leaseIds(EtcdCluster cluster) {
    return cluster.etcdctl("--user", "root:s3cret", "lease", "list").requireSuccess().stdout().lines()
        .filter(l -> !l.startsWith("found")).sorted().collect(Collectors.joining(","));
  }

  private static String memberAndClusterIds(EtcdCluster cluster) {
    JsonNode list = EtcdViews.parse(cluster.etcdctl("member", "list", "-w", "json").requireSuccess().stdout());
    return list.path("header").path("cluster_id").asText() + "/" + list.path("members").get(0).path("ID").asText();
  }
}
