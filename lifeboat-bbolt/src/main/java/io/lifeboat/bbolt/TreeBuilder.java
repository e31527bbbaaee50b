package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.LEAF_PAGE_ELEMENT_SIZE;
import static io.lifeboat.bbolt.Format.LEAF_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk-loads one B+tree from elements arriving in strictly increasing key order. Each level keeps only its open node;
 * a full node is written at once and its (first key, page id) is pushed into the level above. {@link #finish} closes
 * the levels bottom-up until one root remains. Memory is one node per level, whatever the number of elements.
 *
 * <p>A leaf node may span up to {@code maxLeafPages} pages (a page with overflow, as bbolt itself writes nodes of more
 * than a page). When the next element does not fit the node's last page, the node ends there only if that wastes at
 * most an eighth of a page; otherwise it grows by a page. Rows of a few KB (etcd's values often are) would otherwise
 * leave most of a page empty after each one: with single-page leaves the file is about 40% bigger than its data.
 */
final class TreeBuilder {
  /** bbolt's minKeysPerPage for branch nodes. */
  private static final int MIN_KEYS_PER_BRANCH = 2;

  private final PageOutput out;
  private final int pageSize;
  /** Largest leaf node, in bytes, that elements are packed into; bigger elements get a leaf of their own. */
  private final long maxLeafBytes;
  /** Unused bytes at the end of a leaf node's last page that are accepted to end the node there. */
  private final int acceptedSlack;
  /** Index 0 is the leaf level. */
  private final List<PageBuilder> levels = new ArrayList<>();
  private boolean finished;

  /** A tree whose leaf nodes are one page each (with overflow only for an element bigger than a page). */
  TreeBuilder(PageOutput out) {
    this(out, 1);
  }

  /** A tree whose leaf nodes pack elements into up to {@code maxLeafPages} pages. */
  TreeBuilder(PageOutput out, int maxLeafPages) {
    if (maxLeafPages < 1) {
      throw new IllegalArgumentException("maxLeafPages " + maxLeafPages + " must be at least 1");
    }
    this.out = out;
    this.pageSize = out.pageSize();
    this.maxLeafBytes = (long) maxLeafPages * pageSize;
    this.acceptedSlack = pageSize / 8;
    levels.add(new PageBuilder(true, Math.toIntExact(maxLeafBytes)));
  }

  /** Adds a leaf element; {@code value} is read from its position to its limit and left unchanged. */
  void add(int elementFlags, byte[] key, int klen, ByteBuffer value) throws IOException {
    if (finished) {
      throw new IllegalStateException("tree already finished");
    }
    add(0, elementFlags, key, klen, value, 0);
  }

  private void add(int level, int elementFlags, byte[] key, int klen, ByteBuffer value, long childPgid)
      throws IOException {
    if (level == levels.size()) {
      levels.add(new PageBuilder(false, pageSize));
    }
    PageBuilder page = levels.get(level);
    if (page.isLeaf()) {
      long elementSize = (long) LEAF_PAGE_ELEMENT_SIZE + klen + value.remaining();
      if (PAGE_HEADER_SIZE + elementSize > maxLeafBytes) {
        // Bigger than a leaf node may be: a leaf of one element with overflow pages, its value streamed.
        if (page.count() > 0) {
          flush(level);
        }
        long pgid = writeSingleLeaf(elementFlags, key, klen, value);
        add(level + 1, 0, key, klen, null, pgid);
        return;
      }
      if (page.count() > 0) {
        long size = page.size();
        long allocated = (size + pageSize - 1) / pageSize * pageSize;
        if (size + elementSize > allocated
            && (allocated - size <= acceptedSlack || size + elementSize > maxLeafBytes)) {
          flush(level);
        }
      }
      page.addLeaf(elementFlags, key, klen, value);
    } else {
      // At least two elements per branch page (bbolt's minKeysPerPage), so that each level is smaller than the one
      // below even when keys are bigger than a page; such a page gets overflow pages.
      long elementSize = (long) LEAF_PAGE_ELEMENT_SIZE + klen;
      if (!page.fits(elementSize) && page.count() >= MIN_KEYS_PER_BRANCH) {
        flush(level);
      }
      page.addBranch(key, klen, childPgid);
    }
  }

  /** Writes the open page of {@code level} and pushes its first key and page id into the level above. */
  private void flush(int level) throws IOException {
    PageBuilder page = levels.get(level);
    long pgid = write(page);
    // The parent copies the key before this page is reset.
    add(level + 1, 0, page.data(), page.keyLength(0), null, pgid);
    page.reset();
  }

  private long write(PageBuilder page) throws IOException {
    long pages = (page.size() + pageSize - 1) / pageSize;
    long pgid = out.begin(Math.max(1, pages));
    page.writeHeaderAndElements(out.reserve(page.headerAndElementsSize()), pgid, Math.max(0, pages - 1));
    out.put(page.data(), 0, page.dataLength());
    out.end();
    return pgid;
  }

  private long writeSingleLeaf(int elementFlags, byte[] key, int klen, ByteBuffer value) throws IOException {
    long size = PAGE_HEADER_SIZE + LEAF_PAGE_ELEMENT_SIZE + (long) klen + value.remaining();
    long pages = (size + pageSize - 1) / pageSize;
    long pgid = out.begin(pages);
    ByteBuffer b = out.reserve(PAGE_HEADER_SIZE + LEAF_PAGE_ELEMENT_SIZE);
    b.putLong(pgid);
    b.putShort((short) LEAF_PAGE_FLAG);
    b.putShort((short) 1);
    b.putInt((int) (pages - 1));
    b.putInt(elementFlags);
    b.putInt(LEAF_PAGE_ELEMENT_SIZE);
    b.putInt(klen);
    b.putInt(value.remaining());
    out.put(key, 0, klen);
    out.put(value);
    out.end();
    return pgid;
  }

  /** Writes the remaining open pages bottom-up and returns the root page id. An empty tree is one empty leaf. */
  long finish() throws IOException {
    if (finished) {
      throw new IllegalStateException("tree already finished");
    }
    finished = true;
    for (int level = 0; ; level++) {
      PageBuilder page = levels.get(level);
      if (level == levels.size() - 1) {
        // The highest level never filled a page: its open page is the root, unless it only names one child.
        if (level > 0 && page.count() == 1) {
          return childOfOnlyElement(level);
        }
        return write(page);
      }
      if (page.count() > 0) {
        flush(level);
      }
    }
  }

  private long childOfOnlyElement(int level) {
    return levels.get(level).child(0);
  }
}
