package io.lifeboat.etcd.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotInspectorTest {
  @TempDir Path dir;

  static List<String> goldenNames() {
    return GoldenSnapshots.names();
  }

  @ParameterizedTest
  @MethodSource("goldenNames")
  void inspect_goldenSnapshot_equalsEtcdctlStatus(String name) throws IOException {
    Path file = GoldenSnapshots.copyTo(name, dir);
    GoldenFacts facts = GoldenFacts.of(name);

    SnapshotReport report = SnapshotInspector.inspect(file, TrailerPolicy.VERIFY);

    assertThat(report.status()).isEqualTo(facts.etcdctlStatus());
    assertThat(report.trailer()).isEqualTo(TrailerCheck.VALID);
    assertThat(report.compactRevision()).isEqualTo(facts.compactRevision());
    assertThat(report.fileSize()).isEqualTo(Files.size(file));
  }

  @ParameterizedTest
  @MethodSource("goldenNames")
  void inspect_goldenSnapshot_recordsClusterVersionOfItsEtcd(String name) throws IOException {
    Path file = GoldenSnapshots.copyTo(name, dir);

    SnapshotReport report = SnapshotInspector.inspect(file, TrailerPolicy.VERIFY);

    String expected = name.startsWith("etcd-3.4") ? "3.4.0" : "3.5.0";
    assertThat(report.etcdVersion()).contains(expected);
  }

  @Test
  void inspect_trailerByteFlipped_failsNamingTheTrailer() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, Files.size(file) - 1);

    assertThatThrownBy(() -> SnapshotInspector.inspect(file, TrailerPolicy.VERIFY))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("etcd-3.5-k8s.db")
        .hasMessageContaining("sha256 trailer at offset " + (Files.size(file) - 32))
        .hasMessageContaining("does not match");
  }

  @Test
  void inspect_trailerByteFlippedAndSkipHashCheck_reportsEtcdctlStatus() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, Files.size(file) - 1);

    SnapshotReport report = SnapshotInspector.inspect(file, TrailerPolicy.SKIP);

    assertThat(report.trailer()).isEqualTo(TrailerCheck.SKIPPED);
    assertThat(report.status()).isEqualTo(GoldenFacts.of("etcd-3.5-k8s").etcdctlStatus());
  }

  @Test
  void inspect_valueByteFlippedInsideImage_failsTrailerCheck() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-k8s", dir);
    // The last page of the image is data; a flipped byte there keeps bbolt's structure readable
    // but changes the content the trailer covers.
    flipByte(file, Files.size(file) - 32 - 100);

    assertThatThrownBy(() -> SnapshotInspector.inspect(file, TrailerPolicy.VERIFY))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("sha256 trailer");
  }

  @Test
  void inspect_trailerRemoved_reportsAbsentTrailerAndSameStatus() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-small", dir);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 32);
    }

    SnapshotReport report = SnapshotInspector.inspect(file, TrailerPolicy.VERIFY);

    assertThat(report.trailer()).isEqualTo(TrailerCheck.ABSENT);
    assertThat(report.status()).isEqualTo(GoldenFacts.of("etcd-3.4-small").etcdctlStatus());
  }

  @Test
  void inspect_truncatedInsideImage_failsAsCorrupt() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }

    assertThatThrownBy(() -> SnapshotInspector.inspect(file, TrailerPolicy.VERIFY))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("etcd-3.5-k8s.db");
  }

  @Test
  void inspect_notABboltFile_saysSo() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "this is not an etcd snapshot\n".repeat(500));

    assertThatThrownBy(() -> SnapshotInspector.inspect(file, TrailerPolicy.VERIFY))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("not a bbolt database");
  }

  @Test
  void inspect_emptyFile_failsAsCorrupt() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.db"));

    assertThatThrownBy(() -> SnapshotInspector.inspect(file, TrailerPolicy.VERIFY))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("empty.db");
  }

  @Test
  void inspect_missingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> SnapshotInspector.inspect(dir.resolve("absent.db"), TrailerPolicy.VERIFY))
        .isInstanceOf(NoSuchFileException.class);
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0xFF);
    }
  }
}
