package io.lifeboat.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
  static final SnapshotMetadata SAMPLE = new SnapshotMetadata(SnapshotMetadata.FORMAT, "nightly",
      Instant.parse("2026-11-25T20:00:00Z"), "nightly.db", 20512, "ab".repeat(32), "none", "none",
      new SnapshotMetadata.EtcdFacts("https://127.0.0.1:2379", "f31f9feb73fcb3c5", "8d6a6b2e52323ac1", "3.5.16",
          1513, 1523, 3713860987L, 950272));

  @Test
  void encodeDecode_roundTrips() throws MetadataException {
    byte[] json = MetadataCodec.encode(SAMPLE);

    assertThat(MetadataCodec.decode("nightly.json", json)).isEqualTo(SAMPLE);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"format\" : \"lifeboat.snapshot/v1\"")
        .contains("\"memberId\" : \"f31f9feb73fcb3c5\"")
        .contains("\"createdAt\" : \"2026-11-25T20:00:00Z\"");
  }

  @Test
  void toJsonLine_isOneLine() {
    assertThat(MetadataCodec.toJsonLine(SAMPLE)).doesNotContain("\n").startsWith("{\"format\":\"lifeboat.snapshot/v1\"");
  }

  @Test
  void decode_unknownFormat_isRefusedWithAdvice() {
    byte[] json = new String(MetadataCodec.encode(SAMPLE), StandardCharsets.UTF_8)
        .replace("lifeboat.snapshot/v1", "lifeboat.snapshot/v9").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> MetadataCodec.decode("x.json", json))
        .isInstanceOf(MetadataException.class)
        .hasMessage("x.json: unknown metadata format 'lifeboat.snapshot/v9' (this Lifeboat reads lifeboat.snapshot/v1); upgrade Lifeboat");
  }

  @Test
  void decode_garbage_saysNotJson() {
    assertThatThrownBy(() -> MetadataCodec.decode("x.json", "{nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MetadataException.class)
        .hasMessageStartingWith("x.json: not valid JSON");
  }

  @Test
  void decode_missingField_namesIt() {
    byte[] json = new String(MetadataCodec.encode(SAMPLE), StandardCharsets.UTF_8)
        .replace("\"sha256\"", "\"sha1\"").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> MetadataCodec.decode("x.json", json)).hasMessage("x.json: missing or non-text field 'sha256'");
  }
}
