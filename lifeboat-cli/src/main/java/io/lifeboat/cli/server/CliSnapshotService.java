package io.lifeboat.cli.server;

import io.lifeboat.cli.UsageException;
import io.lifeboat.repository.codec.CompressionUnavailableException;
import io.lifeboat.cli.snapshot.PruneRunner;
import io.lifeboat.cli.snapshot.SaveRequest;
import io.lifeboat.cli.snapshot.SaveResult;
import io.lifeboat.cli.snapshot.SnapshotCatalog;
import io.lifeboat.cli.snapshot.SnapshotSaver;
import io.lifeboat.cli.snapshot.StoreLocations;
import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.client.EndpointProbe;
import io.lifeboat.client.EtcdClient;
import io.lifeboat.client.EtcdUnavailableException;
import io.lifeboat.client.SnapshotProgress;
import io.lifeboat.repository.MetadataException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.server.Deletion;
import io.lifeboat.server.EventLog;
import io.lifeboat.server.ListedSnapshot;
import io.lifeboat.server.SnapshotService;
import io.lifeboat.server.TakenSnapshot;
import io.lifeboat.server.config.ServerConfig;
import io.lifeboat.server.config.StorageSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's snapshots, taken, listed and pruned by the same code as {@code snapshot save},
 * {@code snapshot ls} and {@code snapshot prune}: local directory first, then each remote location.
 */
final class CliSnapshotService implements SnapshotService, AutoCloseable {
  /** Streams tried per snapshot across members; the scheduler retries whole snapshots with its backoff. */
  private static final int STREAM_ATTEMPTS = 3;
  private static final Duration STREAM_BACKOFF = Duration.ofSeconds(1);

  private final ConnectionSettings connection;
  private final StorageSettings storage;
  private final Optional<EncryptionKey> key;
  private final StoreLocations locations;
  private final SnapshotSaver saver;
  private final EventLog log;
  private final Clock clock;

  private CliSnapshotService(ConnectionSettings connection, StorageSettings storage, Optional<EncryptionKey> key,
      StoreLocations locations, EventLog log, Clock clock) {
    this.connection = connection;
    this.storage = storage;
    this.key = key;
    this.locations = locations;
    this.log = log;
    this.clock = clock;
    this.saver = new SnapshotSaver(clock, this::notice, expected -> SnapshotProgress.none());
  }

  /** Opens the locations (checking the bucket) and loads the encryption key: bad settings fail here. */
  static CliSnapshotService open(ServerConfig config, EventLog log, Clock clock) throws IOException {
    Objects.requireNonNull(config, "config");
    StorageSettings storage = config.storage();
    Optional<EncryptionKey> key = storage.encryptionKeyFile().isPresent()
        ? Optional.of(EncryptionKey.load(storage.encryptionKeyFile().get()))
        : Optional.empty();
    io.lifeboat.repository.local.PendingFile.requireWritableDirectory(storage.dir());
    try {
      storage.compression().requireAvailable();
    } catch (CompressionUnavailableException e) {
      throw new UsageException(e.getMessage());
    }
    StoreLocations locations = StoreLocations.open(storage.dir(), storage.s3());
    return new CliSnapshotService(config.etcd().connectionSettings(), storage, key, locations, log, clock);
  }

  List<String> locationLabels() {
    return locations.all().stream().map(StoreLocations.Location::label).toList();
  }

  @Override
  public TakenSnapshot take(SnapshotName name) throws IOException {
    Objects.requireNonNull(name, "name");
    SaveRequest request = new SaveRequest(connection, Optional.empty(), storage.dir(), name, STREAM_ATTEMPTS,
        STREAM_BACKOFF, storage.compression(), key);
    locations.requireAbsent(name, request.dataKind());
    Instant started = clock.instant();
    for (String abandoned : io.lifeboat.repository.local.PendingFile.deleteAbandoned(storage.dir(), started)) {
      log.warn("Removed a temporary file abandoned by a killed save", "file", abandoned, "dir", storage.dir());
    }
    SaveResult saved = saver.save(request, locations.local(), Optional.empty());
    List<String> storedIn = new ArrayList<>(List.of(StoreLocations.LOCAL));
    Map<String, String> failed = new LinkedHashMap<>();
    long uploaded = 0;
    for (StoreLocations.Location remote : locations.remotes()) {
      try {
        SnapshotSaver.upload(remote.store(), name, request.dataKind(), saved.file(), saved.metadata());
        storedIn.add(remote.label());
        uploaded += saved.metadata().size();
      } catch (IOException e) {
        failed.put(remote.label(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    return new TakenSnapshot(saved.metadata(), storedIn, failed, uploaded, Duration.between(started, clock.instant()));
  }

  @Override
  public List<ListedSnapshot> list() throws IOException {
    Map<String, SnapshotCatalog.Entry> newest = new LinkedHashMap<>();
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (StoreLocations.Location l : locations.all()) {
      for (SnapshotCatalog.Entry e : SnapshotCatalog.list(l.store(), this::notice)) {
        newest.putIfAbsent(e.name().value(), e);
        where.computeIfAbsent(e.name().value(), k -> new ArrayList<>()).add(l.label());
      }
    }
    List<SnapshotCatalog.Entry> entries = new ArrayList<>(newest.values());
    entries.sort(SnapshotCatalog.NEWEST_FIRST);
    return entries.stream()
        .map(e -> new ListedSnapshot(e.metadata(), where.get(e.name().value())))
        .toList();
  }

  @Override
  public Optional<ListedSnapshot> find(SnapshotName name) throws IOException {
    Objects.requireNonNull(name, "name");
    // Reads this name's metadata in each location, not every snapshot's as list() does.
    Optional<SnapshotMetadata> first = Optional.empty();
    List<String> where = new ArrayList<>();
    for (StoreLocations.Location l : locations.all()) {
      Optional<SnapshotMetadata> here = complete(l.store(), name);
      if (here.isPresent()) {
        first = first.isPresent() ? first : here;
        where.add(l.label());
      }
    }
    return first.map(m -> new ListedSnapshot(m, where));
  }

  /** The metadata of {@code name} in one store when it is a complete snapshot there, as the catalog lists it. */
  private Optional<SnapshotMetadata> complete(SnapshotStore store, SnapshotName name)
      throws IOException {
    SnapshotMetadata metadata;
    try {
      metadata = SnapshotCatalog.read(store, name);
    } catch (StoreException e) {
      if (e.reason() == StoreException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    } catch (MetadataException e) {
      return Optional.empty(); // not a snapshot of ours; list() does not show it either
    }
    Optional<ObjectKind> kind = SnapshotCatalog.dataKind(metadata, name);
    return kind.isPresent() && store.exists(name, kind.get()) ? Optional.of(metadata) : Optional.empty();
  }

  @Override
  public List<Deletion> applyRetention(RetentionPolicy policy, Instant now) throws IOException {
    List<Deletion> deleted = new ArrayList<>();
    IOException first = null;
    for (StoreLocations.Location l : locations.all()) {
      try {
        List<SnapshotCatalog.Entry> entries = SnapshotCatalog.list(l.store(), this::notice);
        for (SnapshotCatalog.Entry e : PruneRunner.expired(entries, policy, now)) {
          PruneRunner.delete(l.store(), e);
          deleted.add(new Deletion(l.label(), e.name(), e.metadata().createdAt()));
        }
      } catch (IOException e) {
        // One location failing must not keep the others from being pruned.
        log.error("Failed to apply retention", "location", l.label(), "err", e.getMessage());
        first = first == null ? e : first;
      }
    }
    if (first != null && deleted.isEmpty()) {
      throw first;
    }
    return deleted;
  }

  @Override
  public void checkEtcd() throws IOException {
    try (EtcdClient client = EtcdClient.connect(connection)) {
      List<EndpointProbe> probes = client.probeAll();
      if (probes.stream().noneMatch(p -> p.status().isPresent())) {
        throw new EtcdUnavailableException("no endpoint answered: " + probes.stream()
            .map(p -> p.endpoint() + ": " + p.failure().orElse("no answer")).toList());
      }
    }
  }

  private void notice(String line) {
    if (line.startsWith("Warning: ")) {
      log.warn(line.substring("Warning: ".length()));
    } else {
      log.debug(line);
    }
  }

  @Override
  public void close() {
    locations.close();
  }
}
