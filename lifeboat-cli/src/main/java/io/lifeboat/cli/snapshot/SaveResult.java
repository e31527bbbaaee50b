package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.SnapshotMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A saved snapshot: where it is, its metadata, and every attempt it took. */
public record SaveResult(Path file, Optional<Path> metadataFile, SnapshotMetadata metadata, List<String> attempts,
    Duration elapsed) {
  public SaveResult {
    attempts = List.copyOf(attempts);
  }
}
