package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdVersionTest {
  @TempDir Path empty;

  @AfterEach
  void clearOverrides() {
    System.clearProperty(EtcdVersion.V3_4.systemProperty());
    System.clearProperty(EtcdVersion.V3_5.systemProperty());
  }

  @Test
  void missing35Binaries_failWithTheInstallHint() {
    System.setProperty("lifeboat.etcd.3.5.bin", empty.resolve("nowhere").toString());

    assertThatThrownBy(EtcdVersion.V3_5::binDir)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "etcd 3.5 not found at "
                + empty.resolve("nowhere").resolve("etcd")
                + ": run .ci/install-etcd.sh (or set LIFEBOAT_ETCD_3_5_BIN)");
  }

  @Test
  void missing34Binaries_failWithTheInstallHint() {
    System.setProperty("lifeboat.etcd.3.4.bin", empty.toString());

    assertThatThrownBy(EtcdVersion.V3_4::etcdctl)
        .hasMessageStartingWith("etcd 3.4 not found at " + empty.resolve("etcd"))
        .hasMessageEndingWith(": run .ci/install-etcd.sh (or set LIFEBOAT_ETCD_3_4_BIN)");
  }

  @Test
  void clusterWithMissingBinaries_failsBeforeStartingAnything() {
    System.setProperty("lifeboat.etcd.3.5.bin", empty.toString());

    assertThatThrownBy(() -> EtcdCluster.builder().version(EtcdVersion.V3_5).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run .ci/install-etcd.sh (or set LIFEBOAT_ETCD_3_5_BIN)");
  }

  @Test
  void onlyEtcd35HasEtcdutl() {
    assertThat(EtcdVersion.V3_4.etcdutl()).isEmpty();
    assertThat(EtcdVersion.V3_5.displayName()).isEqualTo("3.5");
    assertThat(EtcdVersion.V3_4.displayName()).isEqualTo("3.4");
  }
}
