package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.RetryingSnapshotStore;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.local.LocalDirectoryStore;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.S3SnapshotStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The snapshot locations a management command works on: the local directory, and the S3 bucket
 * folder with {@code --s3}. The composition root of these commands: stores are built here and
 * nowhere else.
 */
public final class StoreLocations implements AutoCloseable {
  public static final String LOCAL = "local";
  public static final String S3 = "s3";

  /** One location: its label as {@code ls} prints it, and its store. */
  public record Location(String label, SnapshotStore store) {
    public Location {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(store, "store");
    }
  }

  private final List<Location> locations;

  private StoreLocations(List<Location> locations) {
    this.locations = List.copyOf(locations);
  }

  /** Opens the local directory and, when given, the bucket (checked, so bad settings fail first). */
  public static StoreLocations open(Path dir, Optional<S3Config> s3) throws StoreException {
    List<Location> list = new ArrayList<>();
    list.add(new Location(LOCAL, new LocalDirectoryStore(dir)));
    if (s3.isPresent()) {
      SnapshotStore store = RetryingSnapshotStore.withDefaults(S3SnapshotStore.open(s3.get()));
      list.add(new Location(S3, store));
      try {
        store.check();
      } catch (StoreException e) {
        store.close();
        throw e;
      }
    }
    return new StoreLocations(list);
  }

  public List<Location> all() {
    return locations;
  }

  @Override
  public void close() {
    for (Location l : locations) {
      l.store().close();
    }
  }
}
