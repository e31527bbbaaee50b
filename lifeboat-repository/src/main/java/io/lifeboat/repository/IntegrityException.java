package io.lifeboat.repository;

import java.io.IOException;

/**
 * Stored bytes that are not what was written: a checksum mismatch, a decryption that fails (wrong
 * key or tampering), a compressed stream that is corrupt. Never restore from such data; the CLI
 * exits with code 3.
 */
public final class IntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
