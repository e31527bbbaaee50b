package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadResult;
import io.lifeboat.testkit.LoadSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Snapshots taken by real etcd 3.4 and 3.5 from the loader's data, small and about 200 MB:
 * {@code bin/lifeboat snapshot status} must print exactly etcdctl's numbers, and damaged copies
 * must fail with exit code 3 and one line.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SnapshotStatusIT {
  private static final Pattern FIELD = Pattern.compile("\"(hash|revision|totalKey|totalSize)\":(\\d+)");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void status_smallAndLargeSnapshots_equalEtcdctlFieldByField(EtcdVersion version) throws IOException {
    try (EtcdCluster cluster = EtcdCluster.builder().version(version).members(1)
        .name("status-" + version.displayName()).start()) {
      KubernetesLikeLoader loader = new KubernetesLikeLoader(cluster.client());
      LoadResult small = loader.load(LoadSpec.keys(3000));
      Path smallSnapshot = save(cluster, "small.db");
      assertStatusEqualsEtcdctl(cluster, smallSnapshot, small.revision());

      LoadResult large = loader.load(LoadSpec.bytes(200L << 20).withSeed(7));
      Path largeSnapshot = save(cluster, "large.db");
      assertThat(Files.size(largeSnapshot)).isGreaterThan(150L << 20);
      assertStatusEqualsEtcdctl(cluster, largeSnapshot, large.revision());

      assertDamagedCopiesFail(largeSnapshot);
    }
  }

  private Path save(EtcdCluster cluster, String name) {
    Path file = dir.resolve(name);
    cluster.etcdctl("snapshot", "save", file.toString()).requireSuccess();
    return file;
  }

  private void assertStatusEqualsEtcdctl(EtcdCluster cluster, Path snapshot, long loadedRevision) {
    CommandResult upstream = cluster.version() == EtcdVersion.V3_4
        ? cluster.etcdctl("snapshot", "status", "-w", "json", snapshot.toString()).requireSuccess()
        : cluster.etcdutl("snapshot", "status", "-w", "json", snapshot.toString()).requireSuccess();
    CommandResult ours = LifeboatProcess.run("snapshot", "status", "-w", "json", snapshot.toString());
    assertThat(ours.exitCode()).as("lifeboat stderr: %s", ours.stderr()).isZero();

    Map<String, Long> expected = fields(upstream.stdout());
    assertThat(expected).hasSize(4);
    assertThat(fields(ours.stdout())).isEqualTo(expected);
    assertThat(expected.get("revision")).isEqualTo(loadedRevision);
    assertThat(ours.stdout()).contains("\"sha256Trailer\":\"valid\"");

    CommandResult skip = LifeboatProcess.run("snapshot", "status", "--skip-hash-check", "-w", "json", snapshot.toString());
    assertThat(fields(skip.stdout())).isEqualTo(expected);

    CommandResult table = LifeboatProcess.run("snapshot", "status", snapshot.toString());
    assertThat(table.stdout()).contains(Long.toHexString(expected.get("hash")))
        .contains("valid").contains(cluster.version() == EtcdVersion.V3_4 ? "3.4.0" : "3.5.0");
  }

  private void assertDamagedCopiesFail(Path snapshot) throws IOException {
    Path flipped = Files.copy(snapshot, dir.resolve("flipped.db"));
    long middle = Files.size(flipped) / 2;
    try (RandomAccessFile raf = new RandomAccessFile(flipped.toFile(), "rw")) {
      raf.seek(middle);
      int b = raf.read();
      raf.seek(middle);
      raf.write(b ^ 0x01);
    }
    assertFailsWithOneLine(flipped, "flipped.db: sha256 trailer");

    Path truncated = Files.copy(snapshot, dir.resolve("truncated.db"));
    try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 4096 * 10 - 32);
    }
    assertFailsWithOneLine(truncated, "truncated.db");

    Path notSnapshot = dir.resolve("etcd.conf.yml");
    Files.writeString(notSnapshot, "name: default\ndata-dir: /var/lib/etcd\n".repeat(100));
    assertFailsWithOneLine(notSnapshot, "not a bbolt database");
  }

  private static void assertFailsWithOneLine(Path file, String expected) {
    CommandResult run = LifeboatProcess.run("snapshot", "status", file.toString());
    assertThat(run.exitCode()).as("exit code for %s; stderr %s", file, run.stderr()).isEqualTo(3);
    assertThat(run.stderr()).startsWith("Error: ").contains(expected);
    assertThat(run.stderr().strip().lines()).hasSize(1);
    assertThat(run.stdout()).isEmpty();
  }

  private static Map<String, Long> fields(String json) {
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      out.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
    }
    return out;
  }
}
