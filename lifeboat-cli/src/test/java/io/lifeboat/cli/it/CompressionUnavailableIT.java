package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd-jni loads its native library from java.io.tmpdir; where that fails (a noexec /tmp on a
 * hardened host; here, a directory that does not exist) a zstd save must stop before streaming,
 * and verify or restore must not call a sound snapshot damaged.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CompressionUnavailableIT {
  private static final Map<String, String> NO_TMPDIR =
      Map.of("LIFEBOAT_JAVA_OPTS", "-Djava.io.tmpdir=/nonexistent/lifeboat-tmp");

  @TempDir Path dir;

  @Test
  void zstdThatCannotLoad_isASettingError_forSaveVerifyAndRestore() throws IOException {
    try (EtcdCluster cluster = EtcdCluster.builder().version(EtcdVersion.V3_5).name("zstd-unavailable").start()) {
      cluster.etcdctl("put", "/registry/a", "b").requireSuccess();
      Path snapshots = dir.resolve("snapshots");

      CommandResult refused = LifeboatProcess.run(NO_TMPDIR, "--endpoints", cluster.endpoints(), "snapshot", "save",
          "--dir", snapshots.toString(), "--name", "z");

      assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(2);
      assertThat(refused.stderr().strip().lines()).singleElement().asString()
          .startsWith("Error: zstd's native library cannot be loaded from java.io.tmpdir (/nonexistent/lifeboat-tmp)")
          .contains("LIFEBOAT_JAVA_OPTS=-Djava.io.tmpdir=DIR");
      // Refused before streaming: nothing was written.
      assertThat(refused.stderr() + refused.stdout()).doesNotContain("Streaming from member");
      assertThat(list(snapshots)).isEmpty();

      CommandResult saved = LifeboatProcess.run("--endpoints", cluster.endpoints(), "snapshot", "save",
          "--dir", snapshots.toString(), "--name", "z");
      assertThat(saved.exitCode()).as(saved.stderr()).isZero();

      CommandResult verify = LifeboatProcess.run(NO_TMPDIR, "snapshot", "verify", "z", "--dir", snapshots.toString());
      assertThat(verify.exitCode()).as("not 3: the snapshot is sound").isEqualTo(2);
      assertThat(verify.stdout()).doesNotContain("FAILED");

      Path dataDir = dir.resolve("restore").resolve("m1.etcd");
      CommandResult restore = LifeboatProcess.run(NO_TMPDIR, "snapshot", "restore", "z", "--dir", snapshots.toString(),
          "--data-dir", dataDir.toString());
      assertThat(restore.exitCode()).isEqualTo(2);
      assertThat(dataDir).doesNotExist();
    }
  }

  private static java.util.List<String> list(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return java.util.List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
