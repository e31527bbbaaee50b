package io.lifeboat.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the protobuf wire format (varints and length-delimited fields) from one message, within
 * its bounds: etcd's few response messages need no generated code. Every malformed input is a
 * {@link GrpcException} with code INTERNAL naming the message and offset.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final String message;
  private final ByteBuffer buffer;
  private int wireType;

  /** Reads {@code buffer} from its position to its limit; {@code message} names it in errors. */
  ProtoReader(String message, ByteBuffer buffer) {
    this.message = message;
    this.buffer = buffer.slice();
  }

  /** The next field's number, or -1 at the end of the message. */
  int nextField() throws GrpcException {
    if (!buffer.hasRemaining()) {
      return -1;
    }
    int at = buffer.position();
    long key = readVarint();
    wireType = (int) (key & 7);
    long field = key >>> 3;
    if (field < 1 || field > 0x1fffffff) {
      throw malformed(at, "field number " + field);
    }
    return (int) field;
  }

  long readVarint() throws GrpcException {
    int at = buffer.position();
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw malformed(at, "a varint cut off by the end of the message");
      }
      byte b = buffer.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw malformed(at, "a varint longer than 10 bytes");
  }

  /** A length-delimited field as a view of the message; valid as long as the message is. */
  ByteBuffer readBytes() throws GrpcException {
    expect(LENGTH_DELIMITED);
    int at = buffer.position();
    long length = readVarint();
    if (length < 0 || length > buffer.remaining()) {
      throw malformed(at, "a field of " + length + " bytes, with " + buffer.remaining() + " left");
    }
    ByteBuffer bytes = buffer.slice();
    bytes.limit((int) length);
    buffer.position(buffer.position() + (int) length);
    return bytes;
  }

  String readString() throws GrpcException {
    ByteBuffer bytes = readBytes();
    return StandardCharsets.UTF_8.decode(bytes).toString();
  }

  long readUint64() throws GrpcException {
    expect(VARINT);
    return readVarint();
  }

  boolean readBool() throws GrpcException {
    return readUint64() != 0;
  }

  /** Skips the current field, whatever its wire type. */
  void skip() throws GrpcException {
    int at = buffer.position();
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> advance(at, 8);
      case LENGTH_DELIMITED -> readBytes();
      case FIXED32 -> advance(at, 4);
      default -> throw malformed(at, "wire type " + wireType);
    }
  }

  private void advance(int at, int n) throws GrpcException {
    if (buffer.remaining() < n) {
      throw malformed(at, "a fixed field cut off by the end of the message");
    }
    buffer.position(buffer.position() + n);
  }

  private void expect(int type) throws GrpcException {
    if (wireType != type) {
      throw malformed(buffer.position(), "wire type " + wireType + " where " + type + " belongs");
    }
  }

  private GrpcException malformed(int offset, String what) {
    return new GrpcException(
        GrpcCode.INTERNAL,
        String.format(Locale.ROOT, "malformed %s message: %s at offset %d", message, what, offset));
  }
}
