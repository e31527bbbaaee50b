package io.lifeboat.bbolt;

/** On-disk constants of bbolt, named as upstream names them (page.go, db.go, bucket.go). */
final class Format {
  static final int PAGE_HEADER_SIZE = 16;
  static final int LEAF_PAGE_ELEMENT_SIZE = 16;
  static final int BRANCH_PAGE_ELEMENT_SIZE = 16;
  static final int META_SIZE = 64;
  /** The checksum covers the meta fields before it. */
  static final int META_CHECKSUM_OFFSET = 56;
  static final int BUCKET_HEADER_SIZE = 16;

  static final int BRANCH_PAGE_FLAG = 0x01;
  static final int LEAF_PAGE_FLAG = 0x02;
  static final int META_PAGE_FLAG = 0x04;
  static final int FREELIST_PAGE_FLAG = 0x10;
  static final int BUCKET_LEAF_FLAG = 0x01;

  static final int MAGIC = 0xED0CDAED;
  static final int VERSION = 2;
  static final long PGID_NO_FREELIST = 0xFFFFFFFFFFFFFFFFL;

  static final int MIN_PAGE_SIZE = 1024;
  static final int MAX_PAGE_SIZE = 65536;
  static final int MAX_KEY_SIZE = 32768;
  /** bbolt's MaxValueSize: {@code (1 << 31) - 2}. */
  static final int MAX_VALUE_SIZE = Integer.MAX_VALUE - 1;
  /** Deeper trees than this cannot come from bbolt (fill factor >= 2 per level); deeper means a loop. */
  static final int MAX_TREE_DEPTH = 64;
  /** etcd never nests buckets; a deep chain of buckets is corruption, and it would overflow a recursive walker. */
  static final int MAX_BUCKET_DEPTH = 64;
  /** A page with its overflow must fit a Java array. */
  static final long MAX_PAGE_BYTES = Integer.MAX_VALUE - 64;

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Format() {}

  /** FNV-1a 64, bbolt's meta checksum. */
  static long fnv1a64(byte[] data, int from, int to) {
    long h = FNV_OFFSET_BASIS;
    for (int i = from; i < to; i++) {
      h ^= data[i] & 0xFF;
      h *= FNV_PRIME;
    }
    return h;
  }
}
