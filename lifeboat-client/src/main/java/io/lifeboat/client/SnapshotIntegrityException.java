package io.lifeboat.client;

/** The snapshot stream ended without a valid sha256 trailer: the bytes written are not a usable snapshot. */
public final class SnapshotIntegrityException extends EtcdClientException {
  public SnapshotIntegrityException(String message) {
    super(message);
  }

  public SnapshotIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
