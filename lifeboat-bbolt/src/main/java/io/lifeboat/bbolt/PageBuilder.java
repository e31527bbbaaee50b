package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.BRANCH_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.BRANCH_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The open page of one tree level: elements appended in key order into fixed arrays sized for one page of
 * {@code capacity} bytes, then serialised as header, element table and data, as bbolt lays a page out. Reused from
 * page to page; its memory is bounded by the capacity.
 */
final class PageBuilder {
  private final boolean leaf;
  private final int capacity;
  private final int[] flags;
  private final int[] keyLength;
  private final int[] valueLength;
  private final int[] dataOffset;
  private final long[] child;
  private byte[] data;
  private int count;
  private int dataLength;

  PageBuilder(boolean leaf, int capacity) {
    this.leaf = leaf;
    this.capacity = capacity;
    // Every element takes at least 16 bytes plus a 1-byte key.
    int maxCount = (capacity - PAGE_HEADER_SIZE) / (LEAF_PAGE_ELEMENT_SIZE + 1) + 1;
    this.flags = new int[maxCount];
    this.keyLength = new int[maxCount];
    this.valueLength = new int[maxCount];
    this.dataOffset = new int[maxCount];
    this.child = leaf ? new long[0] : new long[maxCount];
    this.data = new byte[capacity];
  }

  boolean isLeaf() {
    return leaf;
  }

  int count() {
    return count;
  }

  /** Bytes this page takes when serialised: bbolt's node size. */
  int size() {
    return PAGE_HEADER_SIZE + count * LEAF_PAGE_ELEMENT_SIZE + dataLength;
  }

  /** Whether an element of {@code elementSize} bytes (16 + key + value) still fits within the capacity. */
  boolean fits(long elementSize) {
    return size() + elementSize <= capacity;
  }

  void addLeaf(int elementFlags, byte[] key, int klen, ByteBuffer value) {
    int vlen = value.remaining();
    int at = append(key, klen, vlen);
    value.get(value.position(), data, at + klen, vlen);
    flags[count] = elementFlags;
    count++;
  }

  void addBranch(byte[] key, int klen, long childPgid) {
    append(key, klen, 0);
    child[count] = childPgid;
    count++;
  }

  private int append(byte[] key, int klen, int vlen) {
    if (leaf && !fits((long) LEAF_PAGE_ELEMENT_SIZE + klen + vlen)) {
      throw new IllegalStateException("element of " + (klen + vlen) + " bytes does not fit the page");
    }
    if (dataLength + klen + vlen > data.length) {
      // A branch page may hold keys bigger than a page (it then has overflow pages).
      data = Arrays.copyOf(data, Math.max(dataLength + klen + vlen, 2 * data.length));
    }
    int at = dataLength;
    System.arraycopy(key, 0, data, at, klen);
    keyLength[count] = klen;
    valueLength[count] = vlen;
    dataOffset[count] = at;
    dataLength += klen + vlen;
    return at;
  }

  /** The data area: element {@code i}'s key at {@link #keyOffset}, its value right after. */
  byte[] data() {
    return data;
  }

  int keyOffset(int i) {
    return dataOffset[i];
  }

  int keyLength(int i) {
    return keyLength[i];
  }

  int valueLength(int i) {
    return valueLength[i];
  }

  long child(int i) {
    return child[i];
  }

  int elementFlags(int i) {
    return flags[i];
  }

  /** Writes the page image, {@link #size()} bytes, at {@code dst}'s position (little-endian), with header id {@code id}. */
  void writeTo(ByteBuffer dst, long id) {
    writeHeaderAndElements(dst, id, 0);
    dst.put(data, 0, dataLength);
  }

  /** Bytes of the header and element table; the {@link #data()} area, {@link #dataLength()} bytes, follows them. */
  int headerAndElementsSize() {
    return PAGE_HEADER_SIZE + count * LEAF_PAGE_ELEMENT_SIZE;
  }

  int dataLength() {
    return dataLength;
  }

  /** Writes the page header (with {@code overflow} extra pages) and the element table. */
  void writeHeaderAndElements(ByteBuffer dst, long id, long overflow) {
    dst.putLong(id);
    dst.putShort((short) (leaf ? LEAF_PAGE_FLAG : BRANCH_PAGE_FLAG));
    dst.putShort((short) count);
    dst.putInt((int) overflow);
    int dataStart = headerAndElementsSize();
    for (int i = 0; i < count; i++) {
      // pos is relative to the element itself.
      int pos = dataStart + dataOffset[i] - (PAGE_HEADER_SIZE + i * BRANCH_PAGE_ELEMENT_SIZE);
      if (leaf) {
        dst.putInt(flags[i]);
        dst.putInt(pos);
        dst.putInt(keyLength[i]);
        dst.putInt(valueLength[i]);
      } else {
        dst.putInt(pos);
        dst.putInt(keyLength[i]);
        dst.putLong(child[i]);
      }
    }
  }

  void reset() {
    count = 0;
    dataLength = 0;
  }
}
