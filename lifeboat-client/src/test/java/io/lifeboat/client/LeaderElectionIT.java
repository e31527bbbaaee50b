package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LeaderElectionIT {
  private static final String ELECTION = "lifeboat-test/leader";

  /** Records what an election says, in order. */
  private static final class Events implements LeaderElection.Listener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void elected(String candidate) {
      events.add("elected " + candidate);
    }

    @Override
    public void lost(String reason) {
      events.add("lost " + reason);
    }

    @Override
    public void problem(String message) {
      events.add("problem " + message);
    }

    String next(Duration within) throws InterruptedException {
      String e = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      return e == null ? "nothing within " + within : e;
    }
  }

  /** The value of the oldest candidate key under the election name: etcd's leader. */
  private static String leaderValue(EtcdCluster cluster) {
    List<String> lines = cluster.etcdctl("get", "--prefix", ELECTION + "/", "--sort-by=CREATE", "--order=ASCEND")
        .requireSuccess().stdout().lines().toList();
    return lines.size() < 2 ? "no leader key" : lines.get(1);
  }

  @Test
  @Timeout(90)
  void threeMemberMtls_oneOfTwoCandidatesLeads_andTheOtherTakesOverWhenItResigns() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.builder().version(EtcdVersion.V3_5).members(3).tls(true)
        .name("leaderElection").start()) {
      ConnectionSettings settings = ClusterFixture.settings(cluster);
      Events first = new Events();
      Events second = new Events();
      LeaderElection a = LeaderElection.start(settings, ELECTION, "replica-a", Duration.ofSeconds(3), first);
      try {
        assertThat(first.next(Duration.ofSeconds(20))).isEqualTo("elected replica-a");
        assertThat(a.isLeader()).isTrue();
        try (LeaderElection b = LeaderElection.start(settings, ELECTION, "replica-b", Duration.ofSeconds(3),
            second)) {
          // b waits for as long as a renews its lease: several TTLs.
          assertThat(second.next(Duration.ofSeconds(8))).startsWith("nothing");
          assertThat(b.isLeader()).isFalse();
          assertThat(a.isLeader()).isTrue();
          // etcd's own view: the leader key's value names replica-a.
          assertThat(leaderValue(cluster)).isEqualTo("replica-a");

          a.close();
          assertThat(a.isLeader()).isFalse();
          assertThat(second.next(Duration.ofSeconds(5))).isEqualTo("elected replica-b");
          assertThat(b.isLeader()).isTrue();
          assertThat(leaderValue(cluster)).isEqualTo("replica-b");
        }
      } finally {
        a.close();
      }
      assertThat(List.copyOf(first.events)).noneMatch(e -> e.startsWith("problem"));
    }
  }

  @Test
  @Timeout(90)
  void firstEndpointDown_theElectionMovesOnToTheNext_andLeads() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.builder().version(EtcdVersion.V3_4).name("leaderElectionFailover").start()) {
      ConnectionSettings live = ClusterFixture.settings(cluster);
      java.net.URI down = ClusterFixture.unusedEndpoint("http");
      List<java.net.URI> endpoints = new java.util.ArrayList<>();
      endpoints.add(down);
      endpoints.addAll(live.endpoints());
      ConnectionSettings settings = ConnectionSettings.of(endpoints);
      Events events = new Events();

      try (LeaderElection election = LeaderElection.start(settings, ELECTION, "replica-c", Duration.ofSeconds(3), events)) {
        assertThat(events.next(Duration.ofSeconds(20)))
            .startsWith("problem leader election: " + down)
            .contains("unreachable");
        assertThat(events.next(Duration.ofSeconds(20))).isEqualTo("elected replica-c");
        assertThat(election.isLeader()).isTrue();
        assertThat(leaderValue(cluster)).isEqualTo("replica-c");
      }
    }
  }
}
