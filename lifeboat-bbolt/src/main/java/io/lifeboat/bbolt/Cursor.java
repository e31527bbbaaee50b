package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.BUCKET_HEADER_SIZE;
import static io.lifeboat.bbolt.Format.MAX_BUCKET_DEPTH;
import static io.lifeboat.bbolt.Format.MAX_TREE_DEPTH;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Walks one bucket's entries in unsigned byte order. Holds one reusable page buffer per tree level, so memory does
 * not grow with the bucket. While walking it checks what bbolt takes on trust: strictly increasing keys within and
 * across pages, branch keys bounding their children, no cycles, no page reached twice in a full scan.
 * Not thread-safe.
 */
public final class Cursor {
  private final BoltFile db;
  private final Bucket bucket;
  /** Buffers owned by this cursor, one per level, reused from page to page. */
  private final Page[] buffers = new Page[MAX_TREE_DEPTH];
  /** The page at each level of the current path (an owned buffer, or the bucket's inline page). */
  private final Page[] stack = new Page[MAX_TREE_DEPTH];
  private final int[] index = new int[MAX_TREE_DEPTH];
  /** Levels in use; 0 when the cursor is not on an entry. */
  private int depth;
  /** Last key of the previous leaf, to check order across pages. */
  private byte[] lastKey = new byte[64];
  private int lastKeyLength = -1;
  /** Pages seen since {@link #first()}: a forward scan never needs one twice. */
  private BitSet visited;
  private boolean tracking;
  private long currentPgid = -1;
  private long currentOffset = -1;

  Cursor(BoltFile db, Bucket bucket) {
    this.db = db;
    this.bucket = bucket;
  }

  Bucket bucket() {
    return bucket;
  }

  /** Moves to the first entry; false when the bucket is empty. */
  public boolean first() throws IOException {
    try {
      startTracking(true);
      pushRoot();
      return descendFirst();
    } catch (IOException e) {
      depth = 0;
      throw e;
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Moves to the last entry; false when the bucket is empty. */
  public boolean last() throws IOException {
    try {
      startTracking(false);
      pushRoot();
      while (true) {
        while (!top().isLeaf()) {
          Page p = top();
          index[depth - 1] = p.count - 1;
          push(p.childPgid(p.count - 1));
        }
        Page leaf = top();
        if (leaf.count > 0) {
          index[depth - 1] = leaf.count - 1;
          return true;
        }
        int l = depth - 2;
        while (l >= 0 && index[l] == 0) {
          l--;
        }
        if (l < 0) {
          depth = 0;
          return false;
        }
        index[l]--;
        depth = l + 1;
        push(stack[l].childPgid(index[l]));
      }
    } catch (IOException e) {
      depth = 0;
      throw e;
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Moves to the next entry; false at the end (the cursor is then no longer on an entry). */
  public boolean next() throws IOException {
    if (depth == 0) {
      return false;
    }
    try {
      int top = depth - 1;
      if (index[top] + 1 < stack[top].count) {
        index[top]++;
        return true;
      }
      return nextLeaf();
    } catch (IOException e) {
      depth = 0;
      throw e;
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Moves to the first entry whose key is &gt;= {@code key} (unsigned bytewise); false if there is none. */
  public boolean seek(byte[] key) throws IOException {
    Objects.requireNonNull(key, "key");
    try {
      startTracking(false);
      pushRoot();
      while (!top().isLeaf()) {
        Page p = top();
        // The last child whose first key is <= key; keys before every child go to the first.
        int lo = 0;
        int hi = p.count - 1;
        int found = 0;
        while (lo <= hi) {
          int mid = (lo + hi) >>> 1;
          if (p.compareKey(mid, key, 0, key.length) <= 0) {
            found = mid;
            lo = mid + 1;
          } else {
            hi = mid - 1;
          }
        }
        index[depth - 1] = found;
        push(p.childPgid(found));
      }
      Page leaf = top();
      int lo = 0;
      int hi = leaf.count;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (leaf.compareKey(mid, key, 0, key.length) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      if (lo < leaf.count) {
        index[depth - 1] = lo;
        return true;
      }
      index[depth - 1] = leaf.count;
      return nextLeaf();
    } catch (IOException e) {
      depth = 0;
      throw e;
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** Read-only view of the current key, valid until the cursor moves. */
  public ByteBuffer key() {
    requirePositioned();
    return top().keyView(index[depth - 1]);
  }

  /** Read-only view of the current value (for a bucket entry, the raw bucket value), valid until the cursor moves. */
  public ByteBuffer value() {
    requirePositioned();
    return top().valueView(index[depth - 1]);
  }

  /**
   * Updates {@code checksum} with the current key's bytes. Hashing every row of a database is the
   * hot path of {@code snapshot status}; this avoids a view per row and the copy a checksum makes
   * of a read-only buffer.
   */
  public void updateWithKey(java.util.zip.Checksum checksum) {
    requirePositioned();
    top().updateWithKey(checksum, index[depth - 1]);
  }

  /** Updates {@code checksum} with the current value's bytes (for a bucket entry, the raw bucket value). */
  public void updateWithValue(java.util.zip.Checksum checksum) {
    requirePositioned();
    top().updateWithValue(checksum, index[depth - 1]);
  }

  /** Length of the current key, without creating a view. */
  public int keyLength() {
    requirePositioned();
    return top().keyLength(index[depth - 1]);
  }

  /** Length of the current value, without creating a view. */
  public int valueLength() {
    requirePositioned();
    return top().valueLength(index[depth - 1]);
  }

  /** Whether the current entry is a sub-bucket (element flag BUCKET_LEAF_FLAG). */
  public boolean isBucket() {
    requirePositioned();
    return top().isBucketEntry(index[depth - 1]);
  }

  boolean keyEquals(byte[] key) {
    return top().compareKey(index[depth - 1], key, 0, key.length) == 0;
  }

  Bucket openBucketHere() throws IOException {
    requirePositioned();
    Page p = top();
    int i = index[depth - 1];
    try {
      int koff = p.keyOffset(i);
      String name = BoltFile.describeKey(p.array(), koff, p.keyLength(i));
      if (!p.isBucketEntry(i)) {
        throw db.corrupt(p, "entry %d with key %s is not a bucket (element flags 0x%x)", i, name,
            p.elementFlags(i));
      }
      if (bucket.nesting() + 1 > MAX_BUCKET_DEPTH) {
        throw db.corrupt(p, "bucket %s is nested deeper than %d buckets", name, MAX_BUCKET_DEPTH);
      }
      int voff = p.valueOffset(i);
      int vlen = p.valueLength(i);
      long location = p.fileOffset + voff;
      if (vlen < BUCKET_HEADER_SIZE) {
        throw db.corrupt(p, "bucket %s value too short: %d bytes, a bucket header needs %d", name, vlen,
            BUCKET_HEADER_SIZE);
      }
      long root = p.buffer().getLong(voff);
      if (root == 0) {
        if (vlen < BUCKET_HEADER_SIZE + PAGE_HEADER_SIZE) {
          throw db.corrupt(p, "inline bucket %s value too short: %d bytes, an inline bucket needs at least %d",
              name, vlen, BUCKET_HEADER_SIZE + PAGE_HEADER_SIZE);
        }
        int start = voff + BUCKET_HEADER_SIZE;
        byte[] image = Arrays.copyOfRange(p.array(), start, voff + vlen);
        Page inline = db.inlinePage(image, p.pgid, p.fileOffset + start);
        db.claimBucket(location, bucket.identity(), 0, p);
        return new Bucket(db, inline, location, bucket.nesting() + 1);
      }
      if (root < 2 || root >= db.pageCount()) {
        throw db.corrupt(p, "bucket %s root page %s is outside the image (expected 2..%d)", name,
            Long.toUnsignedString(root), db.pageCount() - 1);
      }
      db.claimBucket(location, bucket.identity(), root, p);
      return new Bucket(db, root, location, bucket.nesting() + 1);
    } catch (RuntimeException e) {
      throw db.corrupt(p, e, "unexpected %s while opening a bucket: %s", e.getClass().getSimpleName(),
          e.getMessage());
    }
  }

  // ---- movement

  private Page top() {
    return stack[depth - 1];
  }

  private void requirePositioned() {
    if (depth == 0) {
      throw new IllegalStateException("the cursor is not on an entry");
    }
  }

  private void startTracking(boolean on) {
    depth = 0;
    lastKeyLength = -1;
    tracking = on && db.pageCount() <= Integer.MAX_VALUE;
    if (tracking) {
      if (visited == null) {
        visited = new BitSet();
      } else {
        visited.clear();
      }
    }
  }

  private void pushRoot() throws IOException {
    if (bucket.hasInlinePage()) {
      Page p = bucket.inlinePage();
      currentPgid = p.pgid;
      currentOffset = p.fileOffset;
      stack[0] = p;
      index[0] = 0;
      depth = 1;
      return;
    }
    load(0, bucket.rootPgid());
    index[0] = 0;
    depth = 1;
  }

  /** Loads the child at the current index of the top level as a new level, and checks it against its parent. */
  private void push(long pgid) throws IOException {
    int level = depth;
    Page parent = stack[level - 1];
    int pi = index[level - 1];
    if (level >= MAX_TREE_DEPTH) {
      throw db.corrupt(parent, "tree is deeper than %d levels (a cycle?)", MAX_TREE_DEPTH);
    }
    for (int l = 0; l < level; l++) {
      if (stack[l].pgid == pgid && !stack[l].inline) {
        throw db.corrupt(parent, "cycle: branch element %d points to page %d, which is its own ancestor", pi, pgid);
      }
    }
    Page child = load(level, pgid);
    index[level] = 0;
    depth = level + 1;
    if (child.count > 0) {
      if (child.compareKeys(0, parent, pi) < 0) {
        throw db.corrupt(child, "first key %s is less than the key %s of branch page %d element %d that points here",
            keyText(child, 0), keyText(parent, pi), parent.pgid, pi);
      }
      for (int l = level - 1; l >= 0; l--) {
        Page a = stack[l];
        int next = index[l] + 1;
        if (next < a.count) {
          if (child.compareKeys(child.count - 1, a, next) >= 0) {
            throw db.corrupt(child, "last key %s is not less than the key %s of branch page %d element %d after it",
                keyText(child, child.count - 1), keyText(a, next), a.pgid, next);
          }
          break;
        }
      }
    }
  }

  private Page load(int level, long pgid) throws IOException {
    currentPgid = pgid;
    currentOffset = pgid * (long) db.pageSize();
    if (tracking) {
      if (visited.get((int) pgid)) {
        throw db.corrupt(pgid, currentOffset, "page reached twice while iterating one bucket (shared page or cycle)");
      }
      visited.set((int) pgid);
    }
    Page p = buffers[level];
    if (p == null) {
      p = new Page(db.pageSize());
      buffers[level] = p;
    } else if (p.pgid == pgid && p.valid) {
      stack[level] = p;
      return p;
    }
    p.valid = false;
    db.load(pgid, p);
    p.valid = true;
    stack[level] = p;
    return p;
  }

  private boolean descendFirst() throws IOException {
    while (!top().isLeaf()) {
      push(top().childPgid(index[depth - 1]));
    }
    if (top().count > 0) {
      index[depth - 1] = 0;
      return true;
    }
    return nextLeaf();
  }

  /** From the end of the current leaf, moves to the first entry of the next non-empty leaf. */
  private boolean nextLeaf() throws IOException {
    while (true) {
      Page leaf = top();
      if (leaf.count > 0) {
        rememberLastKey(leaf, leaf.count - 1);
      }
      int l = depth - 2;
      while (l >= 0 && index[l] + 1 >= stack[l].count) {
        l--;
      }
      if (l < 0) {
        depth = 0;
        return false;
      }
      index[l]++;
      depth = l + 1;
      while (!top().isLeaf()) {
        push(top().childPgid(index[depth - 1]));
      }
      leaf = top();
      if (leaf.count > 0) {
        if (lastKeyLength >= 0 && leaf.compareKey(0, lastKey, 0, lastKeyLength) <= 0) {
          throw db.corrupt(leaf, "keys not in increasing order across pages: first key %s is not greater than the"
              + " last key %s of the previous leaf", keyText(leaf, 0),
              BoltFile.describeKey(lastKey, 0, lastKeyLength));
        }
        index[depth - 1] = 0;
        return true;
      }
    }
  }

  private void rememberLastKey(Page leaf, int i) {
    int len = leaf.keyLength(i);
    if (lastKey.length < len) {
      lastKey = new byte[Math.max(len, lastKey.length * 2)];
    }
    System.arraycopy(leaf.array(), leaf.keyOffset(i), lastKey, 0, len);
    lastKeyLength = len;
  }

  private static String keyText(Page p, int i) {
    return BoltFile.describeKey(p.array(), p.keyOffset(i), p.keyLength(i));
  }

  private CorruptFileException unexpected(RuntimeException e) {
    depth = 0;
    return db.corrupt(currentPgid, currentOffset, e, "unexpected %s while decoding the page: %s",
        e.getClass().getSimpleName(), e.getMessage());
  }
}
