package io.lifeboat.repository.crypto;

import java.io.IOException;

/** An encryption key file that cannot be used: missing, unreadable, or not a key. A usage error (exit 2). */
public final class KeyFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
