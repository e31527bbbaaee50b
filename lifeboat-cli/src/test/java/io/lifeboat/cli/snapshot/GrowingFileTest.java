package io.lifeboat.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class GrowingFileTest {
  @TempDir Path dir;

  private static byte[] pattern(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  @Test
  void read_followsTheWriter_andEndsOnlyAfterEnd() throws Exception {
    Path path = dir.resolve("raw");
    byte[] first = pattern(300_000, 1);
    byte[] second = pattern(70_000, 2);
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      GrowingFile growing = new GrowingFile(path);
      WritableByteChannel out = growing.tracking(file);
      CompletableFuture<byte[]> read = readAll(growing.open());

      out.write(ByteBuffer.wrap(first));
      // All that is written so far has been read, yet the reader waits: the file has not ended.
      assertThatThrownBy(() -> read.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      out.write(ByteBuffer.wrap(second));
      growing.end();

      byte[] whole = Arrays.copyOf(first, first.length + second.length);
      System.arraycopy(second, 0, whole, first.length, second.length);
      assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(whole);
    }
  }

  @Test
  void read_ignoresBytesWrittenAroundTheTracker() throws Exception {
    Path path = dir.resolve("raw");
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      GrowingFile growing = new GrowingFile(path);
      growing.tracking(file).write(ByteBuffer.wrap(pattern(10, 3)));
      // Written, but not through the tracker: not announced, so not read.
      file.write(ByteBuffer.wrap(pattern(10, 4)));
      growing.end();

      try (InputStream in = growing.open()) {
        assertThat(in.readAllBytes()).isEqualTo(pattern(10, 3));
      }
    }
  }

  @Test
  void read_afterAbandon_failsInsteadOfEndingCleanly() throws Exception {
    Path path = dir.resolve("raw");
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      GrowingFile growing = new GrowingFile(path);
      growing.tracking(file).write(ByteBuffer.wrap(pattern(1000, 5)));
      CompletableFuture<byte[]> read = readAll(growing.open());
      Thread.sleep(100);

      growing.abandon();

      assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(IOException.class)
          .hasMessage("the snapshot stream was abandoned before its end: " + path);
      growing.end();
      try (InputStream late = growing.open()) {
        assertThatThrownBy(late::readAllBytes).hasMessageContaining("abandoned");
      }
    }
  }

  @Test
  void read_interruptedWhileWaiting_saysSo() throws Exception {
    Path path = dir.resolve("raw");
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        InputStream in = new GrowingFile(path).open()) {
      Thread reader = Thread.currentThread();
      CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
        reader.interrupt();
      });

      assertThatThrownBy(in::read)
          .isExactlyInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted while waiting for the snapshot stream");
      assertThat(Thread.interrupted()).isTrue();
    }
  }
}
