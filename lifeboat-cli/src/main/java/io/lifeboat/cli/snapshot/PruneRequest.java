package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.s3.S3Config;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** A parsed {@code snapshot prune} command line. */
public record PruneRequest(Path dir, Optional<S3Config> s3, io.lifeboat.repository.retention.RetentionPolicy retention, boolean dryRun) {
  public PruneRequest {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(retention, "retention");
  }
}
