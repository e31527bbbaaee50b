package io.lifeboat.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SnapshotNameTest {
  @Test
  void defaultAt_usesUtcTimeWithoutColons() {
    SnapshotName name = SnapshotName.defaultAt(Instant.parse("2026-11-25T20:01:02.345Z"));

    assertThat(name.value()).isEqualTo("etcd-snapshot-2026-11-25T20-01-02Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nightly", "rke_etcd_snapshot_2020-10-15T16:47:24+02:00", "2020-10-15T14:53:26Z_etcd", "a.b-c_d"})
  void accepts_namesOperatorsUse(String value) {
    assertThat(new SnapshotName(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "../etc/passwd|contains '..'",
      "a/b|path separator",
      "a\\b|path separator",
      ".hidden|starts with '.'",
      "x.json|metadata file",
      "..|contains '..'"})
  void rejects_unsafeNames(String value, String reason) {
    assertThatThrownBy(() -> new SnapshotName(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void rejects_controlCharactersAndEmptyAndLong() {
    assertThatThrownBy(() -> new SnapshotName("a\nb")).hasMessageContaining("control character");
    assertThatThrownBy(() -> new SnapshotName("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> new SnapshotName("x".repeat(201))).hasMessageContaining("longer than 200");
  }
}
