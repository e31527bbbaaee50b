package io.lifeboat.repository;

import java.io.IOException;

/** A metadata file that cannot be used: malformed, or of a format this version does not read. */
public final class MetadataException extends IOException {
  private static final long serialVersionUID = 1L;

  public MetadataException(String message) {
    super(message);
  }
}
