package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.TestBoltBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer streams: the heap it holds does not grow with the rows written. */
class BoltWriterMemoryTest {
  private static final int ROWS = 1_000_000;
  private static final int VALUE_BYTES = 200;
  /** Generous: the writer holds a few pages per tree level; its write buffer is off-heap (1 MiB). */
  private static final long MAX_RETAINED_BYTES = 16L << 20;

  @TempDir
  Path dir;

  @Test
  void put_200MBOfRows_retainsNoHeapThatGrowsWithTheData() throws Exception {
    Path file = dir.resolve("big.db");
    ByteBuffer key = ByteBuffer.allocate(17);
    ByteBuffer value = ByteBuffer.wrap(WriterShapes.value(1, VALUE_BYTES));
    long baseline = usedHeapAfterGc();
    long maxRetained = 0;
    long start = System.nanoTime();
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      try (BucketWriter b = w.bucket(bytes("key"))) {
        for (int i = 0; i < ROWS; i++) {
          key.clear();
          key.putLong(i + 1L).put((byte) '_').putLong(0).flip();
          b.put(key, value);
          if (i % 250_000 == 249_999) {
            maxRetained = Math.max(maxRetained, usedHeapAfterGc() - baseline);
          }
        }
      }
      w.finish(2);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long size = Files.size(file);
    System.out.printf(Locale.ROOT, "BoltWriter: %d rows, %.1f MB file in %.2f s (incl. GCs) = %.0f MB/s; heap"
        + " retained at most %.1f MB over baseline%n", ROWS, size / 1e6, seconds, size / 1e6 / seconds,
        maxRetained / 1e6);

    assertThat(maxRetained).isLessThan(MAX_RETAINED_BYTES);
    assertThat(size).isGreaterThan((long) ROWS * VALUE_BYTES);
    try (BoltFile db = BoltFile.open(file)) {
      assertThat(Walk.countTopLevelBucketEntries(db)).isEqualTo(ROWS);
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
