package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.UsageException;
import io.lifeboat.repository.MetadataException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.s3.S3Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs {@code snapshot delete}. Per location: with valid metadata, the metadata and then the data
 * object it names; without metadata, the data objects of that name (the trace of an interrupted
 * save). Metadata that is not Lifeboat's is left alone with a warning.
 */
public final class DeleteRunner {
  private DeleteRunner() {}

  public static int run(List<String> names, Path dir, Optional<S3Config> s3, PrintWriter out, PrintWriter err)
      throws StoreException {
    List<SnapshotName> parsed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String n : names) {
      try {
        parsed.add(new SnapshotName(n));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(String.join("; ", problems));
    }
    List<String> missing = new ArrayList<>();
    try (StoreLocations locations = StoreLocations.open(dir, s3)) {
      for (SnapshotName name : parsed) {
        boolean found = false;
        for (StoreLocations.Location l : locations.all()) {
          found |= delete(name, l, out, err);
        }
        if (!found) {
          missing.add(name.value());
        }
      }
      out.flush();
      if (!missing.isEmpty()) {
        List<String> where = locations.all().stream().map(l -> l.store().location()).toList();
        throw new StoreException(StoreException.Reason.NOT_FOUND, String.format(Locale.ROOT,
            "no snapshot named %s in %s", String.join(", ", missing), String.join(" or ", where)));
      }
    }
    return ExitCode.OK.code();
  }

  /** Deletes one snapshot at one location; whether anything of it was there. */
  private static boolean delete(SnapshotName name, StoreLocations.Location l, PrintWriter out, PrintWriter err)
      throws StoreException {
    SnapshotStore store = l.store();
    List<ObjectKind> dataKinds = new ArrayList<>();
    Optional<SnapshotMetadata> metadata;
    try {
      metadata = Optional.of(SnapshotCatalog.read(store, name));
    } catch (StoreException e) {
      if (e.reason() != StoreException.Reason.NOT_FOUND) {
        throw e;
      }
      metadata = Optional.empty();
    } catch (MetadataException e) {
      err.println(String.format(Locale.ROOT, "Warning: %s; not Lifeboat's, left alone", e.getMessage()));
      err.flush();
      return false;
    }
    if (metadata.isPresent()) {
      Optional<ObjectKind> kind = SnapshotCatalog.dataKind(metadata.get(), name);
      kind.ifPresent(dataKinds::add);
    } else {
      for (ObjectKind k : ObjectKind.values()) {
        if (k.isData()) {
          dataKinds.add(k);
        }
      }
    }
    boolean found = false;
    if (metadata.isPresent() && store.delete(name, ObjectKind.METADATA)) {
      found = true;
      out.println(String.format(Locale.ROOT, "Deleted %s from %s (%s)", ObjectKind.METADATA.fileName(name), l.label(),
          store.location()));
    }
    for (ObjectKind k : dataKinds) {
      if (store.delete(name, k)) {
        found = true;
        out.println(String.format(Locale.ROOT, "Deleted %s from %s (%s)", k.fileName(name), l.label(),
            store.location()));
      }
    }
    return found;
  }
}
