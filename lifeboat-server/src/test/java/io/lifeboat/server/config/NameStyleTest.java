package io.lifeboat.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NameStyleTest {
  private static final Instant T = Instant.parse("2020-10-15T14:53:26.789Z");

  @Test
  void nameAt_lifeboat_isUtcWithoutColons() {
    assertThat(NameStyle.LIFEBOAT.nameAt(T)).isEqualTo("etcd-snapshot-2020-10-15T14-53-26Z");
  }

  @Test
  void nameAt_rke_isRfc3339UtcSecondsWithEtcdSuffix() {
    assertThat(NameStyle.RKE.nameAt(T)).isEqualTo("2020-10-15T14:53:26Z_etcd");
  }

  @Test
  void parse_acceptsBothNamesInAnyCase() {
    assertThat(NameStyle.parse(" RKE ")).isEqualTo(NameStyle.RKE);
    assertThat(NameStyle.parse("lifeboat")).isEqualTo(NameStyle.LIFEBOAT);
    assertThatThrownBy(() -> NameStyle.parse("velero")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lifeboat or rke");
  }
}
