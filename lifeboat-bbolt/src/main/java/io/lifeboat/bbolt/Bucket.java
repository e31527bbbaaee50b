package io.lifeboat.bbolt;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A bbolt bucket: a B+tree of sorted key/value entries, some of which may be sub-buckets. Either paged (its tree
 * starts at a page) or inline (its single leaf is stored inside the parent's value).
 */
public final class Bucket {
  private final BoltFile db;
  private final long rootPgid;
  private final Page inlinePage;
  /** File offset of this bucket's value in its parent, or -1 for the top-level bucket. */
  private final long location;
  private final int nesting;

  Bucket(BoltFile db, long rootPgid, long location, int nesting) {
    this.db = db;
    this.rootPgid = rootPgid;
    this.inlinePage = null;
    this.location = location;
    this.nesting = nesting;
  }

  Bucket(BoltFile db, Page inlinePage, long location, int nesting) {
    this.db = db;
    this.rootPgid = 0;
    this.inlinePage = inlinePage;
    this.location = location;
    this.nesting = nesting;
  }

  /** A new cursor over this bucket's entries, not yet positioned. */
  public Cursor cursor() {
    return new Cursor(db, this);
  }

  /**
   * The sub-bucket named {@code name}.
   *
   * @return empty if no entry has that key
   * @throws CorruptFileException if the entry exists but is not a bucket, or its value is malformed
   */
  public Optional<Bucket> bucket(byte[] name) throws IOException {
    Objects.requireNonNull(name, "name");
    Cursor c = cursor();
    if (!c.seek(name) || !c.keyEquals(name)) {
      return Optional.empty();
    }
    return Optional.of(c.openBucketHere());
  }

  /**
   * The sub-bucket at the cursor's current entry.
   *
   * @throws CorruptFileException if that entry is not a bucket or its bucket value is malformed
   * @throws IllegalArgumentException if the cursor is not one of this bucket's
   * @throws IllegalStateException if the cursor is not positioned on an entry
   */
  public Bucket openBucket(Cursor at) throws IOException {
    Objects.requireNonNull(at, "at");
    if (at.bucket() != this) {
      throw new IllegalArgumentException("the cursor belongs to another bucket");
    }
    return at.openBucketHere();
  }

  /** Whether this bucket's leaf is stored inside its parent's value rather than in pages of its own. */
  public boolean isInline() {
    return inlinePage != null;
  }

  boolean hasInlinePage() {
    return inlinePage != null;
  }

  Page inlinePage() {
    return inlinePage;
  }

  long rootPgid() {
    return rootPgid;
  }

  int nesting() {
    return nesting;
  }

  /** Identifies this bucket as a parent: its root page, or for an inline bucket its (negated) value location. */
  long identity() {
    return inlinePage == null ? rootPgid : -location - 2;
  }
}
