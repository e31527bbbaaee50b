package io.lifeboat.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.etcd.membership.ClusterConfigException;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreRequestTest {
  private static final Path SNAP = Path.of("snap.db");

  @Test
  void builder_noFlags_usesEtcdctlDefaults() {
    RestoreRequest r = RestoreRequest.builder(SNAP).build();

    assertThat(r.name()).isEqualTo("default");
    assertThat(r.dataDir()).isEqualTo(Path.of("default.etcd"));
    assertThat(r.initialCluster()).hasToString("default=http://localhost:2380");
    assertThat(r.token()).isEqualTo("etcd-cluster");
    assertThat(r.advertisePeerUrls()).containsExactly("http://localhost:2380");
    assertThat(r.trailerPolicy()).isEqualTo(TrailerPolicy.VERIFY);
    assertThat(r.targetVersion()).isEqualTo(TargetVersion.AUTO);
    assertThat(r.walDir()).isEmpty();
    assertThat(r.effectiveWalDir()).isEqualTo(Path.of("default.etcd", "member", "wal"));
    assertThat(r.bumpRevision()).isZero();
    assertThat(r.force()).isFalse();
  }

  @Test
  void builder_nameOnly_dataDirFollowsName_butDefaultClusterLacksIt() {
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).name("m1").build())
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("couldn't find local name \"m1\" in the initial cluster configuration");
  }

  @Test
  void builder_member_idsAndDataDir() {
    RestoreRequest r = RestoreRequest.builder(SNAP).name("m1").initialCluster("m1=http://127.0.0.1:2380")
        .token("tok").advertisePeerUrls(List.of("http://127.0.0.1:2380")).build();

    assertThat(r.dataDir()).isEqualTo(Path.of("m1.etcd"));
    assertThat(r.member().id()).isEqualTo(0x71405583d3e2d5ceL);
  }

  @Test
  void build_bumpWithoutMarkCompacted_refusedAsEtcdutl() {
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).bumpRevision(1000).build())
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("--mark-compacted required if --revision-bump > 0");
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).markCompacted(true).build())
        .hasMessage("--mark-compacted required if --revision-bump > 0");
  }

  @Test
  void build_negativeBump_refused() {
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).bumpRevision(-1).markCompacted(true).build())
        .isInstanceOf(ClusterConfigException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void build_advertiseMismatch_refused() {
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).name("m1").initialCluster("m1=http://127.0.0.1:2380")
        .advertisePeerUrls(List.of("http://127.0.0.1:2381")).build())
        .isInstanceOf(ClusterConfigException.class)
        .hasMessageStartingWith("--initial-cluster has m1=http://127.0.0.1:2380 but missing from");
  }

  @Test
  void build_advertiseWithPath_refused() {
    assertThatThrownBy(() -> RestoreRequest.builder(SNAP).advertisePeerUrls(List.of("http://localhost:2380/")).build())
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("URL must not contain a path: http://localhost:2380/");
  }
}
