package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.local.LocalDirectoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapshot restore} of stored (compressed, encrypted) snapshots, checked against their metadata. */
class SnapshotRestoreStoredTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path dir;

  @Test
  void restore_zstdEncryptedNamedSnapshotWithItsKey_restoresAndRemovesTheDecodedCopy() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("right.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    StoredSnapshots.put(new LocalDirectoryStore(snapshots), "secret", NOW, Compression.ZSTD, Optional.of(key));
    Path dataDir = dir.resolve("out").resolve("m1.etcd");
    Files.createDirectory(dir.resolve("out"));

    CliRun run = restore("secret", snapshots, dataDir, "--encrypt-key-file", key.file().toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"revision\":1513");
    assertThat(dataDir.resolve("member/snap/db")).isRegularFile();
    assertThat(hiddenFiles(dir.resolve("out"))).isEmpty();
    assertThat(hiddenFiles(snapshots)).isEmpty();
  }

  @Test
  void restore_encryptedNamedSnapshotWithWrongKey_exits3AndWritesNothing() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("right.key"));
    EncryptionKey wrong = EncryptionKey.generate(dir.resolve("wrong.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    StoredSnapshots.put(new LocalDirectoryStore(snapshots), "secret", NOW, Compression.ZSTD, Optional.of(key));
    Path dataDir = dir.resolve("m1.etcd");

    CliRun run = restore("secret", snapshots, dataDir, "--encrypt-key-file", wrong.file().toString());

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stdout() + run.stderr()).contains("decryption check failed");
    assertThat(dataDir).doesNotExist();
    assertThat(hiddenFiles(dir)).isEmpty();
  }

  @Test
  void restore_storedObjectNotMatchingMetadataSha256_exits3AndWritesNothing() throws IOException {
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    LocalDirectoryStore store = new LocalDirectoryStore(snapshots);
    SnapshotName name = new SnapshotName("tampered");
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.ZSTD, Optional.empty());
    byte[] stored = StoredSnapshots.encode(encoding, name, Optional.empty());
    SnapshotMetadata metadata = StoredSnapshots.metadata(name, NOW, encoding, "0".repeat(64), stored.length);
    store.put(name, ObjectKind.DB_ZSTD, ObjectSource.ofBytes(stored));
    store.put(name, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(metadata)));
    Path dataDir = dir.resolve("m1.etcd");

    CliRun run = restore("tampered", snapshots, dataDir);

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stdout() + run.stderr()).contains("stored sha256 check failed");
    assertThat(dataDir).doesNotExist();
    assertThat(hiddenFiles(dir)).isEmpty();
  }

  @Test
  void restore_gzipFile_isDecodedByItsMagicBytes() throws IOException {
    Path file = dir.resolve("plain.db.gz");
    try (OutputStream o = Compression.GZIP.compress(Files.newOutputStream(file), new SnapshotName("plain"))) {
      o.write(GoldenSnapshots.bytes(StoredSnapshots.GOLDEN));
    }
    Path dataDir = dir.resolve("m1.etcd");

    CliRun run = CliRun.of("snapshot", "restore", file.toString(), "--data-dir", dataDir.toString(), "-w", "json");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"revision\":1513");
    assertThat(dataDir.resolve("member/snap/db")).isRegularFile();
    assertThat(hiddenFiles(dir)).isEmpty();
  }

  private static CliRun restore(String name, Path snapshots, Path dataDir, String... more) {
    String[] base = {"snapshot", "restore", name, "--dir", snapshots.toString(), "--data-dir", dataDir.toString(),
        "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380", "--initial-cluster-token", "tok",
        "--initial-advertise-peer-urls", "http://127.0.0.1:2380", "-w", "json"};
    return CliRun.of(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
  }

  private static java.util.List<String> hiddenFiles(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }
}
