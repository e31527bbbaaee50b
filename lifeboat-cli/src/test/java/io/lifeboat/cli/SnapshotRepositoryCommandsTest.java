package io.lifeboat.cli;

import static io.lifeboat.cli.SnapshotStatusCommandTest.flipByte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.cli.snapshot.PruneRequest;
import io.lifeboat.cli.snapshot.PruneRunner;
import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.golden.GoldenSnapshots;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.local.LocalDirectoryStore;
import io.lifeboat.repository.retention.RetentionPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRepositoryCommandsTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path dir;
  private LocalDirectoryStore store;

  @BeforeEach
  void openStore() {
    store = new LocalDirectoryStore(dir);
  }

  // ---- ls

  @Test
  void ls_snapshotsAndForeignFiles_listsOnlySnapshotsNewestFirst() throws IOException {
    StoredSnapshots.put(store, "older", NOW.minus(Duration.ofHours(5)));
    StoredSnapshots.put(store, "newer", NOW.minus(Duration.ofHours(1)));
    writeForeignFiles();

    CliRun run = CliRun.of("snapshot", "ls", "--dir", dir.toString());

    assertThat(run.exitCode()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines.get(1)).contains("NAME").contains("CREATED").contains("SIZE").contains("COMPRESSION")
        .contains("ENCRYPTED").contains("REVISION").contains("LOCATION");
    assertThat(lines.get(3)).contains("newer").contains("2026-11-25T11:00:00Z").contains("1513").contains("local")
        .contains("none").contains("no");
    assertThat(lines.get(4)).contains("older");
    assertThat(lines).hasSize(6);
    assertThat(run.stdout()).doesNotContain("orphan").doesNotContain("config").doesNotContain("notes");
  }

  @Test
  void ls_json_printsTheSameSnapshotsAsAnArray() {
    StoredSnapshots.put(store, "only", NOW);

    CliRun run = CliRun.of("snapshot", "ls", "--dir", dir.toString(), "-w", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith("[{\"name\":\"only\",\"createdAt\":\"2026-11-25T12:00:00Z\",\"file\":\"only.db\"")
        .contains("\"revision\":1513").contains("\"locations\":[\"local\"]").endsWith("}]\n");
  }

  @Test
  void ls_emptyDirectory_printsHeaderOnly() {
    CliRun run = CliRun.of("snapshot", "ls", "--dir", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().lines()).hasSize(4);
  }

  @Test
  void ls_s3OptionWithoutS3Flag_isAUsageError() {
    CliRun run = CliRun.of("snapshot", "ls", "--dir", dir.toString(), "--bucket-name", "b");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--bucket-name given without --s3");
  }

  @Test
  void ls_s3WithoutBucket_reportsEveryProblemAtOnce() {
    CliRun run = CliRun.of("snapshot", "ls", "--s3", "--access-key", "AK");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--bucket-name is required with --s3");
  }

  // ---- delete

  @Test
  void delete_existingSnapshot_removesMetadataAndDataOnly() throws IOException {
    StoredSnapshots.put(store, "gone", NOW.minus(Duration.ofHours(2)));
    StoredSnapshots.put(store, "stays", NOW);
    writeForeignFiles();

    CliRun run = CliRun.of("snapshot", "delete", "--dir", dir.toString(), "gone");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo("Deleted gone.json from local (" + dir.toAbsolutePath() + ")\n"
        + "Deleted gone.db from local (" + dir.toAbsolutePath() + ")\n");
    assertThat(fileNames()).containsExactlyInAnyOrder("stays.db", "stays.json", "orphan.db", "config.json",
        "notes.txt", ".lifeboat-tmp-abc.db");
  }

  @Test
  void delete_unknownName_deletesTheOthersAndExits1() throws IOException {
    StoredSnapshots.put(store, "known", NOW);

    CliRun run = CliRun.of("snapshot", "delete", "--dir", dir.toString(), "missing", "known");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stdout()).contains("Deleted known.json").contains("Deleted known.db");
    assertThat(run.stderr()).startsWith("Error: no snapshot named missing in ");
    assertThat(fileNames()).isEmpty();
  }

  @Test
  void delete_foreignJsonOfThatName_isLeftAlone() throws IOException {
    writeForeignFiles();

    CliRun run = CliRun.of("snapshot", "delete", "--dir", dir.toString(), "config");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("left alone");
    assertThat(dir.resolve("config.json")).exists();
  }

  @Test
  void delete_invalidName_isAUsageError() {
    CliRun run = CliRun.of("snapshot", "delete", "--dir", dir.toString(), "../etc");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("invalid snapshot name '../etc'");
  }

  // ---- prune

  @Test
  void prune_byCount_keepsTheNewestAndLeavesForeignFiles() throws IOException {
    for (int i = 1; i <= 4; i++) {
      StoredSnapshots.put(store, "s" + i, NOW.minus(Duration.ofHours(i)));
    }
    writeForeignFiles();

    CliRun run = CliRun.of("snapshot", "prune", "--retention", "2", "--dir", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("Deleted s3 (created 2026-11-25T09:00:00Z) from local")
        .contains("Deleted s4 (created 2026-11-25T08:00:00Z) from local").doesNotContain("Deleted s1")
        .doesNotContain("Deleted s2");
    assertThat(fileNames()).containsExactlyInAnyOrder("s1.db", "s1.json", "s2.db", "s2.json", "orphan.db",
        "config.json", "notes.txt", ".lifeboat-tmp-abc.db");
  }

  @Test
  void prune_alsoDeletesTemporaryFilesOfKilledSaves_butNotOnADryRun() throws IOException {
    StoredSnapshots.put(store, "s1", NOW.minus(Duration.ofHours(1)));
    Path abandoned = dir.resolve(".s0.db.lifeboat-tmp-4194321-a1b2c3");
    Files.writeString(abandoned, "half a snapshot");
    Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(Duration.ofHours(2))));

    CliRun dry = CliRun.of("snapshot", "prune", "--retention", "1", "--dry-run", "--dir", dir.toString());
    assertThat(dry.exitCode()).isZero();
    assertThat(abandoned).exists();

    CliRun run = CliRun.of("snapshot", "prune", "--retention", "1", "--dir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("Deleted .s0.db.lifeboat-tmp-4194321-a1b2c3, a temporary file abandoned by a"
        + " killed save, from local");
    assertThat(abandoned).doesNotExist();
    assertThat(fileNames()).containsExactlyInAnyOrder("s1.db", "s1.json");
  }

  @Test
  void prune_dryRun_deletesNothing() throws IOException {
    for (int i = 1; i <= 3; i++) {
      StoredSnapshots.put(store, "s" + i, NOW.minus(Duration.ofHours(i)));
    }
    List<String> before = fileNames();

    CliRun run = CliRun.of("snapshot", "prune", "--retention", "1", "--dry-run", "--dir", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("Would delete s2").contains("Would delete s3").doesNotContain("Deleted");
    assertThat(fileNames()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void prune_byAge_deletesOnlyThoseOlderThanTheAge() throws IOException {
    StoredSnapshots.put(store, "hour-old", NOW.minus(Duration.ofHours(1)));
    StoredSnapshots.put(store, "day-and-a-bit", NOW.minus(Duration.ofHours(30)));
    StoredSnapshots.put(store, "three-days-plus", NOW.minus(Duration.ofHours(80)));
    writeForeignFiles();

    String out = prune("72h", false);

    assertThat(out).contains("Deleted three-days-plus").doesNotContain("Deleted day-and-a-bit");
    assertThat(fileNames()).contains("hour-old.json", "day-and-a-bit.json", "orphan.db", "config.json")
        .doesNotContain("three-days-plus.json", "three-days-plus.db");

    String again = prune("24h", false);

    assertThat(again).contains("Deleted day-and-a-bit").doesNotContain("Deleted hour-old");
    assertThat(fileNames()).contains("hour-old.json", "hour-old.db").doesNotContain("day-and-a-bit.json");
  }

  @Test
  void prune_byAgeWhenEverySnapshotIsOld_keepsTheNewest() throws IOException {
    StoredSnapshots.put(store, "old", NOW.minus(Duration.ofDays(10)));
    StoredSnapshots.put(store, "older", NOW.minus(Duration.ofDays(20)));

    String out = prune("1h30m", false);

    assertThat(out).contains("Deleted older").doesNotContain("Deleted old ");
    assertThat(fileNames()).containsExactlyInAnyOrder("old.db", "old.json");
  }

  @Test
  void prune_byAgeDryRun_deletesNothing() throws IOException {
    StoredSnapshots.put(store, "a", NOW);
    StoredSnapshots.put(store, "b", NOW.minus(Duration.ofHours(48)));

    String out = prune("24h", true);

    assertThat(out).contains("Would delete b");
    assertThat(fileNames()).hasSize(4);
  }

  @Test
  void prune_zeroOrBadRetention_isAUsageError() {
    CliRun zero = CliRun.of("snapshot", "prune", "--retention", "0", "--dir", dir.toString());
    CliRun bad = CliRun.of("snapshot", "prune", "--retention", "3 days", "--dir", dir.toString());

    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.stderr()).contains("at least 1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("retention '3 days' is neither a count");
  }

  @Test
  void retention_parse_countOrGoDuration() {
    assertThat(RetentionPolicy.parse("5")).isEqualTo(new RetentionPolicy.Count(5));
    assertThat(RetentionPolicy.parse("24h")).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(24)));
    assertThat(RetentionPolicy.parse("1h30m")).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofMinutes(90)));
    assertThat(RetentionPolicy.parse("30m")).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofMinutes(30)));
    assertThatThrownBy(() -> RetentionPolicy.parse("-1h")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RetentionPolicy.parse("hourly=24,daily=7")).isEqualTo(new RetentionPolicy.Tiered(24, 7, 0, 0));
  }

  // ---- verify

  @Test
  void verify_goodStoredSnapshot_passesEveryCheck() throws IOException {
    StoredSnapshots.put(store, "good", NOW);

    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "good");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("stored size     ok").contains("stored sha256   ok")
        .contains("decryption      not encrypted").contains("sha256 trailer  valid").contains("bbolt pages     ok")
        .contains("status          ok: hash dd5d057b, revision 1513, total keys 1523").contains("matches the metadata")
        .contains("OK: good passed every check");
    assertThat(run.stderr()).isEmpty();
    assertThat(fileNames()).containsExactlyInAnyOrder("good.db", "good.json"); // the decoded copy is gone
  }

  @Test
  void verify_goodFile_checksTrailerPagesAndStatus() {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);

    CliRun run = CliRun.of("snapshot", "verify", file.toString(), "-w", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith("[{\"snapshot\":" + GoJson.string(file.toString()))
        .contains("{\"check\":\"sha256 trailer\",\"result\":\"valid\"}").contains("\"ok\":true");
  }

  @Test
  void verify_fileWithFlippedByte_exits3NamingTheTrailerCheck() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, 20_000);

    CliRun run = CliRun.of("snapshot", "verify", file.toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stdout()).contains("sha256 trailer  FAILED");
    assertThat(run.stderr()).startsWith("Error: " + file + " in file: sha256 trailer check failed: ");
  }

  @Test
  void verify_storedObjectWithFlippedByte_exits3NamingTheSha256Check() throws IOException {
    StoredSnapshots.put(store, "damaged", NOW);
    flipByte(dir.resolve("damaged.db"), 20_000);

    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "damaged");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("damaged in local").contains("stored sha256 check failed")
        .contains("the metadata records");
    assertThat(run.stderr().lines()).hasSize(1);
  }

  @Test
  void verify_damageMatchingItsMetadata_isCaughtByTheTrailer() throws IOException {
    SnapshotName name = new SnapshotName("rewritten");
    byte[] bytes = GoldenSnapshots.bytes(StoredSnapshots.GOLDEN);
    bytes[20_000] ^= (byte) 0xff;
    SnapshotEncoding none = SnapshotEncoding.forSave(Compression.NONE, Optional.empty());
    store.put(name, ObjectKind.DB, ObjectSource.ofBytes(bytes));
    store.put(name, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(
        StoredSnapshots.metadata(name, NOW, none, StoredSnapshots.sha256(bytes), bytes.length))));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "rewritten");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stdout()).contains("stored sha256   ok");
    assertThat(run.stderr()).contains("sha256 trailer check failed");
  }

  @Test
  void verify_truncatedStoredObject_namesTheSizeCheck() throws IOException {
    StoredSnapshots.put(store, "short", NOW, Compression.ZSTD, Optional.empty());
    Path data = dir.resolve("short.db.zst");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length - 100));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "short");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("stored size check failed");
  }

  @Test
  void verify_encryptedCompressedSnapshot_passesWithItsKey() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("snapshots.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    StoredSnapshots.put(new LocalDirectoryStore(snapshots), "secret", NOW, Compression.ZSTD, Optional.of(key));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", snapshots.toString(), "--encrypt-key-file",
        key.file().toString(), "secret");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("decryption      ok: key " + key.keyId()).contains("decompression   ok: zstd")
        .contains("OK: secret passed every check");
  }

  @Test
  void verify_encryptedSnapshotWithWrongKey_exits3SayingWhichKeyIsNeeded() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("right.key"));
    EncryptionKey wrong = EncryptionKey.generate(dir.resolve("wrong.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    StoredSnapshots.put(new LocalDirectoryStore(snapshots), "secret", NOW, Compression.ZSTD, Optional.of(key));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", snapshots.toString(), "--encrypt-key-file",
        wrong.file().toString(), "secret");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("decryption check failed").contains("encrypted with key " + key.keyId())
        .contains("--encrypt-key-file");
  }

  @Test
  void verify_encryptedSnapshotWithoutKey_isAUsageError() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("right.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    StoredSnapshots.put(new LocalDirectoryStore(snapshots), "secret", NOW, Compression.GZIP, Optional.of(key));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", snapshots.toString(), "secret");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("secret is encrypted (key " + key.keyId() + ")");
  }

  @Test
  void verify_tamperedEncryptedSnapshot_exits3() throws IOException {
    EncryptionKey key = EncryptionKey.generate(dir.resolve("right.key"));
    Path snapshots = Files.createDirectory(dir.resolve("snapshots"));
    SnapshotName name = new SnapshotName("tampered");
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.ZSTD, Optional.of(key));
    byte[] bytes = StoredSnapshots.encode(encoding, name, Optional.of(key));
    bytes[bytes.length / 2] ^= 1;
    LocalDirectoryStore s = new LocalDirectoryStore(snapshots);
    s.put(name, encoding.objectKind(), ObjectSource.ofBytes(bytes));
    s.put(name, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(
        StoredSnapshots.metadata(name, NOW, encoding, StoredSnapshots.sha256(bytes), bytes.length))));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", snapshots.toString(), "--encrypt-key-file",
        key.file().toString(), "tampered");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("decryption check failed");
  }

  @Test
  void verify_metadataOfUnknownFormat_exits3() throws IOException {
    StoredSnapshots.put(store, "future", NOW);
    Path json = dir.resolve("future.json");
    Files.writeString(json, Files.readString(json).replace("lifeboat.snapshot/v1", "lifeboat.snapshot/v9"));

    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "future");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("unknown metadata format 'lifeboat.snapshot/v9'");
  }

  @Test
  void verify_unknownName_exits1() {
    CliRun run = CliRun.of("snapshot", "verify", "--dir", dir.toString(), "nothing-here");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("no snapshot named nothing-here");
  }

  // ---- key generate

  @Test
  void keyGenerate_newFile_writes0600AndPrintsTheKeyId() throws IOException {
    Path file = dir.resolve("lifeboat.key");

    CliRun run = CliRun.of("key", "generate", file.toString());

    assertThat(run.exitCode()).isZero();
    String keyId = EncryptionKey.load(file).keyId();
    assertThat(run.stdout()).startsWith("Wrote encryption key " + keyId + " to " + file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void keyGenerate_existingFile_exits2AndKeepsIt() throws IOException {
    Path file = dir.resolve("lifeboat.key");
    Files.writeString(file, "precious");

    CliRun run = CliRun.of("key", "generate", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("already exists");
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  // ---- helpers

  private String prune(String retention, boolean dryRun) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    new PruneRunner(Clock.fixed(NOW, ZoneOffset.UTC), new PrintWriter(out), new PrintWriter(err))
        .run(new PruneRequest(dir, Optional.empty(), RetentionPolicy.parse(retention), dryRun));
    return out.toString();
  }

  private void writeForeignFiles() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "not a snapshot");
    Files.writeString(dir.resolve("config.json"), "{\"apiVersion\":\"v1\"}");
    Files.write(dir.resolve("orphan.db"), GoldenSnapshots.bytes("etcd-3.5-small")); // an interrupted save
    Files.writeString(dir.resolve(".lifeboat-tmp-abc.db"), "partial");
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
