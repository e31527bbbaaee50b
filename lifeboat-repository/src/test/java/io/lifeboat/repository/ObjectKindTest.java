package io.lifeboat.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObjectKindTest {
  @Test
  void parse_takesTheLongestSuffix() {
    assertThat(ObjectKind.parse("a.db.gz")).contains(new ObjectKind.Entry(new SnapshotName("a"), ObjectKind.DB_GZIP));
    assertThat(ObjectKind.parse("a.db.zst")).contains(new ObjectKind.Entry(new SnapshotName("a"), ObjectKind.DB_ZSTD));
    assertThat(ObjectKind.parse("a.db")).contains(new ObjectKind.Entry(new SnapshotName("a"), ObjectKind.DB));
    assertThat(ObjectKind.parse("2020-10-15T14:53:26Z_etcd.zip"))
        .contains(new ObjectKind.Entry(new SnapshotName("2020-10-15T14:53:26Z_etcd"), ObjectKind.RKE_ZIP));
  }

  @Test
  void parse_ignoresForeignAndInvalidNames() {
    assertThat(ObjectKind.parse("notes.txt")).isEmpty();
    assertThat(ObjectKind.parse(".db")).isEmpty();
    assertThat(ObjectKind.parse(".hidden.db")).isEmpty();
    assertThat(ObjectKind.parse("x.json.json")).isEmpty();
  }

  @Test
  void forCompression_mapsCliValuesToObjects() {
    assertThat(ObjectKind.forCompression("zip").fileName(new SnapshotName("s"))).isEqualTo("s.zip");
    assertThat(ObjectKind.forCompression("zstd").compression()).isEqualTo("zstd");
  }
}
