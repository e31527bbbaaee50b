package io.lifeboat.server;

import io.lifeboat.repository.SnapshotMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot the service took.
 *
 * @param storedIn the location labels that hold it ({@code local}, {@code s3})
 * @param failedUploads location label to the reason, for each location whose upload failed
 * @param uploadedBytes bytes sent to remote locations
 */
public record TakenSnapshot(
    SnapshotMetadata metadata,
    List<String> storedIn,
    java.util.Map<String, String> failedUploads,
    long uploadedBytes,
    Duration duration) {
  public TakenSnapshot {
    Objects.requireNonNull(metadata, "metadata");
    storedIn = List.copyOf(storedIn);
    failedUploads = java.util.Map.copyOf(failedUploads);
    Objects.requireNonNull(duration, "duration");
  }
}
