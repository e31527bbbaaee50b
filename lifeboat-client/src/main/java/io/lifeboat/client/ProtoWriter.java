package io.lifeboat.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the few kinds of protobuf request fields Lifeboat sends, in the wire format. */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field, or an embedded message given as its encoding. */
  ProtoWriter bytes(int field, byte[] value) {
    varint(((long) field << 3) | ProtoReader.LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  /** An int64 field (etcd's lease ids, TTLs and revisions); zero, the default, is not written. */
  ProtoWriter int64(int field, long value) {
    if (value != 0) {
      varint(((long) field << 3) | ProtoReader.VARINT);
      varint(value);
    }
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void varint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
