package io.lifeboat.etcd.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** The restore target (data or WAL directory) already holds files, and the request did not ask to move them aside. */
public final class DataDirExistsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path directory;

  public DataDirExistsException(Path directory) {
    super(String.format(Locale.ROOT,
        "%s exists and is not empty; restore into a new directory, or use --force to move it aside"
            + " (it is renamed to %s.lifeboat-backup-<time>, never deleted)", directory, directory.getFileName()));
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  public Path directory() {
    return directory;
  }
}
