package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.LEAF_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.MAGIC;
import static io.lifeboat.bbolt.Format.MAX_PAGE_BYTES;
import static io.lifeboat.bbolt.Format.MAX_PAGE_SIZE;
import static io.lifeboat.bbolt.Format.META_CHECKSUM_OFFSET;
import static io.lifeboat.bbolt.Format.META_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.META_SIZE;
import static io.lifeboat.bbolt.Format.MIN_PAGE_SIZE;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;
import static io.lifeboat.bbolt.Format.PGID_NO_FREELIST;
import static io.lifeboat.bbolt.Format.VERSION;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bbolt database file opened read-only, such as an etcd snapshot (whose 32-byte sha256 trailer is ignored).
 * Pages are read on demand with positional reads, through a bounded read-ahead ({@link PageReader}, 4 MiB) while the
 * reader moves forward; nothing proportional to the file size is held in memory.
 * Every malformed structure ends in {@link CorruptFileException}. Cursors are not thread-safe; the file is.
 */
public final class BoltFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final Meta meta;
  private final PageReader pages;
  /** Bucket value location (file offset) to the identity of the bucket holding it: a bucket has one parent. */
  private final Map<Long, Long> valueParents = new ConcurrentHashMap<>();
  /** Root page to the location of the bucket value naming it: a tree has one bucket. */
  private final Map<Long, Long> rootOwners = new ConcurrentHashMap<>();

  private BoltFile(Path path, FileChannel channel, Meta meta) {
    this.path = path;
    this.channel = channel;
    this.meta = meta;
    this.pages = new PageReader(path, channel);
    // The top-level tree belongs to the meta page: no bucket value may name it.
    rootOwners.put(meta.rootPageId(), -1L);
  }

  /**
   * Opens {@code file}, validates both meta pages and selects the valid one with the highest txid.
   *
   * @throws CorruptFileException if neither meta is valid (the message says why each was rejected)
   */
  public static BoltFile open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      Meta meta = selectMeta(file, channel);
      return new BoltFile(file, channel, meta);
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) {
      channel.close();
      throw new CorruptFileException(file, -1, -1, "unexpected " + e.getClass().getSimpleName()
          + " while reading the meta pages: " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public Meta meta() {
    return meta;
  }

  /** The top-level bucket; in etcd its entries are the buckets {@code key}, {@code meta}, {@code members}, ... */
  public Bucket root() {
    return new Bucket(this, meta.rootPageId(), -1, 0);
  }

  @Override
  public void close() throws IOException {
    pages.release();
    channel.close();
  }

  long pageCount() {
    return meta.pageCount();
  }

  int pageSize() {
    return meta.pageSize();
  }

  // ---- meta pages

  private record MetaCandidate(Meta meta, String rejection, boolean badMagic, int magic) {}

  private static Meta selectMeta(Path file, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    int headerAndMeta = PAGE_HEADER_SIZE + META_SIZE;
    if (fileSize < headerAndMeta) {
      throw new CorruptFileException(file, -1, -1, String.format(Locale.ROOT,
          "file is truncated: %d bytes, too short to hold a bbolt meta page (%d bytes)", fileSize, headerAndMeta));
    }
    MetaCandidate m0 = readMeta(file, channel, fileSize, 0, 0);
    MetaCandidate m1;
    if (m0.meta() != null) {
      m1 = readMeta(file, channel, fileSize, 1, m0.meta().pageSize());
    } else {
      // Like bbolt, find page 1 by probing the possible page sizes when page 0 cannot tell.
      m1 = null;
      for (int size = MIN_PAGE_SIZE; size <= MAX_PAGE_SIZE; size <<= 1) {
        MetaCandidate c = readMeta(file, channel, fileSize, 1, size);
        if (c.meta() != null) {
          m1 = c;
          break;
        }
        if (m1 == null || rank(c) > rank(m1)) {
          m1 = c;
        }
      }
    }
    Meta a = m0.meta();
    Meta b = m1.meta();
    if (a != null && b != null) {
      return Long.compareUnsigned(a.txid(), b.txid()) >= 0 ? a : b;
    }
    if (a != null) {
      return a;
    }
    if (b != null) {
      return b;
    }
    if (m0.badMagic() && rank(m1) <= rank(m0)) {
      throw new CorruptFileException(file, -1, -1, String.format(Locale.ROOT,
          "not a bbolt database (bad magic 0x%08x in meta page 0, expected 0x%08x; meta page 1 %s)",
          m0.magic(), MAGIC, m1.rejection()));
    }
    throw new CorruptFileException(file, -1, -1, "no valid meta page: meta page 0 " + m0.rejection()
        + "; meta page 1 " + m1.rejection());
  }

  private static MetaCandidate readMeta(Path file, FileChannel channel, long fileSize, int index, int pageSize)
      throws IOException {
    long offset = (long) index * pageSize;
    if (offset + PAGE_HEADER_SIZE + META_SIZE > fileSize) {
      return new MetaCandidate(null, String.format(Locale.ROOT,
          "is missing: the file (%d bytes) ends before offset %d (truncated)", fileSize, offset + PAGE_HEADER_SIZE
              + META_SIZE), false, 0);
    }
    byte[] raw = new byte[PAGE_HEADER_SIZE + META_SIZE];
    ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, channel, bb, offset);
    long id = bb.getLong(0);
    int flags = bb.getShort(8) & 0xFFFF;
    int m = PAGE_HEADER_SIZE;
    int magic = bb.getInt(m);
    int version = bb.getInt(m + 4);
    int ps = bb.getInt(m + 8);
    int mflags = bb.getInt(m + 12);
    long root = bb.getLong(m + 16);
    long seq = bb.getLong(m + 24);
    long freelist = bb.getLong(m + 32);
    long pgid = bb.getLong(m + 40);
    long txid = bb.getLong(m + 48);
    long checksum = bb.getLong(m + 56);
    String at = String.format(Locale.ROOT, "(offset %d)", offset);
    if (magic != MAGIC) {
      return reject(String.format(Locale.ROOT, "%s has bad magic 0x%08x (expected 0x%08x)", at, magic, MAGIC),
          true, magic);
    }
    if (version != VERSION) {
      return reject(String.format(Locale.ROOT, "%s has version %d (expected %d)", at, version, VERSION), false, magic);
    }
    long computed = Format.fnv1a64(raw, m, m + META_CHECKSUM_OFFSET);
    if (computed != checksum) {
      return reject(String.format(Locale.ROOT, "%s has checksum 0x%016x but its contents hash to 0x%016x", at,
          checksum, computed), false, magic);
    }
    if (id != index || flags != META_PAGE_FLAG) {
      return reject(String.format(Locale.ROOT, "%s has page header id %s flags 0x%x (expected id %d flags 0x%x)", at,
          Long.toUnsignedString(id), flags, index, META_PAGE_FLAG), false, magic);
    }
    if (ps < MIN_PAGE_SIZE || ps > MAX_PAGE_SIZE || Integer.bitCount(ps) != 1) {
      return reject(String.format(Locale.ROOT, "%s has page size %d (expected a power of two in [%d, %d])", at,
          ps, MIN_PAGE_SIZE, MAX_PAGE_SIZE), false, magic);
    }
    if (index == 1 && pageSize != ps) {
      return reject(String.format(Locale.ROOT, "%s has page size %d but sits at offset %d", at, ps, offset),
          false, magic);
    }
    if (pgid < 3 || pgid > fileSize / ps) {
      long need = pgid < 0 || pgid > Long.MAX_VALUE / ps ? -1 : pgid * ps;
      return reject(String.format(Locale.ROOT, "%s has page count %s of %d bytes, needing %s bytes, but the file has"
              + " %d bytes (truncated?)", at, Long.toUnsignedString(pgid), ps,
          need < 0 ? "more than 2^63" : Long.toString(need), fileSize), false, magic);
    }
    if (root < 2 || root >= pgid) {
      return reject(String.format(Locale.ROOT, "%s has root page %s outside the image (expected 2..%d)", at,
          Long.toUnsignedString(root), pgid - 1), false, magic);
    }
    // Only the range: etcd files often have no freelist, and one real db names a leaf page as its freelist.
    if (freelist != PGID_NO_FREELIST && (freelist < 2 || freelist >= pgid)) {
      return reject(String.format(Locale.ROOT, "%s has freelist page %s outside the image (expected 2..%d or"
          + " 0xffffffffffffffff)", at, Long.toUnsignedString(freelist), pgid - 1), false, magic);
    }
    Meta meta = new Meta(index, ps, mflags, root, seq, freelist, pgid, txid, checksum);
    return new MetaCandidate(meta, "", false, magic);
  }

  /** How much a rejected meta says: bad magic or missing means no bbolt meta is there at all. */
  private static int rank(MetaCandidate c) {
    if (c.meta() != null) {
      return 3;
    }
    if (c.badMagic()) {
      return 1;
    }
    return c.magic() == MAGIC ? 2 : 0;
  }

  private static MetaCandidate reject(String why, boolean badMagic, int magic) {
    return new MetaCandidate(null, why, badMagic, magic);
  }

  private static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, pos);
      if (n < 0) {
        throw new CorruptFileException(file, -1, position, String.format(Locale.ROOT,
            "file is truncated: unexpected end of file at offset %d", pos));
      }
      pos += n;
    }
  }

  // ---- pages

  /** Reads branch or leaf page {@code pgid} (with its overflow) into {@code page} and validates it. */
  void load(long pgid, Page page) throws IOException {
    int pageSize = meta.pageSize();
    long offset = pgid * pageSize;
    if (pgid < 2 || pgid >= meta.pageCount()) {
      throw new CorruptFileException(path, pgid, -1, String.format(Locale.ROOT,
          "page id is outside the image (expected 2..%d)", meta.pageCount() - 1));
    }
    page.inline = false;
    page.pgid = pgid;
    page.fileOffset = offset;
    page.length = pageSize;
    page.count = 0;
    page.flags = 0;
    page.ensureCapacity(pageSize, 0);
    pages.read(page.array(), 0, pageSize, offset);
    long id = page.header64(0);
    int flags = page.u16(8);
    int count = page.u16(10);
    long overflow = page.u32(12);
    if (id != pgid) {
      throw corrupt(page, "page header says id %s, expected %d (page id mismatch)", Long.toUnsignedString(id), pgid);
    }
    if (!Page.isBranchOrLeaf(flags)) {
      throw corrupt(page, "expected a branch (0x01) or leaf (0x02) page, found flags 0x%x", flags);
    }
    if (pgid + overflow >= meta.pageCount()) {
      throw corrupt(page, "page with %d overflow pages extends past the end of the image (page count %d)",
          overflow, meta.pageCount());
    }
    long length = (overflow + 1) * pageSize;
    if (length > MAX_PAGE_BYTES) {
      throw corrupt(page, "page with %d overflow pages is %d bytes, more than the supported %d", overflow, length,
          MAX_PAGE_BYTES);
    }
    page.flags = flags;
    page.count = count;
    page.overflow = overflow;
    if (overflow > 0) {
      page.ensureCapacity((int) length, pageSize);
      pages.read(page.array(), pageSize, (int) length - pageSize, offset + pageSize);
      page.length = (int) length;
    }
    page.validate(this);
  }

  /** Decodes an inline bucket's leaf image, {@code image}, copied from a bucket value. */
  Page inlinePage(byte[] image, long containingPgid, long imageOffset) throws CorruptFileException {
    Page page = new Page(0);
    page.setInline(image, containingPgid, imageOffset);
    if (page.flags != LEAF_PAGE_FLAG) {
      throw corrupt(page, "page has flags 0x%x, expected a leaf (0x02)", page.flags);
    }
    page.validate(this);
    return page;
  }

  /** Records that the bucket value at {@code location} is opened from {@code parent}, naming tree {@code root}. */
  void claimBucket(long location, long parent, long root, Page at) throws CorruptFileException {
    Long before = valueParents.putIfAbsent(location, parent);
    if (before != null && before != parent) {
      throw corrupt(at, "bucket value at offset %d is reached from two different buckets (a shared or looping page)",
          location);
    }
    if (root != 0) {
      Long owner = rootOwners.putIfAbsent(root, location);
      if (owner != null && owner != location) {
        throw corrupt(at, "page %d is the root of two buckets (values at offsets %d and %d)", root, owner, location);
      }
    }
  }

  // ---- errors

  CorruptFileException corrupt(Page page, String format, Object... args) {
    return new CorruptFileException(path, page.pgid, page.fileOffset, describe(page, format, args));
  }

  CorruptFileException corrupt(Page page, Throwable cause, String format, Object... args) {
    return new CorruptFileException(path, page.pgid, page.fileOffset, describe(page, format, args), cause);
  }

  CorruptFileException corrupt(long pgid, long offset, String format, Object... args) {
    return new CorruptFileException(path, pgid, offset, String.format(Locale.ROOT, format, args));
  }

  CorruptFileException corrupt(long pgid, long offset, Throwable cause, String format, Object... args) {
    return new CorruptFileException(path, pgid, offset, String.format(Locale.ROOT, format, args), cause);
  }

  private static String describe(Page page, String format, Object[] args) {
    String detail = String.format(Locale.ROOT, format, args);
    return page.inline ? "inline bucket: " + detail : detail;
  }

  /** A key for a message: printable ASCII as is, else hex; truncated, since keys come from the file. */
  static String describeKey(byte[] b, int off, int len) {
    int shown = Math.min(len, 32);
    boolean printable = true;
    for (int i = 0; i < shown; i++) {
      int c = b[off + i] & 0xFF;
      if (c < 0x20 || c > 0x7E) {
        printable = false;
        break;
      }
    }
    StringBuilder s = new StringBuilder();
    if (printable) {
      s.append('"').append(new String(b, off, shown, java.nio.charset.StandardCharsets.US_ASCII)).append('"');
    } else {
      s.append("0x");
      for (int i = 0; i < shown; i++) {
        s.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xFF));
      }
    }
    if (shown < len) {
      s.append(String.format(Locale.ROOT, "... (%d bytes)", len));
    }
    return s.toString();
  }
}
