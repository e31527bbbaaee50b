package io.lifeboat.server;

import io.lifeboat.repository.SnapshotName;
import java.time.Instant;
import java.util.Objects;

/** A snapshot retention deleted from one location. */
public record Deletion(String location, SnapshotName name, Instant createdAt) {
  public Deletion {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
