package io.lifeboat.repository.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.TestStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CompressionTest {
  private static final SnapshotName NAME = new SnapshotName("etcd-snapshot-2026-11-25T20-00-00Z");

  /** Half random, half repetitive: like a bbolt file, partly compressible. */
  static byte[] sample() throws IOException {
    byte[] random = TestStreams.generated(11, 300_000).readAllBytes();
    byte[] out = Arrays.copyOf(random, 600_000);
    for (int i = 300_000; i < out.length; i++) {
      out[i] = (byte) (i % 7);
    }
    return out;
  }

  static byte[] compress(Compression c, byte[] data) throws IOException {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(stored, NAME)) {
      out.write(data);
    }
    return stored.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compress_thenDecompress_givesTheSameBytes(Compression c) throws IOException {
    byte[] data = sample();
    byte[] stored = compress(c, data);

    try (InputStream in = c.decompress(new ByteArrayInputStream(stored), NAME)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    try (InputStream in = Compression.decompressDetected(new ByteArrayInputStream(stored), NAME)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(Compression.detect(stored, stored.length)).isEqualTo(c);
    if (c != Compression.NONE) {
      assertThat(stored.length).isLessThan(data.length);
    }
  }

  @Test
  void decompress_whenMagicContradictsMetadata_isAnIntegrityError() throws IOException {
    byte[] gzip = compress(Compression.GZIP, sample());

    assertThatThrownBy(() -> Compression.ZSTD.decompress(new ByteArrayInputStream(gzip), NAME))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("metadata says compression 'zstd' but the data looks like 'gzip'");
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "ZIP"})
  void decompress_corruptedByte_isAnIntegrityError(Compression c) throws IOException {
    byte[] stored = compress(c, sample());
    stored[stored.length / 2] ^= 0x5a;

    assertThatThrownBy(() -> {
      try (InputStream in = c.decompress(new ByteArrayInputStream(stored), NAME)) {
        in.readAllBytes();
      }
    }).isInstanceOf(IntegrityException.class).hasMessageContaining("corrupt " + c.value());
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "ZIP"})
  void decompress_truncated_isAnIntegrityError(Compression c) throws IOException {
    byte[] stored = compress(c, sample());
    // (a zip read as a stream does not reach its central directory: cut into the entry's data)
    byte[] truncated = Arrays.copyOf(stored, c == Compression.ZIP ? stored.length / 2 : stored.length - 40);

    assertThatThrownBy(() -> {
      try (InputStream in = c.decompress(new ByteArrayInputStream(truncated), NAME)) {
        in.readAllBytes();
      }
    }).isInstanceOf(IntegrityException.class);
  }

  @Test
  void decompress_whenTheSourceFails_passesTheSourceErrorOn() throws IOException {
    byte[] stored = compress(Compression.ZSTD, sample());
    InputStream failing = TestStreams.failingAfter(new ByteArrayInputStream(stored), stored.length / 2);

    assertThatThrownBy(() -> {
      try (InputStream in = Compression.ZSTD.decompress(failing, NAME)) {
        in.readAllBytes();
      }
    }).isNotInstanceOf(IntegrityException.class).isInstanceOf(IOException.class)
        .hasMessageContaining("simulated source failure");
  }

  @Test
  void parse_acceptsTheCliValues_andRejectsOthersWithTheChoices() {
    assertThat(Compression.parse("zip")).isEqualTo(Compression.ZIP);
    assertThat(Compression.DEFAULT).isEqualTo(Compression.ZSTD);
    assertThatThrownBy(() -> Compression.parse("bzip2")).hasMessageContaining("expected none, gzip, zstd or zip");
  }
}
