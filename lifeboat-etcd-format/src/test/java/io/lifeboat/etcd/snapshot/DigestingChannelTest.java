package io.lifeboat.etcd.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestingChannelTest {
  @TempDir Path dir;

  @Test
  void write_inRandomChunkSizes_knowsTrailerAndFileDigest() throws Exception {
    byte[] snapshot = Files.readAllBytes(GoldenSnapshots.copyTo("etcd-3.5-k8s", dir));
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      DigestingChannel channel = new DigestingChannel(Channels.newChannel(sink));
      int at = 0;
      while (at < snapshot.length) {
        int n = Math.min(snapshot.length - at, random.nextInt(round % 2 == 0 ? 40 : 70_000) + 1);
        channel.write(ByteBuffer.wrap(snapshot, at, n));
        at += n;
      }

      assertThat(sink.toByteArray()).isEqualTo(snapshot);
      assertThat(channel.size()).isEqualTo(snapshot.length);
      assertThat(channel.trailerMatches()).isTrue();
      assertThat(channel.fileDigest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(snapshot));
    }
  }

  @Test
  void write_corruptedByte_trailerDoesNotMatch() throws IOException {
    byte[] snapshot = Files.readAllBytes(GoldenSnapshots.copyTo("etcd-3.4-small", dir));
    snapshot[9000] ^= 1;
    DigestingChannel channel = new DigestingChannel(Channels.newChannel(new ByteArrayOutputStream()));

    channel.write(ByteBuffer.wrap(snapshot));

    assertThat(channel.trailerPresent()).isTrue();
    assertThat(channel.trailerMatches()).isFalse();
  }

  @Test
  void write_streamWithoutTrailer_reportsAbsent() throws IOException {
    DigestingChannel channel = new DigestingChannel(Channels.newChannel(new ByteArrayOutputStream()));

    channel.write(ByteBuffer.wrap(new byte[8192]));

    assertThat(channel.trailerPresent()).isFalse();
    assertThat(channel.trailerMatches()).isFalse();
  }
}
