package io.lifeboat.etcd.proto;

/** A protobuf message that cannot be decoded; callers turn it into a corruption error naming the row. */
public final class MalformedProtoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedProtoException(String message) {
    super(message);
  }
}
