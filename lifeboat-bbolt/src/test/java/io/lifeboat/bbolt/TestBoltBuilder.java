package io.lifeboat.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small bbolt files page by page, independently of the reader, so tests control every byte. It does not
 * sort or check anything: tests build malformed files with it too.
 */
final class TestBoltBuilder {
  static final int PAGE_SIZE = 4096;

  record Entry(byte[] key, byte[] value, int flags) {
    static Entry kv(String key, String value) {
      return new Entry(bytes(key), bytes(value), 0);
    }

    static Entry kv(String key, byte[] value) {
      return new Entry(bytes(key), value, 0);
    }

    static Entry bucket(String name, byte[] bucketValue) {
      return new Entry(bytes(name), bucketValue, 1);
    }
  }

  record Child(byte[] key, long pgid) {
    static Child of(String key, long pgid) {
      return new Child(bytes(key), pgid);
    }
  }

  /** Page images by page id; a page with overflow occupies several slots, the later ones null. */
  private final List<byte[]> pages = new ArrayList<>(List.of(new byte[0], new byte[0]));

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  long nextPgid() {
    return pages.size();
  }

  /** Writes a leaf page (with overflow pages if it needs them) and returns its id. */
  long leaf(List<Entry> entries) {
    long pgid = pages.size();
    byte[] image = leafImage(pgid, entries);
    return place(pgid, image);
  }

  long branch(List<Child> children) {
    long pgid = pages.size();
    int size = 16 + 16 * children.size();
    for (Child c : children) {
      size += c.key().length;
    }
    int npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    ByteBuffer b = ByteBuffer.allocate(npages * PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, pgid).putShort(8, (short) 0x01).putShort(10, (short) children.size()).putInt(12, npages - 1);
    int data = 16 + 16 * children.size();
    for (int i = 0; i < children.size(); i++) {
      int e = 16 + 16 * i;
      Child c = children.get(i);
      b.putInt(e, data - e).putInt(e + 4, c.key().length).putLong(e + 8, c.pgid());
      b.put(data, c.key());
      data += c.key().length;
    }
    return place(pgid, b.array());
  }

  private long place(long pgid, byte[] image) {
    int npages = image.length / PAGE_SIZE;
    pages.add(image);
    for (int i = 1; i < npages; i++) {
      pages.add(null);
    }
    return pgid;
  }

  /** A leaf page image, padded to whole pages, with the overflow its size needs. */
  static byte[] leafImage(long pgid, List<Entry> entries) {
    int size = rawLeafSize(entries);
    int npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    byte[] image = new byte[npages * PAGE_SIZE];
    writeLeaf(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN), pgid, npages - 1, entries);
    return image;
  }

  private static int rawLeafSize(List<Entry> entries) {
    int size = 16 + 16 * entries.size();
    for (Entry e : entries) {
      size += e.key().length + e.value().length;
    }
    return size;
  }

  private static void writeLeaf(ByteBuffer b, long pgid, int overflow, List<Entry> entries) {
    b.putLong(0, pgid).putShort(8, (short) 0x02).putShort(10, (short) entries.size()).putInt(12, overflow);
    int data = 16 + 16 * entries.size();
    for (int i = 0; i < entries.size(); i++) {
      int e = 16 + 16 * i;
      Entry en = entries.get(i);
      b.putInt(e, en.flags()).putInt(e + 4, data - e).putInt(e + 8, en.key().length)
          .putInt(e + 12, en.value().length);
      b.put(data, en.key());
      data += en.key().length;
      b.put(data, en.value());
      data += en.value().length;
    }
  }

  /** The value of a paged bucket entry. */
  static byte[] pagedBucket(long root) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, root).putLong(8, 0).array();
  }

  /** The value of an inline bucket entry: bucket header with root 0, then a leaf image of exact size. */
  static byte[] inlineBucket(List<Entry> entries) {
    byte[] value = new byte[16 + rawLeafSize(entries)];
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    writeLeaf(b.slice(16, value.length - 16).order(ByteOrder.LITTLE_ENDIAN), 0, 0, entries);
    return value;
  }

  /** The whole image: metas (page 0 txid {@code txid}, page 1 txid-1, as WriteTo does) and every page. */
  byte[] image(long root, long txid) {
    int count = pages.size();
    byte[] file = new byte[count * PAGE_SIZE];
    for (int i = 2; i < count; i++) {
      byte[] p = pages.get(i);
      if (p != null) {
        System.arraycopy(p, 0, file, i * PAGE_SIZE, p.length);
      }
    }
    writeMeta(file, 0, root, count, txid);
    writeMeta(file, 1, root, count, txid - 1);
    return file;
  }

  static void writeMeta(byte[] file, int index, long root, long pageCount, long txid) {
    ByteBuffer b = ByteBuffer.wrap(file, index * PAGE_SIZE, PAGE_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, index).putShort(8, (short) 0x04).putShort(10, (short) 0).putInt(12, 0);
    b.putInt(16, 0xED0CDAED).putInt(20, 2).putInt(24, PAGE_SIZE).putInt(28, 0);
    b.putLong(32, root).putLong(40, 0).putLong(48, -1L).putLong(56, pageCount).putLong(64, txid);
    resealMeta(file, index, PAGE_SIZE);
  }

  /** Recomputes the FNV-1a checksum of meta page {@code index}, after a test changed a field. */
  static void resealMeta(byte[] file, int index, int pageSize) {
    int start = index * pageSize + 16;
    long h = 0xcbf29ce484222325L;
    for (int i = start; i < start + 56; i++) {
      h ^= file[i] & 0xFF;
      h *= 0x100000001b3L;
    }
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(start + 56, h);
  }

  Path write(Path file, long root, long txid) throws IOException {
    return Files.write(file, image(root, txid));
  }
}
