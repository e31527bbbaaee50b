package io.lifeboat.cli.snapshot;

import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
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
 * @param compression how a named snapshot is stored ({@link Compression#NONE} for a FILE)
 * @param key the key a named snapshot is encrypted with, if any (never for a FILE)
 */
public record SaveRequest(
    ConnectionSettings connection,
    Optional<Path> file,
    Path directory,
    SnapshotName name,
    int attempts,
    Duration backoff,
    Compression compression,
    Optional<EncryptionKey> key) {
  /** A raw, unencrypted save (a FILE exactly as etcd streamed it, or a named {@code <name>.db}). */
  public SaveRequest(ConnectionSettings connection, Optional<Path> file, Path directory, SnapshotName name,
      int attempts, Duration backoff) {
    this(connection, file, directory, name, attempts, backoff, Compression.NONE, Optional.empty());
  }

  public SaveRequest {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(key, "key");
    if (file.isPresent() && (compression != Compression.NONE || key.isPresent())) {
      throw new IllegalArgumentException("a FILE is written exactly as etcd streamed it: no compression, no encryption");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** How a named snapshot is stored: compressed, then encrypted. */
  public SnapshotEncoding encoding() {
    return SnapshotEncoding.forSave(compression, key);
  }

  /** The stored object's kind ({@code <name>.db[.gz|.zst]} or {@code <name>.zip}). */
  public ObjectKind dataKind() {
    return compression.objectKind();
  }

  /** Where the snapshot file goes. */
  public Path target() {
    return file.orElseGet(() -> directory.resolve(dataKind().fileName(name)));
  }

  /** Named snapshots in a directory get a metadata file; an explicit FILE does not, as with etcdctl. */
  public Optional<Path> metadataTarget() {
    return file.isPresent() ? Optional.empty() : Optional.of(directory.resolve(name.value() + ".json"));
  }
}
