package io.lifeboat.etcd.proto;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads the protobuf wire format from a buffer, field by field, with every length bounded by the
 * buffer. etcd's values (mvccpb.KeyValue, leasepb.Lease, authpb.User, ...) are small flat messages,
 * so a hand-written reader keeps protobuf-java off the snapshot-reading path.
 */
public final class ProtoReader {
  public static final int WIRE_VARINT = 0;
  public static final int WIRE_FIXED64 = 1;
  public static final int WIRE_LENGTH_DELIMITED = 2;
  public static final int WIRE_FIXED32 = 5;

  private final ByteBuffer buffer;
  private int tag;

  /** Reads the remaining bytes of {@code buffer} (not modified). */
  public ProtoReader(ByteBuffer buffer) {
    this.buffer = buffer.duplicate();
  }

  /** Advances to the next field; false at the end of the message. */
  public boolean next() {
    if (!buffer.hasRemaining()) {
      return false;
    }
    long t = readVarint();
    if (t <= 0 || t > Integer.MAX_VALUE) {
      throw new MalformedProtoException(String.format(Locale.ROOT, "invalid field tag %d", t));
    }
    tag = (int) t;
    if (fieldNumber() == 0) {
      throw new MalformedProtoException("field number 0");
    }
    return true;
  }

  public int fieldNumber() {
    return tag >>> 3;
  }

  public int wireType() {
    return tag & 7;
  }

  public long varint() {
    expect(WIRE_VARINT);
    return readVarint();
  }

  /** A length-delimited field as a view of the underlying bytes. */
  public ByteBuffer bytes() {
    expect(WIRE_LENGTH_DELIMITED);
    long length = readVarint();
    if (length < 0 || length > buffer.remaining()) {
      throw new MalformedProtoException(String.format(Locale.ROOT,
          "field %d: length %d exceeds the %d bytes left", fieldNumber(), length, buffer.remaining()));
    }
    ByteBuffer view = buffer.slice(buffer.position(), (int) length);
    buffer.position(buffer.position() + (int) length);
    return view;
  }

  public byte[] byteArray() {
    ByteBuffer view = bytes();
    byte[] out = new byte[view.remaining()];
    view.get(out);
    return out;
  }

  /** Skips the current field, whatever its wire type. */
  public void skip() {
    switch (wireType()) {
      case WIRE_VARINT -> readVarint();
      case WIRE_FIXED64 -> advance(8);
      case WIRE_LENGTH_DELIMITED -> bytes();
      case WIRE_FIXED32 -> advance(4);
      default -> throw new MalformedProtoException(String.format(Locale.ROOT,
          "field %d: unsupported wire type %d", fieldNumber(), wireType()));
    }
  }

  private void advance(int n) {
    if (buffer.remaining() < n) {
      throw new MalformedProtoException("message ends inside a fixed-size field");
    }
    buffer.position(buffer.position() + n);
  }

  private void expect(int wireType) {
    if (wireType() != wireType) {
      throw new MalformedProtoException(String.format(Locale.ROOT,
          "field %d: wire type %d, expected %d", fieldNumber(), wireType(), wireType));
    }
  }

  private long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new MalformedProtoException("message ends inside a varint");
      }
      byte b = buffer.get();
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new MalformedProtoException("varint longer than 10 bytes");
  }
}
