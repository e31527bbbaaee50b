package io.lifeboat.cli.snapshot;

import java.io.IOException;

/** Every attempt to stream a snapshot failed; the message lists them. */
public final class SaveFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  public SaveFailedException(String message, Throwable lastFailure) {
    super(message, lastFailure);
  }
}
