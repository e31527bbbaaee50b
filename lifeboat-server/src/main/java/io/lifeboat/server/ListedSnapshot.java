package io.lifeboat.server;

import io.lifeboat.repository.SnapshotMetadata;
import java.util.List;
import java.util.Objects;

/** A complete snapshot and the location labels that hold it ({@code local}, {@code s3}). */
public record ListedSnapshot(SnapshotMetadata metadata, List<String> locations) {
  public ListedSnapshot {
    Objects.requireNonNull(metadata, "metadata");
    locations = List.copyOf(locations);
  }
}
