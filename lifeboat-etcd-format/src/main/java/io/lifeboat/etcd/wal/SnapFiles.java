package io.lifeboat.etcd.wal;

import io.lifeboat.etcd.membership.Member;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * etcd's {@code member/snap/%016x-%016x.snap} files ({@code snap.Snapshotter.SaveSnap}): a
 * {@code snappb.Snapshot} whose CRC is CRC-32C of its data, a marshalled {@code raftpb.Snapshot}
 * holding the v2 store and the conf state.
 */
public final class SnapFiles {
  private SnapFiles() {}

  /** {@code %016x-%016x.snap} of term and index. */
  public static String name(long term, long index) {
    return String.format(Locale.ROOT, "%016x-%016x.snap", term, index);
  }

  /** The bytes of the {@code .snap} a restore of {@code members} writes (term 1, index N). */
  public static byte[] bootstrap(List<Member> members) {
    List<Long> voters = new ArrayList<>(members.size());
    for (Member m : members) {
      voters.add(m.id());
    }
    byte[] store = V2Store.json(members).getBytes(StandardCharsets.UTF_8);
    return encode(RaftMessages.raftSnapshot(store, voters, members.size(), 1));
  }

  /** Wraps a marshalled {@code raftpb.Snapshot} into {@code snappb.Snapshot} with its CRC-32C. */
  public static byte[] encode(byte[] raftSnapshot) {
    CRC32C crc = new CRC32C();
    crc.update(raftSnapshot, 0, raftSnapshot.length);
    return RaftMessages.snapFile((int) crc.getValue(), raftSnapshot);
  }

  /** Writes the bootstrap {@code .snap} into {@code snapDir} (mode 0644), fsynced; returns its path. */
  public static Path writeBootstrap(Path snapDir, List<Member> members) throws IOException {
    Objects.requireNonNull(snapDir, "snapDir");
    Path file = snapDir.resolve(name(1, members.size()));
    byte[] bytes = bootstrap(members);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    return file;
  }
}
