package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.BRANCH_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.BRANCH_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.BUCKET_LEAF_FLAG;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.MAX_KEY_SIZE;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reusable buffer holding one decoded branch or leaf page (with its overflow), or the leaf image of an inline
 * bucket. {@link #validate} checks every element once, so the accessors after it need no further bounds checks.
 */
final class Page {
  private byte[] buf;
  private ByteBuffer bb;
  private ByteBuffer readOnly;

  /** Page id for messages; for an inline bucket, the page that holds its value. */
  long pgid = -1;
  /** File offset of byte 0 of this buffer. */
  long fileOffset = -1;
  boolean inline;
  /** Whether the buffer holds a fully loaded, validated page (it can be reused without reading). */
  boolean valid;
  int length;
  int flags;
  int count;
  long overflow;

  Page(int capacity) {
    wrap(new byte[capacity]);
  }

  private void wrap(byte[] array) {
    buf = array;
    bb = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
    readOnly = bb.asReadOnlyBuffer();
  }

  byte[] array() {
    return buf;
  }

  ByteBuffer buffer() {
    return bb;
  }

  /** Grows the buffer to at least {@code capacity} bytes, keeping the first {@code keep} bytes. */
  void ensureCapacity(int capacity, int keep) {
    if (buf.length < capacity) {
      byte[] bigger = new byte[capacity];
      System.arraycopy(buf, 0, bigger, 0, keep);
      wrap(bigger);
    }
  }

  boolean isLeaf() {
    return flags == LEAF_PAGE_FLAG;
  }

  long header64(int at) {
    return bb.getLong(at);
  }

  int u16(int at) {
    return bb.getShort(at) & 0xFFFF;
  }

  long u32(int at) {
    return bb.getInt(at) & 0xFFFFFFFFL;
  }

  private static int elem(int i) {
    return PAGE_HEADER_SIZE + LEAF_PAGE_ELEMENT_SIZE * i;
  }

  int keyOffset(int i) {
    int e = elem(i);
    return e + bb.getInt(isLeaf() ? e + 4 : e);
  }

  int keyLength(int i) {
    int e = elem(i);
    return bb.getInt(isLeaf() ? e + 8 : e + 4);
  }

  int valueOffset(int i) {
    return keyOffset(i) + keyLength(i);
  }

  int valueLength(int i) {
    return bb.getInt(elem(i) + 12);
  }

  int elementFlags(int i) {
    return bb.getInt(elem(i));
  }

  boolean isBucketEntry(int i) {
    return (elementFlags(i) & BUCKET_LEAF_FLAG) != 0;
  }

  long childPgid(int i) {
    return bb.getLong(elem(i) + 8);
  }

  /** Feeds key {@code i} to a checksum straight from the page array: no view, no copy. */
  void updateWithKey(java.util.zip.Checksum checksum, int i) {
    checksum.update(buf, bb.arrayOffset() + keyOffset(i), keyLength(i));
  }

  void updateWithValue(java.util.zip.Checksum checksum, int i) {
    checksum.update(buf, bb.arrayOffset() + valueOffset(i), valueLength(i));
  }

  ByteBuffer keyView(int i) {
    return readOnly.slice(keyOffset(i), keyLength(i));
  }

  ByteBuffer valueView(int i) {
    return readOnly.slice(valueOffset(i), valueLength(i));
  }

  /** Unsigned bytewise comparison of key {@code i} with {@code other[from, to)}. */
  int compareKey(int i, byte[] other, int from, int to) {
    int off = keyOffset(i);
    return Arrays.compareUnsigned(buf, off, off + keyLength(i), other, from, to);
  }

  int compareKeys(int i, Page other, int j) {
    int off = other.keyOffset(j);
    return compareKey(i, other.buf, off, off + other.keyLength(j));
  }

  /**
   * Checks the element table and every key and value position against this page's length, that keys are non-empty
   * and strictly increasing, and that branch children are in range.
   */
  void validate(BoltFile db) throws CorruptFileException {
    String kind = isLeaf() ? "leaf" : "branch";
    long tableEnd = PAGE_HEADER_SIZE + (long) count * (isLeaf() ? LEAF_PAGE_ELEMENT_SIZE : BRANCH_PAGE_ELEMENT_SIZE);
    if (tableEnd > length) {
      throw db.corrupt(this, "%s element table of count %d needs %d bytes, more than the %d bytes of the page",
          kind, count, tableEnd, length);
    }
    if (!isLeaf() && count == 0) {
      throw db.corrupt(this, "branch page has no elements");
    }
    int prevOff = -1;
    int prevLen = 0;
    for (int i = 0; i < count; i++) {
      int e = elem(i);
      long pos;
      long ksize;
      long vsize;
      if (isLeaf()) {
        int f = bb.getInt(e);
        if ((f & ~BUCKET_LEAF_FLAG) != 0) {
          throw db.corrupt(this, "leaf element %d has unknown flags 0x%x (expected 0x0 or 0x1)", i, f);
        }
        pos = u32(e + 4);
        ksize = u32(e + 8);
        vsize = u32(e + 12);
      } else {
        pos = u32(e);
        ksize = u32(e + 4);
        vsize = 0;
        long child = bb.getLong(e + 8);
        if (child < 2 || child >= db.pageCount()) {
          throw db.corrupt(this, "branch element %d points to page %s, outside the image (expected 2..%d)", i,
              Long.toUnsignedString(child), db.pageCount() - 1);
        }
        if (child == pgid && !inline) {
          throw db.corrupt(this, "cycle: branch element %d points to its own page %d", i, child);
        }
      }
      long keyStart = e + pos;
      if (keyStart < tableEnd) {
        throw db.corrupt(this, "%s element %d key starts at %d, inside the element table (ends at %d)",
            kind, i, keyStart, tableEnd);
      }
      if (ksize == 0) {
        throw db.corrupt(this, "%s element %d has an empty key", kind, i);
      }
      if (ksize > MAX_KEY_SIZE) {
        throw db.corrupt(this, "%s element %d key size %d exceeds the maximum %d", kind, i, ksize, MAX_KEY_SIZE);
      }
      long keyEnd = keyStart + ksize;
      if (keyEnd > length) {
        throw db.corrupt(this, "%s element %d key extends past the page end (key end %d > page size %d)",
            kind, i, keyEnd, length);
      }
      if (keyEnd + vsize > length) {
        throw db.corrupt(this, "%s element %d value extends past the page end (value end %d > page size %d)",
            kind, i, keyEnd + vsize, length);
      }
      int off = (int) keyStart;
      int len = (int) ksize;
      if (prevOff >= 0 && Arrays.compareUnsigned(buf, prevOff, prevOff + prevLen, buf, off, off + len) >= 0) {
        throw db.corrupt(this, "%s keys not in increasing order: element %d key %s is not greater than element %d key %s",
            kind, i, BoltFile.describeKey(buf, off, len), i - 1, BoltFile.describeKey(buf, prevOff, prevLen));
      }
      prevOff = off;
      prevLen = len;
    }
  }

  /** Sets this page to a copy of an inline bucket's leaf image. */
  void setInline(byte[] image, long containingPgid, long imageFileOffset) {
    wrap(image);
    inline = true;
    pgid = containingPgid;
    fileOffset = imageFileOffset;
    length = image.length;
    flags = u16(8);
    count = u16(10);
    overflow = u32(12);
  }

  static boolean isBranchOrLeaf(int flags) {
    return flags == BRANCH_PAGE_FLAG || flags == LEAF_PAGE_FLAG;
  }
}
