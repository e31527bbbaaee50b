package io.lifeboat.etcd.mvcc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;

/**
 * A row key of etcd's {@code key} bucket: {@code main} (BE u64), {@code '_'}, {@code sub} (BE u64),
 * and for tombstones a trailing {@code 't'}. Byte order equals revision order.
 */
public record Revision(long main, long sub, boolean tombstone) implements Comparable<Revision> {
  public static final int REVISION_SIZE = 17;
  public static final int TOMBSTONE_SIZE = 18;
  private static final byte SEPARATOR = '_';
  private static final byte TOMBSTONE_MARK = 't';

  /**
   * Decodes a row key.
   *
   * @return the revision, or empty when the bytes are not a well-formed revision key
   */
  public static Optional<Revision> decode(ByteBuffer key) {
    ByteBuffer k = key.duplicate().order(ByteOrder.BIG_ENDIAN);
    int length = k.remaining();
    if (length != REVISION_SIZE && length != TOMBSTONE_SIZE) {
      return Optional.empty();
    }
    int start = k.position();
    if (k.get(start + 8) != SEPARATOR) {
      return Optional.empty();
    }
    boolean tombstone = length == TOMBSTONE_SIZE;
    if (tombstone && k.get(start + REVISION_SIZE) != TOMBSTONE_MARK) {
      return Optional.empty();
    }
    return Optional.of(new Revision(k.getLong(start), k.getLong(start + 9), tombstone));
  }

  /** The main revision alone, as etcd's status reads it: the first 8 bytes, big-endian. */
  public static long mainOf(ByteBuffer key) {
    return key.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(key.position());
  }

  /** The 17-byte (or 18 for a tombstone) row key. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(tombstone ? TOMBSTONE_SIZE : REVISION_SIZE);
    b.putLong(main).put(SEPARATOR).putLong(sub);
    if (tombstone) {
      b.put(TOMBSTONE_MARK);
    }
    return b.array();
  }

  @Override
  public int compareTo(Revision other) {
    int c = Long.compare(main, other.main);
    return c != 0 ? c : Long.compare(sub, other.sub);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d_%d%s", main, sub, tombstone ? "t" : "");
  }
}
