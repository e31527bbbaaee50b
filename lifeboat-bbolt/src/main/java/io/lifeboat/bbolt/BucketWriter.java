package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.BUCKET_HEADER_SIZE;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.MAX_KEY_SIZE;
import static io.lifeboat.bbolt.Format.MAX_VALUE_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes the rows of one top-level bucket, in strictly increasing unsigned bytewise key order, for
 * {@link BoltWriter#bucket}. Rows are held in memory only while the bucket could still be inline (bbolt's rule:
 * {@code 16 + Σ(16 + key + value) <= pageSize / 4}); past that, rows stream into pages. {@link #close} ends the
 * bucket. Not thread-safe.
 */
public final class BucketWriter implements AutoCloseable {
  private final BoltWriter owner;
  private final byte[] name;
  /** The rows while the bucket still fits inline; replayed into {@link #tree} when it no longer does. */
  private final PageBuilder inline;
  private TreeBuilder tree;
  private byte[] lastKey = new byte[64];
  private int lastKeyLength = -1;
  private byte[] scratch = new byte[64];
  private long rows;
  private boolean closed;

  BucketWriter(BoltWriter owner, byte[] name, int pageSize) {
    this.owner = owner;
    this.name = name;
    this.inline = new PageBuilder(true, pageSize / 4);
  }

  /**
   * Adds a row. Both buffers are read from their position to their limit; their positions are not changed.
   *
   * @throws IllegalArgumentException if the key is empty, longer than 32768 bytes, or not greater than the previous
   *     key, or the value is longer than 2^31-2 bytes; the bucket is unchanged and stays usable
   * @throws IllegalStateException if this bucket or its writer is closed, finished or failed
   */
  public void put(ByteBuffer key, ByteBuffer value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (closed) {
      throw new IllegalStateException("bucket " + BoltWriter.describeName(name) + " is closed; no more rows can be"
          + " added");
    }
    owner.checkWritable();
    int klen = key.remaining();
    if (klen < 1 || klen > MAX_KEY_SIZE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bucket %s: key of %d bytes, expected 1..%d bytes", BoltWriter.describeName(name), klen, MAX_KEY_SIZE));
    }
    if (value.remaining() > MAX_VALUE_SIZE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bucket %s: value of %d bytes for key %s, expected at most %d bytes", BoltWriter.describeName(name),
          value.remaining(), BoltWriter.hex(key, klen), MAX_VALUE_SIZE));
    }
    if (scratch.length < klen) {
      scratch = new byte[Math.max(klen, scratch.length * 2)];
    }
    key.get(key.position(), scratch, 0, klen);
    if (lastKeyLength >= 0 && Arrays.compareUnsigned(lastKey, 0, lastKeyLength, scratch, 0, klen) >= 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bucket %s: keys must be strictly increasing (unsigned bytewise), but key %s follows key %s",
          BoltWriter.describeName(name), BoltWriter.hex(scratch, klen), BoltWriter.hex(lastKey, lastKeyLength)));
    }
    try {
      add(scratch, klen, value);
    } catch (IOException | RuntimeException e) {
      owner.failed(e);
      throw e;
    }
    byte[] previous = lastKey;
    lastKey = scratch;
    lastKeyLength = klen;
    scratch = previous;
    rows++;
  }

  /** Adds a row; see {@link #put(ByteBuffer, ByteBuffer)}. */
  public void put(byte[] key, byte[] value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    put(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
  }

  /** Rows added so far. */
  public long rows() {
    return rows;
  }

  /** Whether the rows so far still fit an inline bucket (nothing of this bucket has been written yet). */
  public boolean isInline() {
    return tree == null;
  }

  private void add(byte[] key, int klen, ByteBuffer value) throws IOException {
    if (tree == null) {
      long elementSize = (long) LEAF_PAGE_ELEMENT_SIZE + klen + value.remaining();
      if (inline.fits(elementSize)) {
        inline.addLeaf(0, key, klen, value);
        return;
      }
      tree = owner.newTree();
      byte[] data = inline.data();
      for (int i = 0; i < inline.count(); i++) {
        int at = inline.keyOffset(i);
        int kl = inline.keyLength(i);
        byte[] k = Arrays.copyOfRange(data, at, at + kl);
        tree.add(0, k, kl, ByteBuffer.wrap(data, at + kl, inline.valueLength(i)));
      }
      inline.reset();
    }
    tree.add(0, key, klen, value);
  }

  /**
   * Ends the bucket: writes its remaining pages (or builds its inline value) and adds it to the top-level tree.
   * Closing twice does nothing.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!owner.isWritable()) {
      // The writer was discarded or failed: there is nothing left to end.
      return;
    }
    try {
      owner.bucketClosed(this, name, bucketValue());
    } catch (IOException | RuntimeException e) {
      owner.failed(e);
      throw e;
    }
  }

  private ByteBuffer bucketValue() throws IOException {
    if (tree != null) {
      ByteBuffer header = ByteBuffer.allocate(BUCKET_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      header.putLong(tree.finish()).putLong(0);
      return header.flip();
    }
    // Inline: bucket header with root 0, then the leaf page image with id 0.
    ByteBuffer v = ByteBuffer.allocate(BUCKET_HEADER_SIZE + inline.size()).order(ByteOrder.LITTLE_ENDIAN);
    v.putLong(0).putLong(0);
    inline.writeTo(v, 0);
    return v.flip();
  }

  boolean isClosed() {
    return closed;
  }
}
