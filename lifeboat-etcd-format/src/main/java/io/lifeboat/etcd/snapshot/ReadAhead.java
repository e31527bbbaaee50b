package io.lifeboat.etcd.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Reads a file front to back on a daemon thread and throws the bytes away, so that the page cache
 * holds it before the tree walk's scattered reads ask for it. On a cold cache a bbolt walk reads in
 * tree order (tens of MB/s on a disk), while a sequential read streams at the device's full speed.
 * It is only a hint: a read error here is left for the walk to meet and report.
 *
 * <p>Parts already in the page cache are skipped: {@link MappedByteBuffer#isLoaded()} asks the
 * kernel (mincore) without touching the pages, so a warm file costs almost nothing. The mapping is
 * never read, so it adds nothing to the resident set.
 */
final class ReadAhead implements AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private static final int WINDOW = 64 << 20;
  private static final int PROBE = 4 << 20;

  private final Thread thread;
  private volatile boolean stopped;

  private ReadAhead(FileChannel channel, long length) {
    thread = new Thread(() -> readAll(channel, length), "lifeboat-read-ahead");
    thread.setDaemon(true);
  }

  /** Starts reading the first {@code length} bytes; with 0 it does nothing. */
  static ReadAhead start(FileChannel channel, long length) {
    ReadAhead readAhead = new ReadAhead(channel, length);
    if (length > 0) {
      readAhead.thread.start();
    }
    return readAhead;
  }

  private void readAll(FileChannel channel, long length) {
    ByteBuffer sink = ByteBuffer.allocateDirect(CHUNK);
    try {
      for (long window = 0; window < length && !stopped; window += WINDOW) {
        int windowLength = (int) Math.min(WINDOW, length - window);
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, window, windowLength);
        for (int probe = 0; probe < windowLength && !stopped; probe += PROBE) {
          int probeLength = Math.min(PROBE, windowLength - probe);
          if (!map.slice(probe, probeLength).isLoaded()) {
            read(channel, sink, window + probe, probeLength);
          }
        }
      }
    } catch (ClosedChannelException e) {
      // The walk finished and closed the file first.
    } catch (IOException e) {
      // Advisory only; the walk reads the same bytes and reports any failure with its context.
    }
  }

  private void read(FileChannel channel, ByteBuffer sink, long position, int length) throws IOException {
    long end = position + length;
    while (!stopped && position < end) {
      sink.clear().limit((int) Math.min(CHUNK, end - position));
      int n = channel.read(sink, position);
      if (n <= 0) {
        return;
      }
      position += n;
    }
  }

  @Override
  public void close() {
    stopped = true;
  }
}
