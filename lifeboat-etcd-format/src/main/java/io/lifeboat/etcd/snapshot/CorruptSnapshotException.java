package io.lifeboat.etcd.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot failed an integrity check: its sha256 trailer does not match, its bbolt pages are
 * malformed, or its etcd rows cannot be decoded. The message is one line naming the file and, where
 * known, the page and offset.
 */
public final class CorruptSnapshotException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;

  public CorruptSnapshotException(Path file, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.file = Objects.requireNonNull(file, "file");
  }

  public CorruptSnapshotException(Path file, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path file() {
    return file;
  }
}
