package io.lifeboat.etcd.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * etcd's snapshot trailer: {@code etcdctl snapshot save} appends the SHA-256 of the bbolt image.
 * Like etcd ({@code hasChecksum}), a trailer is present exactly when {@code size % 512 == 32}.
 */
public final class SnapshotTrailer {
  public static final int TRAILER_SIZE = 32;
  private static final int SECTOR = 512;
  private static final int READ_BUFFER_SIZE = 1 << 20;

  private SnapshotTrailer() {}

  /** Whether a file of this size carries a trailer. */
  public static boolean present(long fileSize) {
    return fileSize % SECTOR == TRAILER_SIZE;
  }

  /** The size of the bbolt image: the file without its trailer. */
  public static long imageLength(long fileSize) {
    return present(fileSize) ? fileSize - TRAILER_SIZE : fileSize;
  }

  /**
   * Checks the trailer: reads the image sequentially, hashes it and compares with the stored bytes.
   *
   * @return {@link TrailerCheck#VALID} or {@link TrailerCheck#ABSENT}
   * @throws CorruptSnapshotException when the trailer does not match
   */
  public static TrailerCheck verify(Path file, FileChannel channel) throws IOException {
    Objects.requireNonNull(file, "file");
    long size = channel.size();
    if (!present(size)) {
      return TrailerCheck.ABSENT;
    }
    long imageLength = size - TRAILER_SIZE;
    MessageDigest sha256 = newSha256();
    byte[] chunk = new byte[READ_BUFFER_SIZE];
    ByteBuffer buffer = ByteBuffer.wrap(chunk);
    long position = 0;
    while (position < imageLength) {
      buffer.clear().limit((int) Math.min(chunk.length, imageLength - position));
      int read = channel.read(buffer, position);
      if (read < 0) {
        throw new CorruptSnapshotException(file, String.format(Locale.ROOT,
            "%s: file ended at offset %d while reading the image (expected %d bytes)",
            file.getFileName(), position, imageLength));
      }
      sha256.update(chunk, 0, read);
      position += read;
    }
    ByteBuffer stored = ByteBuffer.allocate(TRAILER_SIZE);
    while (stored.hasRemaining()) {
      if (channel.read(stored, imageLength + stored.position()) < 0) {
        throw new CorruptSnapshotException(file, file.getFileName() + ": file ended inside the sha256 trailer");
      }
    }
    byte[] expected = stored.array();
    byte[] actual = sha256.digest();
    if (!MessageDigest.isEqual(expected, actual)) {
      HexFormat hex = HexFormat.of();
      throw new CorruptSnapshotException(file, String.format(Locale.ROOT,
          "%s: sha256 trailer at offset %d does not match the content (trailer %s, content %s);"
              + " the snapshot is damaged or was modified",
          file.getFileName(), imageLength, hex.formatHex(expected), hex.formatHex(actual)));
    }
    return TrailerCheck.VALID;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
