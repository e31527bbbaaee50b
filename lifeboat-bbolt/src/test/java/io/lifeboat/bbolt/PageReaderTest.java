package io.lifeboat.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageReaderTest {
  private static final int PAGE = 4096;

  @TempDir
  Path dir;

  @Test
  void read_forwardStreamsJumpsAndChunkStraddlingRanges_returnTheFileBytes() throws Exception {
    byte[] content = new byte[3 * PageReader.CHUNK * 4 + 1234];
    new SplittableRandom(7).nextBytes(content);
    Path file = dir.resolve("f");
    Files.write(file, content);
    SplittableRandom random = new SplittableRandom(11);
    long[] streams = {0, content.length / 3, 2L * content.length / 3};
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PageReader reader = new PageReader(file, channel);
      for (int i = 0; i < 20_000; i++) {
        long position;
        int length;
        int kind = random.nextInt(10);
        if (kind < 7) {
          // Forward through one of three interleaved regions, sometimes skipping pages, as bbolt leaves lie.
          int s = random.nextInt(streams.length);
          position = streams[s];
          length = PAGE * (1 + (random.nextInt(8) == 0 ? random.nextInt(4) : 0));
          streams[s] = position + length + PAGE * (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        } else if (kind < 9) {
          position = random.nextInt(content.length - PAGE);
          length = 1 + random.nextInt(PAGE);
        } else {
          // Up to several chunks at once, like a page with many overflow pages.
          length = 1 + random.nextInt(PageReader.CHUNK * 3);
          position = random.nextInt(content.length - length);
        }
        if (position + length > content.length) {
          continue;
        }
        byte[] dst = new byte[length + 5];
        reader.read(dst, 5, length, position);
        int p = (int) position;
        assertThat(Arrays.equals(dst, 5, 5 + length, content, p, p + length))
            .as("read %d: %d bytes at %d", i, length, position).isTrue();
      }
    }
  }

  @Test
  void read_pastTheEndWhileReadingAhead_isATruncatedFile() throws Exception {
    Path file = dir.resolve("f");
    Files.write(file, new byte[3 * PAGE + 100]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PageReader reader = new PageReader(file, channel);
      byte[] page = new byte[PAGE];
      reader.read(page, 0, PAGE, 0);
      reader.read(page, 0, PAGE, PAGE);
      reader.read(page, 0, PAGE, 2 * PAGE);
      assertThatThrownBy(() -> reader.read(page, 0, PAGE, 3 * PAGE))
          .isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("file is truncated: unexpected end of file at offset " + (3 * PAGE + 100));
    }
  }

  @Test
  void read_pastTheEndWithoutReadingAhead_isATruncatedFile() throws Exception {
    Path file = dir.resolve("f");
    Files.write(file, new byte[3 * PAGE + 100]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PageReader reader = new PageReader(file, channel);
      byte[] page = new byte[PAGE];
      assertThatThrownBy(() -> reader.read(page, 0, PAGE, 3 * PAGE))
          .isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("file is truncated: unexpected end of file at offset " + (3 * PAGE + 100));
    }
  }
}
