package io.lifeboat.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Appends pages to a bbolt file through one reused direct buffer, many pages per write. Page ids are handed out
 * sequentially, so the file grows strictly by appending: page {@code n} lands at offset {@code n * pageSize}.
 * A page is written between {@link #begin} and {@link #end}; {@code end} zero-fills the rest of it.
 */
final class PageOutput {
  private final FileChannel channel;
  private final int pageSize;
  private final ByteBuffer buffer;
  private final byte[] zeros;
  /** File offset of the buffer's first byte. */
  private long flushedTo;
  private long nextPgid;
  /** File offset where the page being written ends, or -1 between pages. */
  private long pageEnd = -1;

  PageOutput(FileChannel channel, int pageSize, long firstPgid, int bufferBytes) {
    this.channel = channel;
    this.pageSize = pageSize;
    int capacity = Math.max(pageSize, bufferBytes / pageSize * pageSize);
    this.buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    this.zeros = new byte[pageSize];
    this.nextPgid = firstPgid;
    this.flushedTo = firstPgid * pageSize;
  }

  int pageSize() {
    return pageSize;
  }

  /** The next page id to be allocated: after the last page, bbolt's {@code pgid} high-water mark. */
  long nextPgid() {
    return nextPgid;
  }

  /** Starts a node of {@code pages} consecutive pages (1 + overflow) and returns its page id. */
  long begin(long pages) {
    if (pageEnd >= 0) {
      throw new IllegalStateException("page " + (pageEnd / pageSize) + " is still being written");
    }
    long pgid = nextPgid;
    nextPgid += pages;
    pageEnd = nextPgid * pageSize;
    return pgid;
  }

  /** The buffer, with at least {@code bytes} (at most one page) free, for relative little-endian puts. */
  ByteBuffer reserve(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      drain();
    }
    return buffer;
  }

  void put(byte[] src, int offset, int length) throws IOException {
    int off = offset;
    int left = length;
    while (left > 0) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(left, buffer.remaining());
      buffer.put(src, off, n);
      off += n;
      left -= n;
    }
  }

  /** Copies {@code src} from its position to its limit, leaving the caller's position unchanged. */
  void put(ByteBuffer src) throws IOException {
    int pos = src.position();
    int end = src.limit();
    while (pos < end) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(end - pos, buffer.remaining());
      buffer.put(buffer.position(), src, pos, n);
      buffer.position(buffer.position() + n);
      pos += n;
    }
  }

  /** Ends the current node: zero-fills it up to its last page's end. */
  void end() throws IOException {
    long written = flushedTo + buffer.position();
    if (written > pageEnd) {
      throw new IllegalStateException("page overrun: wrote up to offset " + written + ", page ends at " + pageEnd);
    }
    long pad = pageEnd - written;
    while (pad > 0) {
      int n = (int) Math.min(pad, zeros.length);
      put(zeros, 0, n);
      pad -= n;
    }
    pageEnd = -1;
  }

  /** Writes everything buffered to the file. */
  void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      flushedTo += channel.write(buffer, flushedTo);
    }
    buffer.clear();
  }

  /** Writes a whole page image at page {@code pgid}, outside the append sequence (the meta and freelist pages). */
  void writeAt(long pgid, ByteBuffer page) throws IOException {
    long position = pgid * pageSize;
    while (page.hasRemaining()) {
      position += channel.write(page, position);
    }
  }
}
