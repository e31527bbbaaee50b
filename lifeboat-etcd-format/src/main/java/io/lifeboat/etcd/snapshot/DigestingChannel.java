package io.lifeboat.etcd.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a snapshot stream through to a channel while hashing it, so that the sha256 trailer and
 * the digest of the whole file are known the moment the stream ends, without reading the file
 * again. The last 32 bytes are held back from the image digest until more data arrives: only at
 * the end is it known which 32 bytes are the trailer.
 */
public final class DigestingChannel implements WritableByteChannel {
  private final WritableByteChannel delegate;
  private final MessageDigest image = SnapshotTrailer.newSha256();
  private final byte[] tail = new byte[SnapshotTrailer.TRAILER_SIZE];
  private int tailLength;
  private long size;

  public DigestingChannel(WritableByteChannel delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer view = src.duplicate();
    int written = delegate.write(src);
    view.limit(view.position() + written);
    absorb(view);
    size += written;
    return written;
  }

  private void absorb(ByteBuffer data) {
    int n = data.remaining();
    if (n >= tail.length) {
      image.update(tail, 0, tailLength);
      ByteBuffer body = data.duplicate();
      body.limit(body.limit() - tail.length);
      image.update(body);
      data.position(data.limit() - tail.length);
      data.get(tail, 0, tail.length);
      tailLength = tail.length;
      return;
    }
    // Fewer new bytes than the tail holds: the oldest held bytes leave the tail for the digest.
    int overflow = Math.max(0, tailLength + n - tail.length);
    image.update(tail, 0, overflow);
    System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
    tailLength -= overflow;
    data.get(tail, tailLength, n);
    tailLength += n;
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  /** The trailer check of what was written: VALID, ABSENT, or a mismatch. */
  public boolean trailerPresent() {
    return SnapshotTrailer.present(size);
  }

  /** Whether the trailer is present and equals the sha256 of the bytes before it. */
  public boolean trailerMatches() {
    return trailerPresent() && tailLength == tail.length && MessageDigest.isEqual(imageDigest(), tail);
  }

  /** SHA-256 of every byte written, trailer included: the stored object's checksum. */
  public byte[] fileDigest() {
    MessageDigest whole = copy();
    whole.update(tail, 0, tailLength);
    return whole.digest();
  }

  private byte[] imageDigest() {
    return copy().digest();
  }

  private MessageDigest copy() {
    try {
      return (MessageDigest) image.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 supports clone", e);
    }
  }

  /** The last bytes written (the trailer when present), for messages. */
  public byte[] tail() {
    return Arrays.copyOf(tail, tailLength);
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
