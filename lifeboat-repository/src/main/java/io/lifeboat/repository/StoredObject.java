package io.lifeboat.repository;

import java.time.Instant;
import java.util.Objects;

/** One snapshot object found in a store by {@link SnapshotStore#list()}. */
public record StoredObject(SnapshotName name, ObjectKind kind, long size, Instant lastModified) {
  public StoredObject {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(lastModified, "lastModified");
  }

  public String fileName() {
    return kind.fileName(name);
  }
}
