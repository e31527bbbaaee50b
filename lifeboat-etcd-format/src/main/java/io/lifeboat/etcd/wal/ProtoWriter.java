package io.lifeboat.etcd.wal;

import java.io.ByteArrayOutputStream;

/**
 * A minimal protobuf encoder for etcd's small raft and WAL messages. Callers write fields in
 * ascending field order and decide themselves which zero values to write, which is how gogo-protobuf
 * marshals non-nullable fields (always present) and proto3 scalars (omitted when zero).
 */
final class ProtoWriter {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  /** A varint field, written even when zero; {@code value} is taken as unsigned. */
  ProtoWriter uint64(int field, long value) {
    varint(((long) field << 3) | WIRE_VARINT);
    varint(value);
    return this;
  }

  ProtoWriter bool(int field, boolean value) {
    return uint64(field, value ? 1 : 0);
  }

  /** A length-delimited field (bytes, string or embedded message). */
  ProtoWriter bytes(int field, byte[] value) {
    varint(((long) field << 3) | WIRE_LENGTH_DELIMITED);
    varint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
