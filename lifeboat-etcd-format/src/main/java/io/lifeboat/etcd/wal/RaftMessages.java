package io.lifeboat.etcd.wal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Encoders for the raft and WAL messages a bootstrap writes, byte for byte as etcd (gogo-protobuf)
 * marshals them: {@code etcdserverpb.Metadata}, {@code walpb.Snapshot}, {@code raftpb.Entry},
 * {@code ConfChange}, {@code HardState}, {@code ConfState}, {@code SnapshotMetadata} and
 * {@code Snapshot}. IDs are unsigned 64-bit values.
 */
public final class RaftMessages {
  /** {@code raftpb.EntryConfChange}. */
  public static final int ENTRY_CONF_CHANGE = 1;
  /** {@code raftpb.ConfChangeAddNode}. */
  public static final int CONF_CHANGE_ADD_NODE = 0;

  private RaftMessages() {}

  /** {@code etcdserverpb.Metadata{1 NodeID, 2 ClusterID}}, both always written. */
  public static byte[] metadata(long nodeId, long clusterId) {
    return new ProtoWriter().uint64(1, nodeId).uint64(2, clusterId).toByteArray();
  }

  /** {@code walpb.Snapshot{1 index, 2 term, 3 conf_state}}; the conf state is written when present (3.5+). */
  public static byte[] walSnapshot(long index, long term, Optional<List<Long>> voters) {
    ProtoWriter w = new ProtoWriter().uint64(1, index).uint64(2, term);
    voters.ifPresent(v -> w.bytes(3, confState(v)));
    return w.toByteArray();
  }

  /** {@code raftpb.ConfState{1 voters (unpacked), 5 auto_leave=false}}; no learners or joint config. */
  public static byte[] confState(List<Long> voters) {
    ProtoWriter w = new ProtoWriter();
    for (long id : voters) {
      w.uint64(1, id);
    }
    return w.bool(5, false).toByteArray();
  }

  /** {@code raftpb.ConfChange{1 ID=0, 2 Type=AddNode, 3 NodeID, 4 Context}}. */
  public static byte[] addNode(long nodeId, byte[] context) {
    Objects.requireNonNull(context, "context");
    return new ProtoWriter().uint64(1, 0).uint64(2, CONF_CHANGE_ADD_NODE).uint64(3, nodeId).bytes(4, context)
        .toByteArray();
  }

  /** {@code raftpb.Entry{1 Type, 2 Term, 3 Index, 4 Data}}. */
  public static byte[] entry(int type, long term, long index, byte[] data) {
    return new ProtoWriter().uint64(1, type).uint64(2, term).uint64(3, index).bytes(4, data).toByteArray();
  }

  /** {@code raftpb.HardState{1 term, 2 vote, 3 commit}}. */
  public static byte[] hardState(long term, long vote, long commit) {
    return new ProtoWriter().uint64(1, term).uint64(2, vote).uint64(3, commit).toByteArray();
  }

  /**
   * {@code raftpb.Snapshot{1 data, 2 metadata=SnapshotMetadata{1 conf_state, 2 index, 3 term}}}.
   */
  public static byte[] raftSnapshot(byte[] data, List<Long> voters, long index, long term) {
    byte[] metadata = new ProtoWriter().bytes(1, confState(voters)).uint64(2, index).uint64(3, term).toByteArray();
    return new ProtoWriter().bytes(1, data).bytes(2, metadata).toByteArray();
  }

  /** {@code snappb.Snapshot{1 crc, 2 data}}. */
  public static byte[] snapFile(int crc, byte[] data) {
    return new ProtoWriter().uint64(1, Integer.toUnsignedLong(crc)).bytes(2, data).toByteArray();
  }
}
