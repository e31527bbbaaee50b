package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.RetryingSnapshotStore;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.local.LocalDirectoryStore;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.S3SnapshotStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /** The local directory's store: the first location, where a save writes before any upload. */
  public SnapshotStore local() {
    return locations.get(0).store();
  }

  /** The locations a save uploads to after writing locally (the bucket with {@code --s3}). */
  public List<Location> remotes() {
    return locations.subList(1, locations.size());
  }

  /**
   * Refuses a name that any location holds, as metadata or as data of {@code dataKind}: snapshots
   * are never overwritten.
   *
   * @throws FileAlreadyExistsException naming the snapshot and the location
   */
  public void requireAbsent(SnapshotName name, ObjectKind dataKind) throws IOException {
    for (Location l : locations) {
      if (l.store().exists(name, ObjectKind.METADATA) || l.store().exists(name, dataKind)) {
        throw new FileAlreadyExistsException(String.format(Locale.ROOT,
            "snapshot %s already exists in %s; snapshots are never overwritten", name, l.store().location()));
      }
    }
  }

  @Override
  public void close() {
    for (Location l : locations) {
      l.store().close();
    }
  }
}
