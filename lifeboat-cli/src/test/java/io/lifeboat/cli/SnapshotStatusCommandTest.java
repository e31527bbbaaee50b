package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotStatusCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-small", "etcd-3.4-k8s", "etcd-3.5-small", "etcd-3.5-k8s", "etcd-3.5-auth"})
  void statusJson_goldenSnapshot_startsWithEtcdctlsExactFields(String name) throws IOException {
    Path file = GoldenSnapshots.copyTo(name, dir);
    String etcdctl = GoldenSnapshots.statusJson(name).strip();

    CliRun run = CliRun.of("snapshot", "status", file.toString(), "-w", "json");

    assertThat(run.exitCode()).isZero();
    // etcdctl's object, minus its closing brace, is a prefix of ours: same fields, same order, same values.
    assertThat(run.stdout()).startsWith(etcdctl.substring(0, etcdctl.length() - 1) + ",");
    assertThat(run.stdout()).contains("\"sha256Trailer\":\"valid\"");
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void statusTable_smallSnapshot_looksLikeEtcdctlPlusLifeboatColumns() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "status", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo(String.join("\n",
        "+----------+----------+------------+------------+----------------+--------------+--------------------+",
        "|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE | SHA256 TRAILER | ETCD VERSION | COMPACTED REVISION |",
        "+----------+----------+------------+------------+----------------+--------------+--------------------+",
        "| 6a3e8653 |        7 |         12 |      20 kB |          valid |        3.4.0 |                  3 |",
        "+----------+----------+------------+------------+----------------+--------------+--------------------+",
        ""));
  }

  @Test
  void statusSimple_k8sSnapshot_printsEtcdctlSimpleLine() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-k8s", dir);

    CliRun run = CliRun.of("snapshot", "status", "-w", "simple", file.toString());

    // `etcdctl snapshot status -w simple` printed exactly this for the same file.
    assertThat(run.stdout()).isEqualTo("48a06be9, 1513, 1521, 958 kB\n");
  }

  @Test
  void status_throughPicocliWithDebugFlagAfterwards_givesSameOutput() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-small", dir);

    CliRun fast = CliRun.of("snapshot", "status", file.toString(), "-w", "json");
    CliRun picocli = CliRun.of("snapshot", "status", "--write-out", "json", "--", file.toString());

    assertThat(picocli.exitCode()).isZero();
    assertThat(picocli.stdout()).isEqualTo(fast.stdout());
  }

  @Test
  void status_trailerMismatch_exits3WithOneLine() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, Files.size(file) - 5);

    CliRun run = CliRun.of("snapshot", "status", file.toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).startsWith("Error: etcd-3.5-k8s.db: sha256 trailer at offset").endsWith("\n");
    assertThat(run.stderr().lines()).hasSize(1);
  }

  @Test
  void status_trailerMismatchWithJsonOutput_printsJsonError() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, Files.size(file) - 5);

    CliRun run = CliRun.of("snapshot", "status", file.toString(), "-w", "json");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stdout()).startsWith("{\"error\":\"etcd-3.5-k8s.db: sha256 trailer").endsWith(",\"code\":3}\n");
  }

  @Test
  void status_skipHashCheckWithBadTrailer_printsStatusAndExits0() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.5-k8s", dir);
    flipByte(file, Files.size(file) - 5);

    CliRun run = CliRun.of("snapshot", "status", "--skip-hash-check", file.toString(), "-w", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith(GoldenSnapshots.statusJson("etcd-3.5-k8s").strip().replace("}", ","))
        .contains("\"sha256Trailer\":\"skipped\"");
  }

  @Test
  void status_notASnapshot_saysSoInOneLine() throws IOException {
    Path file = dir.resolve("kubeconfig.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Config\n".repeat(300));

    CliRun run = CliRun.of("snapshot", "status", file.toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).startsWith("Error: kubeconfig.yaml").contains("not a bbolt database");
    assertThat(run.stderr().lines()).hasSize(1);
  }

  @Test
  void status_missingFile_exits2() {
    CliRun run = CliRun.of("snapshot", "status", dir.resolve("nope.db").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo("Error: " + dir.resolve("nope.db") + ": no such file\n");
  }

  @Test
  void status_unknownOutputFormat_exits2() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "status", file.toString(), "-w", "yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("unsupported output format 'yaml'");
  }

  @Test
  void status_noFile_exits2WithUsageHint() {
    CliRun run = CliRun.of("snapshot", "status");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Missing required parameter: 'FILE'").contains("lifeboat snapshot status --help");
  }

  @Test
  void status_unknownOption_exits2() throws IOException {
    Path file = GoldenSnapshots.copyTo("etcd-3.4-small", dir);

    CliRun run = CliRun.of("snapshot", "status", file.toString(), "--frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Unknown option: '--frobnicate'");
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
