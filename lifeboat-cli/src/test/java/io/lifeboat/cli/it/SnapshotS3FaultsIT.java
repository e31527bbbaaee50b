package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testkit.CertificateAuthority;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.FaultyProxy;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import io.lifeboat.testkit.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapshot save --s3} through faults and TLS, from the command line: a fault-injecting proxy
 * in front of the real S3 server, and the S3 server behind HTTPS with a private CA.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SnapshotS3FaultsIT {
  private static final String BUCKET = "lifeboat-faults";
  private static EtcdCluster etcd;

  @TempDir Path dir;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdCluster.builder().version(EtcdVersion.V3_5).name("s3-faults").start();
    new KubernetesLikeLoader(etcd.client()).load(LoadSpec.bytes(24L << 20));
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  private static String[] save(Path snapshots, String name, String endpoint, S3Server s3, String... extra) {
    List<String> args = new ArrayList<>(List.of("--endpoints", etcd.endpoints(), "snapshot", "save", "--dir",
        snapshots.toString(), "--name", name, "--s3", "--s3-endpoint", endpoint, "--bucket-name", BUCKET,
        "--region", s3.region(), "--access-key", s3.accessKey(), "--secret-key", s3.secretKey()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void transientServerErrorsAndResets_areRetried_andTheUploadedObjectMatchesItsMetadata() throws IOException {
    try (S3Server s3 = S3Server.start(); FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      s3.createBucket(BUCKET);
      proxy.inject(FaultyProxy.Fault.status(503), 2, line -> line.startsWith("PUT "));
      proxy.inject(FaultyProxy.Fault.reset(), 1, line -> line.startsWith("PUT "));
      Path snapshots = dir.resolve("snapshots");

      CommandResult result = LifeboatProcess.run(save(snapshots, "flaky", proxy.endpoint().toString(), s3,
          "-w", "json"));

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      JsonNode metadata = EtcdViews.parse(result.stdout());
      Path uploaded = objectIn(s3, metadata.path("file").asText());
      assertThat(Digests.sha256(uploaded)).isEqualTo(metadata.path("sha256").asText());
      assertThat(Digests.sha256(snapshots.resolve(metadata.path("file").asText()))).isEqualTo(metadata.path("sha256").asText());
      assertThat(objectIn(s3, "flaky.json")).isRegularFile();
      assertThat(result.stdout() + result.stderr()).doesNotContain(s3.secretKey());
    }
  }

  @Test
  void anUploadThatKeepsFailing_exitsOne_keepsTheLocalSnapshot_andLeavesNoCompleteLookingObject() throws IOException {
    try (S3Server s3 = S3Server.start(); FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      s3.createBucket(BUCKET);
      // The bucket check passes; every write fails.
      proxy.inject(FaultyProxy.Fault.status(500), 10_000, line -> line.startsWith("PUT ") || line.startsWith("POST "));
      Path snapshots = dir.resolve("snapshots");

      CommandResult result = LifeboatProcess.run(save(snapshots, "doomed", proxy.endpoint().toString(), s3));

      assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
      assertThat(result.stderr().strip().lines()).last().asString()
          .contains("uploading doomed").contains("the local snapshot").contains("stays in place");
      assertThat(result.stdout() + result.stderr()).doesNotContain(s3.secretKey());
      // Locally complete and sound.
      assertThat(snapshots.resolve("doomed.json")).isRegularFile();
      CommandResult verify = LifeboatProcess.run("snapshot", "verify", "doomed", "--dir", snapshots.toString());
      assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
      // In the bucket: no metadata, so nothing that lists as a snapshot.
      assertThat(objectsIn(s3)).noneMatch(name -> name.equals("doomed.json"));
      CommandResult ls = LifeboatProcess.run("snapshot", "ls", "--dir", snapshots.toString(), "--s3", "--s3-endpoint",
          s3.endpoint().toString(), "--bucket-name", BUCKET, "--region", s3.region(), "--access-key", s3.accessKey(),
          "--secret-key", s3.secretKey());
      assertThat(ls.exitCode()).as(ls.stderr()).isZero();
      assertThat(ls.stdout().lines().filter(l -> l.contains("doomed")).toList()).singleElement().asString()
          .doesNotContain("s3");
    }
  }

  @Test
  void anHttpsEndpointWithAPrivateCa_needsS3EndpointCa_andWorksWithIt() throws IOException {
    CertificateAuthority ca = CertificateAuthority.create("Lifeboat test S3 CA");
    Path caFile = ca.writeCertificate(dir.resolve("s3-ca.pem"));
    try (S3Server s3 = S3Server.startTls(ca)) {
      s3.createBucket(BUCKET);
      Path snapshots = dir.resolve("snapshots");

      CommandResult untrusted = LifeboatProcess.run(save(snapshots, "untrusted", s3.endpoint().toString(), s3));
      assertThat(untrusted.exitCode()).isEqualTo(2);
      assertThat(untrusted.stderr().strip().lines()).hasSize(1);
      assertThat(untrusted.stderr()).containsIgnoringCase("certificate").contains("--s3-endpoint-ca");
      assertThat(snapshots.resolve("untrusted.json")).doesNotExist();

      CommandResult trusted = LifeboatProcess.run(save(snapshots, "trusted", s3.endpoint().toString(), s3,
          "--s3-endpoint-ca", caFile.toString(), "-w", "json"));
      assertThat(trusted.exitCode()).as(trusted.stderr()).isZero();
      JsonNode metadata = EtcdViews.parse(trusted.stdout());
      assertThat(Digests.sha256(objectIn(s3, metadata.path("file").asText()))).isEqualTo(metadata.path("sha256").asText());
    }
  }

  @Test
  void ctrlCDuringTheUpload_abortsIt_exits130_andKeepsTheLocalSnapshot() throws Exception {
    try (S3Server s3 = S3Server.start(); FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      s3.createBucket(BUCKET);
      // Parts reach the server late, so the upload is surely under way when the signal comes.
      proxy.inject(FaultyProxy.Fault.delay(Duration.ofSeconds(2)), 10_000, line -> line.contains("partNumber="));
      Path snapshots = dir.resolve("snapshots");
      String[] args = save(snapshots, "interrupted", proxy.endpoint().toString(), s3, "--compress", "none");
      Process process = LifeboatProcess.start(Map.of(), args);

      Instant deadline = Instant.now().plusSeconds(120);
      while (objectsIn(s3).isEmpty() && process.isAlive() && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      assertThat(objectsIn(s3)).as("an upload in progress").isNotEmpty();
      signal(process, "INT");
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      CommandResult result = LifeboatProcess.result(process, args);

      assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(130);
      assertThat(result.stderr().strip().lines()).last().asString()
          .contains("uploading interrupted").contains("interrupted").contains("stays in place");
      // Nothing in the bucket: the multipart upload was aborted, its parts are gone, no metadata.
      assertThat(objectsIn(s3)).isEmpty();
      // The local snapshot was complete before the upload began, and stays so.
      CommandResult verify = LifeboatProcess.run("snapshot", "verify", "interrupted", "--dir", snapshots.toString());
      assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    }
  }

  @Test
  void sigtermDuringARestoreFromS3_exits143_andLeavesNoDataDirAndNoTemporaryFiles() throws Exception {
    try (S3Server s3 = S3Server.start(); FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      s3.createBucket(BUCKET);
      Path snapshots = dir.resolve("snapshots");
      CommandResult saved = LifeboatProcess.run(save(snapshots, "wanted", proxy.endpoint().toString(), s3,
          "--compress", "none"));
      assertThat(saved.exitCode()).as(saved.stderr()).isZero();
      // The data object reaches the restore late, so the restore is surely waiting for it.
      proxy.inject(FaultyProxy.Fault.delay(Duration.ofSeconds(3)), 10_000,
          line -> line.startsWith("GET ") && line.contains("/wanted.db"));
      Path restoreDir = Files.createDirectories(dir.resolve("restore"));
      Path dataDir = restoreDir.resolve("m1.etcd");
      String[] args = {"snapshot", "restore", "wanted", "--s3", "--s3-endpoint", proxy.endpoint().toString(),
          "--bucket-name", BUCKET, "--region", s3.region(), "--access-key", s3.accessKey(), "--secret-key",
          s3.secretKey(), "--data-dir", dataDir.toString()};
      Process process = LifeboatProcess.start(Map.of(), args);

      Instant deadline = Instant.now().plusSeconds(60);
      while (proxy.faultedRequestLines().isEmpty() && process.isAlive() && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      assertThat(proxy.faultedRequestLines()).as("the restore asked for the data").isNotEmpty();
      signal(process, "TERM");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      CommandResult result = LifeboatProcess.result(process, args);

      assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(143);
      assertThat(result.stderr().strip().lines()).singleElement().asString().startsWith("Error: ")
          .contains("interrupted");
      try (Stream<Path> left = Files.list(restoreDir)) {
        assertThat(left).as("no data dir, no temporary sibling").isEmpty();
      }
      assertThat(result.stdout() + result.stderr()).doesNotContain(s3.secretKey());
    }
  }

  /** Sends the signal to bin/lifeboat and to the java it runs (a first run of a command is its child). */
  private static void signal(Process process, String signal) throws IOException, InterruptedException {
    List<Long> pids = new ArrayList<>();
    pids.add(process.pid());
    process.toHandle().descendants().forEach(h -> pids.add(h.pid()));
    for (long pid : pids) {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }
  }

  private static Path objectIn(S3Server s3, String file) throws IOException {
    try (Stream<Path> files = Files.walk(s3.dataDir().resolve(BUCKET))) {
      return files.filter(p -> p.getFileName().toString().equals(file)).findFirst()
          .orElseThrow(() -> new AssertionError(file + " not in the bucket: " + objectsIn(s3)));
    }
  }

  private static List<String> objectsIn(S3Server s3) {
    try (Stream<Path> files = Files.walk(s3.dataDir().resolve(BUCKET))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
