package io.lifeboat.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.etcd.membership.Member;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdLogsOnFailure;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restores real snapshots of etcd 3.4 and 3.5 with {@link SnapshotRestorer}, boots real etcd of
 * the same version on the result and checks what a user would: the data, leases, IDs, revisions.
 * One source cluster per version is loaded and snapshotted once for all tests.
 */
@ExtendWith(EtcdLogsOnFailure.class)
class SnapshotRestorerIT {
  private static final String TOKEN = "lifeboat-it";
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  @TempDir static Path shared;

  private static final java.util.Map<EtcdVersion, Source> sources = new java.util.EnumMap<>(EtcdVersion.class);

  /** A snapshot and what the source cluster served at its revision. */
  private record Source(Path snapshot, long revision, String kvsJson, List<Long> leaseIds, long compactRevision) {}

  @BeforeAll
  static void takeSnapshots() {
    for (EtcdVersion version : EtcdVersion.values()) {
      try (EtcdCluster etcd = EtcdCluster.builder().version(version).members(1)
          .name("restore-source-" + version.displayName()).start()) {
        LoadResult loaded = new KubernetesLikeLoader(etcd.client()).load(LoadSpec.keys(400));
        String get = etcd.etcdctl("get", "", "--prefix", "-w", "json").requireSuccess().stdout();
        Path snapshot = shared.resolve("source-" + version.displayName() + ".db");
        etcd.etcdctl("snapshot", "save", snapshot.toString()).requireSuccess();
        String after = etcd.etcdctl("get", "", "--prefix", "--keys-only", "--limit=1", "-w", "json")
            .requireSuccess().stdout();
        long revision = revision(get);
        assertThat(revision(after)).as("no write between the reference read and the snapshot").isEqualTo(revision);
        assertThat(revision).isEqualTo(loaded.revision());
        sources.put(version, new Source(snapshot, revision, kvs(get), loaded.leaseIds(), loaded.compactRevision()));
      }
    }
  }

  @AfterAll
  static void noTemporariesLeft() throws IOException {
    try (Stream<Path> entries = Files.list(shared)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".lifeboat-tmp-"));
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(120)
  void restore_oneMember_bootsWithSameDataLeasesAndUpstreamIds(EtcdVersion version, @TempDir Path dir)
      throws IOException {
    Source source = sources.get(version);
    Layout r1 = Layout.of("r1", dir);
    RestoreRequest request = r1.request(source.snapshot(), List.of(r1)).build();

    RestoreResult result = new SnapshotRestorer().restore(request, RestoreProgress.none());

    assertThat(result.trailer()).isEqualTo(TrailerCheck.VALID);
    assertThat(result.targetVersion().label()).isEqualTo(version.displayName());
    assertThat(result.versionSource()).isEqualTo(VersionSource.SNAPSHOT);
    assertThat(result.revision()).isEqualTo(source.revision());
    assertUpstreamWalAndSnapIdentical(version, source, r1, List.of(r1), dir);

    try (EtcdCluster restored = EtcdCluster.boot(version, "restored-1-" + version.displayName(),
        List.of(r1.member()))) {
      assertServesSource(restored, source);
      assertMembership(restored, result);
      String put = restored.etcdctl("put", "/after-restore", "v", "-w", "json").requireSuccess().stdout();
      assertThat(revision(put)).isEqualTo(source.revision() + 1);
      CommandResult old = restored.etcdctl("get", "", "--prefix", "--keys-only",
          "--rev=" + (source.compactRevision() - 1));
      assertThat(old.output()).contains("required revision has been compacted");
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(180)
  void restore_threeMembers_formHealthyClusterWithSameData(EtcdVersion version, @TempDir Path dir)
      throws IOException {
    Source source = sources.get(version);
    List<Layout> layouts = List.of(Layout.of("r1", dir), Layout.of("r2", dir), Layout.of("r3", dir));
    List<RestoreResult> results = new ArrayList<>();
    for (Layout l : layouts) {
      results.add(new SnapshotRestorer().restore(l.request(source.snapshot(), layouts).build(),
          RestoreProgress.none()));
    }
    assertThat(results).extracting(RestoreResult::clusterId).containsOnly(results.get(0).clusterId());
    assertUpstreamWalAndSnapIdentical(version, source, layouts.get(1), layouts, dir);

    try (EtcdCluster restored = EtcdCluster.boot(version, "restored-3-" + version.displayName(),
        layouts.stream().map(Layout::member).toList())) {
      assertServesSource(restored, source);
      assertMembership(restored, results.get(0));
      String put = restored.etcdctl("put", "/after-restore", "v", "-w", "json").requireSuccess().stdout();
      assertThat(revision(put)).isEqualTo(source.revision() + 1);
      for (EtcdMember m : restored.members()) {
        String status = restored.etcdctlOn(m, "endpoint", "status", "-w", "json").requireSuccess().stdout();
        assertThat(status).contains("\"cluster_id\":" + Long.toUnsignedString(results.get(0).clusterId()));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(120)
  void restore_bumpAndMarkCompacted_nextWriteSkipsAheadAndOldRevisionsAreCompacted(EtcdVersion version,
      @TempDir Path dir) throws IOException {
    Source source = sources.get(version);
    Layout r1 = Layout.of("r1", dir);

    RestoreResult result = new SnapshotRestorer().restore(
        r1.request(source.snapshot(), List.of(r1)).bumpRevision(1000).markCompacted(true).build(),
        RestoreProgress.none());

    assertThat(result.revision()).isEqualTo(source.revision() + 1000);
    try (EtcdCluster restored = EtcdCluster.boot(version, "restored-bump-" + version.displayName(),
        List.of(r1.member()))) {
      assertServesSource(restored, source);
      String put = restored.etcdctl("put", "/after-restore", "v", "-w", "json").requireSuccess().stdout();
      assertThat(revision(put)).isEqualTo(source.revision() + 1001);
      CommandResult old = restored.etcdctl("get", "", "--prefix", "--keys-only", "--rev=" + source.revision());
      assertThat(old.succeeded()).isFalse();
      assertThat(old.output()).contains("required revision has been compacted");
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(120)
  void restore_staleNospaceAlarmAndEnabledDowngrade_bootsAndAcceptsWrites(EtcdVersion version, @TempDir Path dir)
      throws IOException {
    Source source = sources.get(version);
    Path edited = new SnapshotEditor()
        .put("alarm", java.util.HexFormat.of().parseHex("08fdbcd7f5ddefa6dd9f011001"), new byte[0])
        .put("cluster", "downgrade", "{\"target-version\":\"3.4.0\",\"enabled\":true}")
        .write(source.snapshot(), dir.resolve("with-alarm.db"));
    Layout r1 = Layout.of("r1", dir);

    RestoreResult result = new SnapshotRestorer().restore(r1.request(edited, List.of(r1)).build(),
        RestoreProgress.none());

    assertThat(result.alarmsDropped()).isEqualTo(1);
    assertThat(result.downgradeReset()).isTrue();
    try (EtcdCluster restored = EtcdCluster.boot(version, "restored-alarm-" + version.displayName(),
        List.of(r1.member()))) {
      assertThat(restored.etcdctl("alarm", "list").requireSuccess().stdout()).isBlank();
      String put = restored.etcdctl("put", "/after-restore", "v", "-w", "json").requireSuccess().stdout();
      assertThat(revision(put)).isEqualTo(source.revision() + 1);
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(60)
  void restore_flippedByte_refusedAndNoDirectoryLeft(EtcdVersion version, @TempDir Path dir) throws IOException {
    Path damaged = dir.resolve("damaged.db");
    Files.copy(sources.get(version).snapshot(), damaged);
    try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
      long at = f.length() / 3;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
    Layout r1 = Layout.of("r1", dir);

    assertThatThrownBy(() -> new SnapshotRestorer().restore(r1.request(damaged, List.of(r1)).build(),
        RestoreProgress.none()))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("sha256");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("damaged.db");
    }
  }

  // ---- helpers

  /** One member's ports and directory. */
  private record Layout(String name, int clientPort, int peerPort, Path dataDir) {
    static Layout of(String name, Path dir) {
      return new Layout(name, EtcdCluster.freeLoopbackPort(), EtcdCluster.freeLoopbackPort(),
          dir.resolve(name + ".etcd"));
    }

    String peerUrl() {
      return "http://127.0.0.1:" + peerPort;
    }

    EtcdMember member() {
      return new EtcdMember(name, URI.create("http://127.0.0.1:" + clientPort), URI.create(peerUrl()), dataDir,
          dataDir.resolveSibling(name + ".log"));
    }

    static String initialCluster(List<Layout> all) {
      return all.stream().map(l -> l.name() + "=" + l.peerUrl()).collect(Collectors.joining(","));
    }

    RestoreRequest.Builder request(Path snapshot, List<Layout> all) {
      return RestoreRequest.builder(snapshot).name(name).initialCluster(initialCluster(all)).token(TOKEN)
          .advertisePeerUrls(List.of(peerUrl())).dataDir(dataDir);
    }
  }

  private static void assertServesSource(EtcdCluster restored, Source source) {
    String get = restored.etcdctl("get", "", "--prefix", "-w", "json").requireSuccess().stdout();
    assertThat(revision(get)).isGreaterThanOrEqualTo(source.revision());
    assertThat(kvs(get)).isEqualTo(source.kvsJson());
    String leases = restored.etcdctl("lease", "list").requireSuccess().stdout();
    for (long id : source.leaseIds()) {
      assertThat(leases).contains(Long.toHexString(id));
    }
  }

  private static void assertMembership(EtcdCluster restored, RestoreResult result) {
    String list = restored.etcdctl("member", "list", "-w", "json").requireSuccess().stdout();
    assertThat(list).contains("\"cluster_id\":" + Long.toUnsignedString(result.clusterId()));
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"ID\":(\\d+)").matcher(list);
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(
        result.members().stream().map(x -> Long.toUnsignedString(x.id())).toList());
    for (Member member : result.members()) {
      assertThat(list).contains("\"name\":\"" + member.name() + "\"");
    }
  }

  /**
   * Runs the upstream restore with the same flags (etcdctl 3.4, etcdutl 3.5) and compares the WAL
   * and the .snap byte for byte: they carry the member and cluster IDs and the bootstrap entries.
   */
  private static void assertUpstreamWalAndSnapIdentical(EtcdVersion version, Source source, Layout layout,
      List<Layout> all, Path dir) throws IOException {
    Path upstreamDir = dir.resolve("upstream-" + layout.name() + ".etcd");
    List<String> args = List.of("snapshot", "restore", source.snapshot().toString(), "--name=" + layout.name(),
        "--initial-cluster=" + Layout.initialCluster(all), "--initial-cluster-token=" + TOKEN,
        "--initial-advertise-peer-urls=" + layout.peerUrl(), "--data-dir=" + upstreamDir);
    List<String> command = new ArrayList<>();
    command.add((version == EtcdVersion.V3_4 ? version.etcdctl() : version.etcdutl().orElseThrow()).toString());
    command.addAll(args);
    EtcdCluster.run(java.time.Duration.ofSeconds(60), command).requireSuccess();

    String wal = "member/wal/0000000000000000-0000000000000000.wal";
    String snap = "member/snap/" + String.format(Locale.ROOT, "%016x-%016x.snap", 1, all.size());
    assertThat(Files.mismatch(layout.dataDir().resolve(wal), upstreamDir.resolve(wal))).as("WAL").isEqualTo(-1L);
    assertThat(Files.mismatch(layout.dataDir().resolve(snap), upstreamDir.resolve(snap))).as(".snap")
        .isEqualTo(-1L);
  }

  private static long revision(String json) {
    Matcher m = REVISION.matcher(json);
    assertThat(m.find()).as("revision in %s", json.length() > 200 ? json.substring(0, 200) : json).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** The {@code kvs} array of {@code get -w json}: keys, values, revisions, versions and leases. */
  private static String kvs(String json) {
    int start = json.indexOf("\"kvs\":");
    int end = json.lastIndexOf("],\"count\":");
    assertThat(start).isPositive();
    assertThat(end).isGreaterThan(start);
    return json.substring(start, end + 1);
  }
}
