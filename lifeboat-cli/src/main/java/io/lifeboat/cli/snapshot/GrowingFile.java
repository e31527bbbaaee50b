package io.lifeboat.cli.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file one thread writes while another reads it as it grows ({@code tail -f}): the encoder of a
 * named save compresses the snapshot from the page cache while the member still streams it,
 * instead of in a second pass. A reader waits at the end of what is written until more comes; it
 * sees the end of the file only once the writer calls {@link #end()}, after the snapshot passed its
 * checks, and fails at once after {@link #abandon()}.
 */
final class GrowingFile {
  private enum State {
    GROWING,
    ENDED,
    ABANDONED
  }

  private final Path path;
  private long written;
  private State state = State.GROWING;

  GrowingFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  /** {@code out}, telling readers about every byte written through it. */
  WritableByteChannel tracking(WritableByteChannel out) {
    Objects.requireNonNull(out, "out");
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        int n = out.write(src);
        grew(n);
        return n;
      }

      @Override
      public boolean isOpen() {
        return out.isOpen();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  /** Everything is written and checked: readers reach the end of the file. */
  synchronized void end() {
    if (state == State.GROWING) {
      state = State.ENDED;
      notifyAll();
    }
  }

  /** The file will not be complete (a failed or cut short stream): readers fail. */
  synchronized void abandon() {
    if (state == State.GROWING) {
      state = State.ABANDONED;
      notifyAll();
    }
  }

  private synchronized void grew(long n) {
    written += n;
    notifyAll();
  }

  /**
   * How many bytes a reader at {@code position} may read now: waits while it has read all that is
   * written and the file still grows; -1 at the end.
   */
  private synchronized long readable(long position) throws IOException {
    while (position >= written && state == State.GROWING) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the snapshot stream");
      }
    }
    if (state == State.ABANDONED) {
      throw new IOException("the snapshot stream was abandoned before its end: " + path);
    }
    return position < written ? written - position : -1;
  }

  /** A stream of the file's bytes, following the writer. */
  InputStream open() throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    return new InputStream() {
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return 0;
        }
        long available = readable(position);
        if (available < 0) {
          return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
        if (n < 0) {
          throw new IOException("the snapshot file shrank while it was read: " + path);
        }
        position += n;
        return n;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
