package io.lifeboat.bbolt;

import static io.lifeboat.bbolt.Format.BUCKET_LEAF_FLAG;
import static io.lifeboat.bbolt.Format.FREELIST_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.MAGIC;
import static io.lifeboat.bbolt.Format.MAX_KEY_SIZE;
import static io.lifeboat.bbolt.Format.MAX_PAGE_SIZE;
import static io.lifeboat.bbolt.Format.META_CHECKSUM_OFFSET;
import static io.lifeboat.bbolt.Format.META_PAGE_FLAG;
import static io.lifeboat.bbolt.Format.META_SIZE;
import static io.lifeboat.bbolt.Format.MIN_PAGE_SIZE;
import static io.lifeboat.bbolt.Format.PAGE_HEADER_SIZE;
import static io.lifeboat.bbolt.Format.VERSION;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a fresh, compact bbolt database file by streaming: top-level buckets in increasing name order, each with
 * its rows in increasing key order. Pages are written as they fill; memory holds one open node per tree level, not
 * the data. The result is what bbolt itself could have written: real etcd 3.4 and 3.5 open it and their
 * {@code snapshot status} ({@code tx.Check}) accepts it.
 *
 * <p>Layout: pages 0 and 1 are the metas (page 0 with {@code txid}, page 1 with {@code txid - 1}, as bbolt's
 * {@code Tx.WriteTo} makes a snapshot), page 2 an empty freelist page ({@code meta.freelist = 2}), data pages from 3,
 * allocated in the order they are written. Nothing is free, so every page is reachable. The metas are written last,
 * after the data is forced to disk, so a file cut short never has a valid meta; {@link #close} without
 * {@link #finish} deletes the file.
 *
 * <pre>{@code
 * try (BoltWriter w = BoltWriter.create(path, 4096)) {
 *   try (BucketWriter b = w.bucket(name)) {
 *     b.put(key, value);
 *   }
 *   w.finish(txid);
 * }
 * }</pre>
 * Not thread-safe. Sub-buckets inside buckets are not supported (etcd never nests buckets).
 */
public final class BoltWriter implements AutoCloseable {
  /** Pages 0 and 1 are the metas, 2 the freelist. */
  static final long FREELIST_PGID = 2;
  static final long FIRST_DATA_PGID = 3;
  private static final int BUFFER_BYTES = 1 << 20;
  /**
   * Pages a bucket's leaf node may span when packing rows (the top-level tree keeps one-page leaves). Eight keeps
   * files of multi-KB rows within a few percent of their data while a node stays small for etcd's later updates.
   */
  private static final int MAX_LEAF_PAGES = 8;

  private final Path path;
  private final FileChannel channel;
  private final int pageSize;
  private final PageOutput out;
  private final TreeBuilder root;
  private BucketWriter open;
  private byte[] lastName;
  private boolean finished;
  private boolean closed;
  private Throwable failure;

  private BoltWriter(Path path, FileChannel channel, int pageSize) {
    this.path = path;
    this.channel = channel;
    this.pageSize = pageSize;
    this.out = new PageOutput(channel, pageSize, FIRST_DATA_PGID, BUFFER_BYTES);
    this.root = new TreeBuilder(out);
  }

  /**
   * Creates {@code file}, which must not exist, readable and writable by the owner only (POSIX 0600) where the file
   * system supports POSIX permissions.
   *
   * @param pageSize a power of two from 1024 to 65536; etcd uses 4096 (the OS page size)
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  public static BoltWriter create(Path file, int pageSize) throws IOException {
    Objects.requireNonNull(file, "file");
    if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "page size %d is not a power of two in [%d, %d]", pageSize, MIN_PAGE_SIZE, MAX_PAGE_SIZE));
    }
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ownerOnly)}
        : new FileAttribute<?>[0];
    FileChannel channel = FileChannel.open(file, options, attributes);
    try {
      if (posix) {
        // The umask can only take bits away; set them anyway in case it took the owner's.
        Files.setPosixFilePermissions(file, ownerOnly);
      }
      return new BoltWriter(file, channel, pageSize);
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /**
   * Starts the next top-level bucket. Names must be strictly increasing (unsigned bytewise) and only one bucket may
   * be open at a time.
   *
   * @throws IllegalArgumentException if the name is empty, longer than 32768 bytes or not greater than the previous
   * @throws IllegalStateException if a bucket is still open, or the writer is finished, closed or failed
   */
  public BucketWriter bucket(byte[] name) throws IOException {
    Objects.requireNonNull(name, "name");
    checkWritable();
    if (open != null) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "cannot start bucket %s: bucket %s is still open; close it first", describeName(name),
          describeName(lastName)));
    }
    if (name.length < 1 || name.length > MAX_KEY_SIZE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bucket name of %d bytes, expected 1..%d bytes", name.length, MAX_KEY_SIZE));
    }
    if (lastName != null && Arrays.compareUnsigned(lastName, name) >= 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bucket names must be strictly increasing (unsigned bytewise), but %s follows %s", describeName(name),
          describeName(lastName)));
    }
    byte[] copy = name.clone();
    open = new BucketWriter(this, copy, pageSize);
    lastName = copy;
    return open;
  }

  /**
   * Closes the open bucket, writes the top-level tree, the freelist page and both metas, sets the file length to
   * {@code pgid * pageSize} and forces everything to disk. The writer is closed afterwards.
   *
   * @param txid the transaction id of meta page 0 (page 1 gets {@code txid - 1}); at least 1
   * @throws IllegalStateException if already finished, closed or failed
   */
  public void finish(long txid) throws IOException {
    if (txid < 1) {
      throw new IllegalArgumentException("txid " + txid + " must be at least 1 (meta page 1 gets txid - 1)");
    }
    checkWritable();
    try {
      if (open != null) {
        open.close();
      }
      long rootPgid = root.finish();
      out.drain();
      long pageCount = out.nextPgid();
      out.writeAt(FREELIST_PGID, freelistPage());
      // Data first, metas last: until the metas are on disk the file does not open as a database.
      channel.force(true);
      out.writeAt(0, metaPage(0, rootPgid, pageCount, txid));
      out.writeAt(1, metaPage(1, rootPgid, pageCount, txid - 1));
      long size = pageCount * pageSize;
      if (channel.size() != size) {
        throw new IOException(String.format(Locale.ROOT, "%s is %d bytes after writing, expected %d pages of %d bytes",
            path, channel.size(), pageCount, pageSize));
      }
      channel.force(true);
      channel.close();
      finished = true;
    } catch (IOException | RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /** Pages allocated so far, counting the meta and freelist pages 0..2: after {@link #finish}, bbolt's {@code pgid}. */
  public long pagesWritten() {
    return out.nextPgid();
  }

  /** After {@link #finish}, releases nothing more. Without it, closes and deletes the partial file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (finished) {
      return;
    }
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }

  // ---- for BucketWriter

  TreeBuilder newTree() {
    return new TreeBuilder(out, MAX_LEAF_PAGES);
  }

  void bucketClosed(BucketWriter bucket, byte[] name, ByteBuffer value) throws IOException {
    if (bucket != open) {
      throw new IllegalStateException("bucket " + describeName(name) + " is not the open bucket");
    }
    open = null;
    root.add(BUCKET_LEAF_FLAG, name, name.length, value);
  }

  boolean isWritable() {
    return !closed && !finished && failure == null;
  }

  void checkWritable() {
    if (closed) {
      throw new IllegalStateException("writer for " + path + " is closed");
    }
    if (finished) {
      throw new IllegalStateException("writer for " + path + " is finished");
    }
    if (failure != null) {
      throw new IllegalStateException("writer for " + path + " failed earlier (" + failure + "); close it, which"
          + " deletes the partial file", failure);
    }
  }

  void failed(Throwable e) {
    if (failure == null) {
      failure = e;
    }
  }

  // ---- pages 0..2

  private ByteBuffer freelistPage() {
    ByteBuffer p = ByteBuffer.allocate(pageSize).order(ByteOrder.LITTLE_ENDIAN);
    p.putLong(FREELIST_PGID).putShort((short) FREELIST_PAGE_FLAG).putShort((short) 0).putInt(0);
    return p.clear();
  }

  private ByteBuffer metaPage(int id, long rootPgid, long pageCount, long txid) {
    byte[] raw = new byte[pageSize];
    ByteBuffer p = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    p.putLong(id).putShort((short) META_PAGE_FLAG).putShort((short) 0).putInt(0);
    p.putInt(MAGIC).putInt(VERSION).putInt(pageSize).putInt(0);
    p.putLong(rootPgid).putLong(0);
    p.putLong(FREELIST_PGID).putLong(pageCount).putLong(txid);
    p.putLong(Format.fnv1a64(raw, PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + META_CHECKSUM_OFFSET));
    assert p.position() == PAGE_HEADER_SIZE + META_SIZE;
    return p.clear();
  }

  // ---- messages

  static String describeName(byte[] name) {
    return BoltFile.describeKey(name, 0, name.length);
  }

  /** A key for a message: hex, truncated to 32 bytes. */
  static String hex(byte[] b, int length) {
    int shown = Math.min(length, 32);
    StringBuilder s = new StringBuilder(2 + 2 * shown + 16).append("0x");
    for (int i = 0; i < shown; i++) {
      s.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
    }
    if (shown < length) {
      s.append(String.format(Locale.ROOT, "... (%d bytes)", length));
    }
    return s.toString();
  }

  static String hex(ByteBuffer b, int length) {
    byte[] head = new byte[Math.min(length, 32)];
    b.get(b.position(), head);
    return hex(head, head.length) + (head.length < length ? String.format(Locale.ROOT, "... (%d bytes)", length) : "");
  }
}
