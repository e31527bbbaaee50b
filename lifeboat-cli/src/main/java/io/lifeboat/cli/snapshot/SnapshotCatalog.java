package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.MetadataException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Lifeboat snapshots at one location: a {@code <name>.json} of format {@code lifeboat.snapshot/v1}
 * whose data object exists beside it. Everything else (foreign files, temporary files, a data object
 * without metadata left by an interrupted save) is not a snapshot and is never listed, pruned or
 * touched.
 */
public final class SnapshotCatalog {
  /** Metadata is a few hundred bytes; anything much larger is not ours. */
  static final int MAX_METADATA_BYTES = 1 << 20;

  /** One complete snapshot at a location. */
  public record Entry(SnapshotMetadata metadata, SnapshotName name, ObjectKind dataKind, long storedSize) {
    public Entry {
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dataKind, "dataKind");
    }
  }

  /** Newest first; ties broken by name, newest-looking name first. */
  public static final Comparator<Entry> NEWEST_FIRST = Comparator
      .comparing((Entry e) -> e.metadata().createdAt()).reversed()
      .thenComparing(e -> e.name().value(), Comparator.reverseOrder());

  private SnapshotCatalog() {}

  /**
   * Every complete snapshot in the store, newest first.
   *
   * @param warnings one-line notes on snapshot-like objects that are damaged (unreadable metadata
   *     beside a data object, metadata whose data object is missing)
   */
  public static List<Entry> list(SnapshotStore store, Consumer<String> warnings) throws StoreException {
    List<StoredObject> objects = store.list();
    Map<String, StoredObject> byFile = new HashMap<>();
    Map<String, List<StoredObject>> dataByName = new HashMap<>();
    for (StoredObject o : objects) {
      byFile.put(o.fileName(), o);
      if (o.kind().isData()) {
        dataByName.computeIfAbsent(o.name().value(), k -> new ArrayList<>()).add(o);
      }
    }
    List<Entry> result = new ArrayList<>();
    for (StoredObject o : objects) {
      if (o.kind() != ObjectKind.METADATA) {
        continue;
      }
      boolean hasData = dataByName.containsKey(o.name().value());
      if (o.size() > MAX_METADATA_BYTES) {
        continue;
      }
      SnapshotMetadata metadata;
      try {
        metadata = read(store, o.name());
      } catch (MetadataException e) {
        if (hasData) {
          warnings.accept(String.format(Locale.ROOT, "Warning: %s in %s: %s; not listed", o.fileName(),
              store.location(), e.getMessage()));
        }
        continue;
      } catch (StoreException e) {
        if (e.reason() == StoreException.Reason.NOT_FOUND) {
          continue; // deleted while listing
        }
        throw e;
      }
      Optional<ObjectKind> kind = dataKind(metadata, o.name());
      if (kind.isEmpty()) {
        if (hasData) {
          warnings.accept(String.format(Locale.ROOT,
              "Warning: %s in %s names data file '%s', which is not %s's; not listed", o.fileName(),
              store.location(), truncate(metadata.file()), o.name()));
        }
        continue;
      }
      StoredObject data = byFile.get(kind.get().fileName(o.name()));
      if (data == null) {
        warnings.accept(String.format(Locale.ROOT, "Warning: %s in %s has metadata but no data object %s; not listed",
            o.name(), store.location(), metadata.file()));
        continue;
      }
      result.add(new Entry(metadata, o.name(), kind.get(), data.size()));
    }
    result.sort(NEWEST_FIRST);
    return result;
  }

  /**
   * Reads and decodes a snapshot's metadata.
   *
   * @throws StoreException {@code NOT_FOUND} when there is none
   * @throws MetadataException when it is not Lifeboat metadata this version reads
   */
  public static SnapshotMetadata read(SnapshotStore store, SnapshotName name) throws StoreException, MetadataException {
    String source = ObjectKind.METADATA.fileName(name) + " in " + store.location();
    byte[] json;
    try (InputStream in = store.get(name, ObjectKind.METADATA)) {
      json = in.readNBytes(MAX_METADATA_BYTES + 1);
    } catch (StoreException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException(StoreException.Reason.OTHER, String.format(Locale.ROOT, "reading %s failed: %s",
          source, e.getMessage()), e);
    }
    if (json.length > MAX_METADATA_BYTES) {
      throw new MetadataException(source + ": larger than 1 MiB; not Lifeboat metadata");
    }
    SnapshotMetadata metadata = MetadataCodec.decode(source, json);
    if (!metadata.name().equals(name.value())) {
      throw new MetadataException(String.format(Locale.ROOT, "%s: records the name '%s'; the file was renamed or"
          + " belongs to another snapshot", source, truncate(metadata.name())));
    }
    return metadata;
  }

  /** The data object kind the metadata names, if it is a data object of this snapshot. */
  public static Optional<ObjectKind> dataKind(SnapshotMetadata metadata, SnapshotName name) {
    return ObjectKind.parse(metadata.file())
        .filter(e -> e.kind().isData() && e.name().equals(name))
        .map(ObjectKind.Entry::kind);
  }

  static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
