package io.lifeboat.bbolt;

/**
 * One of the two meta pages of a bbolt file (pages 0 and 1), as stored.
 *
 * @param pageId the meta page (0 or 1) this came from
 * @param pageCount bbolt's {@code pgid} high-water mark: the number of pages in the image
 * @param freelistPageId the freelist page, or -1 (0xFFFFFFFFFFFFFFFF) when the freelist is not synced, as etcd does
 */
public record Meta(int pageId, int pageSize, int flags, long rootPageId, long rootSequence, long freelistPageId,
                   long pageCount, long txid, long checksum) {

  /** Size of the bbolt image in bytes; etcd's {@code totalSize}. A snapshot file adds a 32-byte trailer after it. */
  public long imageSize() {
    return pageCount * (long) pageSize;
  }
}
