package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdLogsOnFailure;
import io.lifeboat.testkit.EtcdMember;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(EtcdLogsOnFailure.class)
class SnapshotIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(120)
  void threeMemberMtls_probeFindsOneLeader_andSnapshotsFromLeaderAndFollowerMatchEndpointStatus(
      EtcdVersion version) throws Exception {
    try (EtcdCluster cluster =
        EtcdCluster.builder().version(version).members(3).tls(true)
            .name("snapshot_threeMemberMtls_" + version.displayName()).start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.keys(2000));
      try (EtcdClient client = EtcdClient.connect(ClusterFixture.settings(cluster))) {
        List<EndpointProbe> probes = client.probeAll();
        assertThat(probes).hasSize(3).allSatisfy(p -> assertThat(p.status()).isPresent());
        assertThat(probes.stream().filter(p -> p.status().get().isLeader())).hasSize(1);

        String memberListJson = cluster.etcdctl("member", "list", "-w", "json").requireSuccess().stdout();
        List<Long> etcdctlIds = ClusterFixture.longs(memberListJson, "ID");
        assertThat(probes.stream().map(p -> p.status().get().memberId()))
            .containsExactlyInAnyOrderElementsOf(etcdctlIds);
        assertThat(client.memberList().stream().map(Member::id))
            .containsExactlyInAnyOrderElementsOf(etcdctlIds);

        SnapshotSourceChoice choice = EtcdClient.chooseSource(probes);
        assertThat(choice.reason()).isEqualTo("leader");
        assertThat(choice.chosen().isLeader()).isTrue();
        assertThat(choice.fallbacks()).hasSize(2);

        long revision =
            ClusterFixture.longs(
                    cluster.etcdctl("endpoint", "status", "-w", "json").requireSuccess().stdout(),
                    "revision")
                .get(0);
        URI leader = choice.chosen().endpoint();
        URI follower = choice.fallbacks().get(0).endpoint();
        for (URI endpoint : List.of(leader, follower)) {
          Path file = dir.resolve("snap-" + endpoint.getPort() + ".db");
          AtomicLong lastProgress = new AtomicLong();
          long written;
          try (FileChannel out =
              FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            written = client.streamSnapshot(endpoint, out, lastProgress::set).size();
          }
          assertThat(written).isEqualTo(Files.size(file)).isEqualTo(lastProgress.get());
          String status =
              (version == EtcdVersion.V3_5
                      ? cluster.etcdutl("snapshot", "status", file.toString(), "-w", "json")
                      : cluster.etcdctl("snapshot", "status", file.toString(), "-w", "json"))
                  .requireSuccess()
                  .stdout();
          assertThat(ClusterFixture.longs(status, "revision")).containsExactly(revision);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  @Timeout(90)
  void leaderKilled_chooseSourcePicksHighestRaftIndexAndNamesLeader(EtcdVersion version)
      throws Exception {
    try (EtcdCluster cluster =
        EtcdCluster.builder().version(version).members(3)
            .name("snapshot_leaderKilled_" + version.displayName()).start()) {
      try (EtcdClient client = EtcdClient.connect(ClusterFixture.settings(cluster))) {
        MemberStatus leader = EtcdClient.chooseSource(client.probeAll()).chosen();
        EtcdMember leaderMember =
            cluster.members().stream().filter(m -> m.clientUrl().equals(leader.endpoint())).findFirst().orElseThrow();
        cluster.kill(leaderMember);
        List<EndpointProbe> probes = client.probeAll();
        assertThat(probes.stream().filter(p -> p.failure().isPresent()).map(EndpointProbe::endpoint))
            .containsExactly(leader.endpoint());
        assertThat(probes.stream().filter(p -> p.failure().isPresent()).findFirst().orElseThrow().failure().get())
            .startsWith(leader.endpoint() + ": unreachable");
        SnapshotSourceChoice choice = EtcdClient.chooseSource(probes);
        assertThat(choice.chosen().endpoint()).isNotEqualTo(leader.endpoint());
        // Survivors may already have elected a new leader; otherwise the killed one is named.
        assertThat(choice.reason())
            .matches("leader|highest raft index, (leader [0-9a-f]+ unreachable|no leader known)");
      }
    }
  }
}
