package io.lifeboat.etcd.mvcc;

import io.lifeboat.etcd.proto.ProtoReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * etcd's {@code mvccpb.KeyValue}, the value of every row of the {@code key} bucket. A tombstone row
 * holds only the key.
 *
 * @param lease the lease ID, 0 when none
 */
public record KeyValue(byte[] key, long createRevision, long modRevision, long version, byte[] value, long lease) {
  private static final byte[] EMPTY = new byte[0];

  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Decodes the protobuf bytes of a row value. Unknown fields are skipped, as protobuf requires.
   *
   * @throws io.lifeboat.etcd.proto.MalformedProtoException when the bytes are not a valid message
   */
  public static KeyValue decode(ByteBuffer bytes) {
    byte[] key = EMPTY;
    byte[] value = EMPTY;
    long create = 0;
    long mod = 0;
    long version = 0;
    long lease = 0;
    ProtoReader reader = new ProtoReader(bytes);
    while (reader.next()) {
      switch (reader.fieldNumber()) {
        case 1 -> key = reader.byteArray();
        case 2 -> create = reader.varint();
        case 3 -> mod = reader.varint();
        case 4 -> version = reader.varint();
        case 5 -> value = reader.byteArray();
        case 6 -> lease = reader.varint();
        default -> reader.skip();
      }
    }
    return new KeyValue(key, create, mod, version, value, lease);
  }

  public String keyString() {
    return new String(key, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue other
        && Arrays.equals(key, other.key)
        && createRevision == other.createRevision
        && modRevision == other.modRevision
        && version == other.version
        && Arrays.equals(value, other.value)
        && lease == other.lease;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), createRevision, modRevision, version, Arrays.hashCode(value), lease);
  }

  @Override
  public String toString() {
    return "KeyValue[key=" + keyString() + ", createRevision=" + createRevision + ", modRevision=" + modRevision
        + ", version=" + version + ", valueBytes=" + value.length + ", lease=" + lease + "]";
  }
}
