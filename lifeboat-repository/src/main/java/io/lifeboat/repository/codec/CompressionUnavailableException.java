package io.lifeboat.repository.codec;

import java.io.IOException;

/** A compression that cannot run on this host (zstd's native library does not load). */
public final class CompressionUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  CompressionUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
