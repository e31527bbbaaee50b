package io.lifeboat.cli.snapshot;

import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.repository.SnapshotName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code snapshot save} should do.
 *
 * @param file an explicit target, written exactly there like etcdctl (replacing a file there)
 * @param directory the repository directory when no file is given
 * @param name the snapshot's name in that directory
 * @param attempts how many streams to try in all, across members
 * @param backoff the wait before the second attempt, doubled for each further one
 */
public record SaveRequest(
    ConnectionSettings connection,
    Optional<Path> file,
    Path directory,
    SnapshotName name,
    int attempts,
    Duration backoff) {
  public SaveRequest {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(backoff, "backoff");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** Where the snapshot file goes. */
  public Path target() {
    return file.orElseGet(() -> directory.resolve(name.value() + ".db"));
  }

  /** Named snapshots in a directory get a metadata file; an explicit FILE does not, as with etcdctl. */
  public Optional<Path> metadataTarget() {
    return file.isPresent() ? Optional.empty() : Optional.of(directory.resolve(name.value() + ".json"));
  }
}
