package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChooseSourceTest {
  private static final long LEADER = 0xa1;

  private static MemberStatus status(int n, long id, long raftIndex, List<String> errors) {
    return new MemberStatus(
        URI.create("https://10.0.0." + n + ":2379"), id, 7, LEADER, raftIndex, 3, 1024, "3.5.17", errors);
  }

  @Test
  void chooseSource_healthyLeaderWinsOverHigherRaftIndex() throws Exception {
    MemberStatus leader = status(1, LEADER, 100, List.of());
    MemberStatus follower = status(2, 0xb2, 105, List.of());
    MemberStatus other = status(3, 0xc3, 90, List.of());
    SnapshotSourceChoice choice =
        EtcdClient.chooseSource(
            List.of(EndpointProbe.reached(follower), EndpointProbe.reached(other), EndpointProbe.reached(leader)));
    assertThat(choice.chosen()).isEqualTo(leader);
    assertThat(choice.reason()).isEqualTo("leader");
    assertThat(choice.fallbacks()).containsExactly(follower, other);
  }

  @Test
  void chooseSource_unreachableLeaderFallsBackToHighestRaftIndex() throws Exception {
    MemberStatus low = status(2, 0xb2, 90, List.of());
    MemberStatus high = status(3, 0xc3, 95, List.of());
    SnapshotSourceChoice choice =
        EtcdClient.chooseSource(
            List.of(
                EndpointProbe.failed(URI.create("https://10.0.0.1:2379"), "connection refused"),
                EndpointProbe.reached(low),
                EndpointProbe.reached(high)));
    assertThat(choice.chosen()).isEqualTo(high);
    assertThat(choice.reason()).isEqualTo("highest raft index, leader a1 unreachable");
    assertThat(choice.fallbacks()).containsExactly(low);
  }

  @Test
  void chooseSource_leaderWithAlarmIsSkipped() throws Exception {
    MemberStatus leader = status(1, LEADER, 100, List.of("memberID:161 alarm:NOSPACE"));
    MemberStatus follower = status(2, 0xb2, 99, List.of());
    SnapshotSourceChoice choice =
        EtcdClient.chooseSource(List.of(EndpointProbe.reached(leader), EndpointProbe.reached(follower)));
    assertThat(choice.chosen()).isEqualTo(follower);
    assertThat(choice.reason()).isEqualTo("highest raft index, leader a1 reports memberID:161 alarm:NOSPACE");
    assertThat(choice.fallbacks()).isEmpty();
  }

  @Test
  void chooseSource_noHealthyMemberNamesEveryEndpoint() {
    assertThatThrownBy(
            () ->
                EtcdClient.chooseSource(
                    List.of(
                        EndpointProbe.failed(URI.create("https://10.0.0.1:2379"), "https://10.0.0.1:2379: unreachable (connection refused)"),
                        EndpointProbe.reached(status(2, 0xb2, 9, List.of("alarm:CORRUPT"))))))
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessage(
            "no healthy etcd member to take a snapshot from:"
                + " https://10.0.0.1:2379: unreachable (connection refused); https://10.0.0.2:2379:"
                + " reports alarm:CORRUPT");
  }

  @Test
  void memberStatus_isLeaderComparesIds() {
    assertThat(status(1, LEADER, 1, List.of()).isLeader()).isTrue();
    assertThat(status(1, 5, 1, List.of()).isLeader()).isFalse();
  }
}
