package io.lifeboat.server;

import java.io.IOException;

/** A snapshot was asked for while another was being taken. */
public final class SnapshotInProgressException extends IOException {
  private static final long serialVersionUID = 1L;

  public SnapshotInProgressException(String message) {
    super(message);
  }
}
