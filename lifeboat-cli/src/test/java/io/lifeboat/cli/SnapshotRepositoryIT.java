package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.StoredObject;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.S3SnapshotStore;
import io.lifeboat.repository.s3.Secret;
import io.lifeboat.testkit.S3Server;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management commands against a real S3 server (S3Proxy from the test kit), run in-process:
 * snapshots put into the bucket the way a save does are listed, verified, pruned and deleted.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SnapshotRepositoryIT {
  private static final String BUCKET = "lifeboat-it";
  private static final String FOLDER = "cluster-a";
  private static S3Server server;

  @TempDir Path emptyDir;

  @BeforeAll
  static void startServer() {
    server = S3Server.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void lsVerifyPruneDelete_snapshotsInTheBucket() throws IOException {
    S3Config config = S3Config.forBucket(BUCKET).withEndpoint(server.endpoint()).withRegion(server.region())
        .withFolder(FOLDER).withCredentials(server.accessKey(), Secret.of(server.secretKey()));
    try (S3SnapshotStore store = S3SnapshotStore.open(config)) {
      StoredSnapshots.put(store, "etcd-snapshot-2026-11-24T12-00-00Z", Instant.parse("2026-11-24T12:00:00Z"));
      StoredSnapshots.put(store, "etcd-snapshot-2026-11-25T12-00-00Z", Instant.parse("2026-11-25T12:00:00Z"));

      CliRun ls = cli("snapshot", "ls");
      assertThat(ls.exitCode()).as(ls.stderr()).isZero();
      List<String> rows = ls.stdout().lines().filter(l -> l.contains("etcd-snapshot-")).toList();
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0)).contains("etcd-snapshot-2026-11-25T12-00-00Z").endsWith(" s3 |");
      assertThat(rows.get(1)).contains("etcd-snapshot-2026-11-24T12-00-00Z").endsWith(" s3 |");

      CliRun verify = cli("snapshot", "verify", "etcd-snapshot-2026-11-25T12-00-00Z");
      assertThat(verify.exitCode()).as(verify.stderr()).isZero();
      assertThat(verify.stdout()).contains("in s3 (s3://" + BUCKET + "/" + FOLDER + "/")
          .contains("stored sha256   ok").contains("OK: etcd-snapshot-2026-11-25T12-00-00Z passed every check")
          .doesNotContain(server.secretKey());

      CliRun prune = cli("snapshot", "prune", "--retention", "1");
      assertThat(prune.exitCode()).as(prune.stderr()).isZero();
      assertThat(prune.stdout()).contains("Deleted etcd-snapshot-2026-11-24T12-00-00Z")
          .doesNotContain("Deleted etcd-snapshot-2026-11-25T12-00-00Z");
      assertThat(keys(store)).containsExactlyInAnyOrder("etcd-snapshot-2026-11-25T12-00-00Z.db",
          "etcd-snapshot-2026-11-25T12-00-00Z.json");

      CliRun delete = cli("snapshot", "delete", "etcd-snapshot-2026-11-25T12-00-00Z");
      assertThat(delete.exitCode()).as(delete.stderr()).isZero();
      assertThat(delete.stdout().lines().toList()).containsExactly(
          "Deleted etcd-snapshot-2026-11-25T12-00-00Z.json from s3 (" + config.location() + ")",
          "Deleted etcd-snapshot-2026-11-25T12-00-00Z.db from s3 (" + config.location() + ")");
      assertThat(keys(store)).isEmpty();
      assertThat(store.exists(new SnapshotName("etcd-snapshot-2026-11-25T12-00-00Z"), ObjectKind.METADATA)).isFalse();
    }
  }

  @Test
  void ls_wrongSecretKey_exits2WithoutPrintingIt() {
    CliRun run = CliRun.of("snapshot", "ls", "--dir", emptyDir.toString(), "--s3", "--s3-endpoint",
        server.endpoint().toString(), "--bucket-name", BUCKET, "--access-key", server.accessKey(), "--secret-key",
        "not-the-secret-xyz");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("Error: ").doesNotContain("not-the-secret-xyz");
  }

  private CliRun cli(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--dir", emptyDir.toString(), "--s3", "--s3-endpoint", server.endpoint().toString(),
        "--bucket-name", BUCKET, "--region", server.region(), "--folder", FOLDER, "--access-key", server.accessKey(),
        "--secret-key", server.secretKey()));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static List<String> keys(S3SnapshotStore store) throws IOException {
    return store.list().stream().map(StoredObject::fileName).toList();
  }
}
