package io.lifeboat.etcd.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes one etcd WAL segment: each {@code walpb.Record} framed by an 8-byte little-endian length
 * (top byte {@code 0x80|pad} when padded) and zero padding to 8 bytes; record CRCs chained with
 * CRC-32C over the record data. {@link #close()} preallocates the file to
 * {@link #SEGMENT_SIZE_BYTES}, as etcd does, and fsyncs it.
 */
public final class WalSegmentWriter implements AutoCloseable {
  /** etcd's {@code SegmentSizeBytes}: 64,000,000 bytes, not 64 MiB. */
  public static final long SEGMENT_SIZE_BYTES = 64L * 1000 * 1000;
  private static final int FRAME_SIZE_BYTES = 8;

  private final Path file;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private long position;
  private boolean closed;

  private WalSegmentWriter(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** The segment name etcd uses: {@code %016x-%016x.wal} of sequence and first raft index. */
  public static String segmentName(long sequence, long index) {
    return String.format(Locale.ROOT, "%016x-%016x.wal", sequence, index);
  }

  /**
   * Creates the first segment of a new WAL (mode 0600) and writes its leading CRC record, which
   * starts the chain at 0. (Later segments would need a seedable CRC-32C; a bootstrap never cuts one.)
   */
  public static WalSegmentWriter create(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    WalSegmentWriter writer = new WalSegmentWriter(file, channel);
    try {
      trySetOwnerOnly(file);
      writer.writeRecord(WalRecordType.CRC, 0, null);
    } catch (IOException | RuntimeException e) {
      writer.closeQuietly();
      throw e;
    }
    return writer;
  }

  /** Appends a record whose CRC is the running CRC-32C after its data. */
  public void append(WalRecordType type, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    if (type == WalRecordType.CRC) {
      throw new IllegalArgumentException("CRC records are written by create()");
    }
    crc.update(data, 0, data.length);
    writeRecord(type, (int) crc.getValue(), data);
  }

  /** The running CRC of the chain so far. */
  public int crc() {
    return (int) crc.getValue();
  }

  /** Bytes of records written so far (before preallocation). */
  public long size() {
    return position;
  }

  private void writeRecord(WalRecordType type, int recordCrc, byte[] data) throws IOException {
    ProtoWriter record = new ProtoWriter().uint64(1, type.code()).uint64(2, Integer.toUnsignedLong(recordCrc));
    if (data != null) {
      record.bytes(3, data);
    }
    byte[] bytes = record.toByteArray();
    int pad = (FRAME_SIZE_BYTES - bytes.length % FRAME_SIZE_BYTES) % FRAME_SIZE_BYTES;
    long lengthField = bytes.length;
    if (pad != 0) {
      lengthField |= (long) (0x80 | pad) << 56;
    }
    ByteBuffer frame = ByteBuffer.allocate(FRAME_SIZE_BYTES + bytes.length + pad).order(ByteOrder.LITTLE_ENDIAN);
    frame.putLong(lengthField).put(bytes).position(frame.capacity()).flip();
    while (frame.hasRemaining()) {
      position += channel.write(frame, position);
    }
  }

  /** Preallocates to {@link #SEGMENT_SIZE_BYTES} (zeros end the records), fsyncs and closes. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      if (channel.size() < SEGMENT_SIZE_BYTES) {
        // Like etcd's fallocate fallback (ftruncate): the tail reads as zeros, which ends the segment.
        channel.write(ByteBuffer.allocate(1), SEGMENT_SIZE_BYTES - 1);
      }
      channel.force(true);
    }
  }

  private void closeQuietly() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // Already failing; the caller's exception says why.
    }
  }

  Path file() {
    return file;
  }

  static void trySetOwnerOnly(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
