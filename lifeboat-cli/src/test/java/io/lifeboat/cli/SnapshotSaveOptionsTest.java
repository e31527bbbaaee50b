package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapshot save} options refused before any connection: a FILE stays exactly etcdctl's raw snapshot. */
class SnapshotSaveOptionsTest {
  @TempDir Path dir;

  @Test
  void save_fileWithCompression_exits2() throws IOException {
    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "snapshot", "save", dir.resolve("x.db").toString(),
        "--compress", "zstd");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--compress needs a named snapshot");
    assertThat(names()).isEmpty();
  }

  @Test
  void save_fileWithEncryptionKey_exits2() throws IOException {
    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "snapshot", "save", dir.resolve("x.db").toString(),
        "--encrypt-key-file", dir.resolve("k").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--encrypt-key-file needs a named snapshot");
    assertThat(names()).isEmpty();
  }

  @Test
  void save_unknownCompression_exits2() throws IOException {
    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "snapshot", "save", "--dir", dir.toString(),
        "--name", "n1", "--compress", "brotli");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--compress").contains("brotli");
    assertThat(names()).isEmpty();
  }

  @Test
  void save_missingKeyFile_exits2() throws IOException {
    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "snapshot", "save", "--dir", dir.toString(),
        "--name", "n1", "--encrypt-key-file", dir.resolve("missing.key").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("missing.key");
    assertThat(names()).isEmpty();
  }

  @Test
  void save_dirUnderARegularFile_exits2BeforeConnecting() throws IOException {
    Path file = Files.writeString(dir.resolve("plain.txt"), "not a directory");

    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "snapshot", "save", "--dir",
        file.resolve("snapshots").toString(), "--name", "n1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("Error: --dir " + file.resolve("snapshots"))
        .contains("cannot write a snapshot there").doesNotContain("127.0.0.1:1");
    assertThat(names()).containsExactly("plain.txt");
  }

  @Test
  void save_fileInMissingDirectory_createsItAndRefusesNothingBeforeConnecting() throws IOException {
    CliRun run = CliRun.of("--endpoints", "http://127.0.0.1:1", "--dial-timeout", "500ms", "snapshot", "save",
        dir.resolve("new/sub/x.db").toString());

    // The directory check passes (created 0700); the unreachable endpoint is what fails.
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("127.0.0.1:1").contains("unreachable");
    assertThat(Files.isDirectory(dir.resolve("new/sub"))).isTrue();
    try (Stream<Path> s = Files.list(dir.resolve("new/sub"))) {
      assertThat(s).isEmpty();
    }
  }

  private java.util.List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
