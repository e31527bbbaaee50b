package io.lifeboat.etcd.wal;

import io.lifeboat.etcd.membership.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The WAL a restore writes (etcd's {@code snapshot restore}, step "saveWALAndSnap"): one segment
 * holding the metadata, an empty snapshot marker, one AddNode conf change per member (term 1, index
 * 1..N, members in unsigned-ID order), the hard state {term 1, vote = smallest ID, commit N} and the
 * snapshot marker {index N, term 1}, with the conf state for etcd 3.5 and later.
 */
public final class BootstrapWal {
  private BootstrapWal() {}

  /**
   * Writes {@code walDir/0000000000000000-0000000000000000.wal} (the directory must exist).
   *
   * @param members all members, sorted by unsigned ID
   * @param withConfState whether the final snapshot record carries the conf state (3.5+)
   */
  public static Path write(Path walDir, long localId, long clusterId, List<Member> members, boolean withConfState)
      throws IOException {
    Objects.requireNonNull(walDir, "walDir");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one member");
    }
    Path file = walDir.resolve(WalSegmentWriter.segmentName(0, 0));
    try (WalSegmentWriter wal = WalSegmentWriter.create(file)) {
      writeRecords(wal, localId, clusterId, members, withConfState);
    }
    return file;
  }

  static void writeRecords(WalSegmentWriter wal, long localId, long clusterId, List<Member> members,
      boolean withConfState) throws IOException {
    wal.append(WalRecordType.METADATA, RaftMessages.metadata(localId, clusterId));
    wal.append(WalRecordType.SNAPSHOT, RaftMessages.walSnapshot(0, 0, Optional.empty()));
    List<Long> voters = new ArrayList<>(members.size());
    long index = 0;
    for (Member m : members) {
      index++;
      voters.add(m.id());
      byte[] change = RaftMessages.addNode(m.id(), m.toJson().getBytes(StandardCharsets.UTF_8));
      wal.append(WalRecordType.ENTRY, RaftMessages.entry(RaftMessages.ENTRY_CONF_CHANGE, 1, index, change));
    }
    wal.append(WalRecordType.STATE, RaftMessages.hardState(1, members.get(0).id(), index));
    wal.append(WalRecordType.SNAPSHOT,
        RaftMessages.walSnapshot(index, 1, withConfState ? Optional.of(voters) : Optional.empty()));
  }
}
