package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import io.lifeboat.testkit.S3Server;
import io.lifeboat.testkit.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lifeboat server} as operators run it: the launcher, real etcd, the real S3 server, signals,
 * and the HTTP API over a socket.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerIT {
  private static final String BUCKET = "lifeboat-server-it";
  private static final String TOKEN = "s3cr3t-api-token-of-the-test";

  @TempDir Path dir;

  @Test
  void twoSecondInterval_retentionThree_prunesLocallyAndInS3_andMetricsMatchTheLog() throws IOException {
    try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_5).tls(true).name("server-interval").start();
        S3Server s3 = S3Server.start()) {
      s3.createBucket(BUCKET);
      new KubernetesLikeLoader(etcd.client()).load(LoadSpec.keys(300));
      Path snapshots = dir.resolve("snapshots");
      int port = EtcdCluster.freeLoopbackPort();
      TlsFiles tls = etcd.tls().orElseThrow();
      Path config = write("lifeboat.yml", String.join("\n",
          "etcd:",
          "  endpoints: " + etcd.endpoints(),
          "  cacert: " + tls.caCert(),
          "  cert: " + tls.clientCert(),
          "  key: " + tls.clientKey(),
          "schedule:",
          "  every: 2s",
          "  retryBackoff: 1s",
          "retention: 3",
          "storage:",
          "  dir: " + snapshots,
          "  s3:",
          "    endpoint: " + s3.endpoint(),
          "    bucketName: " + BUCKET,
          "    region: " + s3.region(),
          "    folder: cluster-a",
          "    accessKey: " + s3.accessKey(),
          "    secretKey: " + s3.secretKey(),
          "http:",
          "  listen: 127.0.0.1:" + port,
          "  tokenFile: " + write("token", TOKEN + "\n"),
          "election:",
          "  enabled: false",
          ""));
      try (ServerProcess server = ServerProcess.start(dir.resolve("server.log"), port, Map.of(), "server", "--config",
          config.toString())) {
        List<String> started = server.awaitCount("Initializing Rolling Backups", 1, Duration.ofSeconds(30));
        assertThat(String.join("\n", started)).contains("creation=2s").contains("retention=\"keep the newest 3\"");
        server.awaitCount("Created backup", 5, Duration.ofSeconds(90));
        server.awaitCount("Removed expired backup", 4, Duration.ofSeconds(30));

        long createdBefore = server.count("Created backup");
        long removedLocalBefore = server.count("location=local");
        String metrics = server.get("/metrics", Optional.empty()).body();
        long createdAfter = server.count("Created backup");
        assertThat(metric(metrics, "lifeboat_snapshots_taken_total{location=\"local\"}"))
            .isBetween((double) createdBefore, (double) createdAfter);
        assertThat(metric(metrics, "lifeboat_snapshots_taken_total{location=\"s3\"}"))
            .isBetween((double) createdBefore, (double) createdAfter);
        assertThat(metric(metrics, "lifeboat_snapshots_failed_total{location=\"local\"}")).isZero();
        assertThat(metric(metrics, "lifeboat_upload_failures_total{location=\"s3\"}")).isZero();
        assertThat(metric(metrics, "lifeboat_retention_deletions_total{location=\"local\"}"))
            .isGreaterThanOrEqualTo(createdBefore - 4.0).isLessThanOrEqualTo(createdAfter - 3.0);
        assertThat(metric(metrics, "lifeboat_upload_bytes_total{location=\"s3\"}")).isPositive();
        assertThat(metric(metrics, "lifeboat_snapshot_duration_seconds_count")).isBetween((double) createdBefore,
            (double) createdAfter);
        assertThat(metric(metrics, "lifeboat_snapshot_last_success_timestamp_seconds"))
            .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(10.0));
        assertThat(metric(metrics, "lifeboat_snapshot_revision")).isPositive();
        assertThat(metric(metrics, "lifeboat_leader")).isEqualTo(1.0);
        assertThat(removedLocalBefore).isPositive();

        assertThat(server.get("/readyz", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(server.terminate(Duration.ofSeconds(60))).isZero();

        // Exactly the three newest snapshots the log names remain, locally and in the bucket.
        List<String> created = names(server.lines(), "Created backup");
        List<String> newestThree = created.subList(created.size() - 3, created.size());
        assertThat(snapshotNames(snapshots)).containsExactlyInAnyOrderElementsOf(newestThree);
        assertThat(snapshotNames(s3.dataDir().resolve(BUCKET).resolve("cluster-a")))
            .containsExactlyInAnyOrderElementsOf(newestThree);
        try (Stream<Path> files = Files.list(snapshots)) {
          assertThat(files).allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
              .isEqualTo("rw-------"));
        }
        assertThat(String.join("\n", server.lines())).doesNotContain(s3.secretKey()).doesNotContain(TOKEN);

        CommandResult verify = LifeboatProcess.run("snapshot", "verify", newestThree.get(2), "--dir",
            snapshots.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
      }
    }
  }

  @Test
  void api_requiresTheToken_takesSnapshotsOnDemand_andServesHealthReadinessMetrics() throws IOException {
    try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_4).name("server-api").start()) {
      new KubernetesLikeLoader(etcd.client()).load(LoadSpec.keys(200));
      Path snapshots = dir.resolve("snapshots");
      int port = EtcdCluster.freeLoopbackPort();
      Map<String, String> env = Map.of(
          "ETCDCTL_ENDPOINTS", etcd.endpoints(),
          "EMBEDDED_BACKUPS", "false",
          "LIFEBOAT_SNAPSHOT_DIR", snapshots.toString(),
          "LIFEBOAT_ELECTION", "false",
          "LIFEBOAT_COMPRESS", "none");
      try (ServerProcess server = ServerProcess.start(dir.resolve("server.log"), port, env, "server",
          "--listen", "127.0.0.1:" + port, "--token-file", write("token", TOKEN).toString(), "--log-format", "json")) {
        server.awaitListening(Duration.ofSeconds(30));
        assertThat(server.get("/healthz", Optional.empty()).statusCode()).isEqualTo(200);
        HttpResponse<String> none = server.get("/api/v1/snapshots", Optional.empty());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEmpty();
        HttpResponse<String> wrong = server.post("/api/v1/snapshots", Optional.of("not-the-token"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEmpty();
        assertThat(snapshots.toFile().list()).isNullOrEmpty();
        // What a save killed with -9 leaves: removed before the next snapshot.
        Files.createDirectories(snapshots);
        Path abandoned = snapshots.resolve(".old.db.lifeboat-tmp-4194321-0a0b0c");
        Files.writeString(abandoned, "half a snapshot");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(7200)));

        HttpResponse<String> taken = server.post("/api/v1/snapshots", Optional.of(TOKEN));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
        JsonNode metadata = EtcdViews.parse(taken.body());
        String name = metadata.path("name").asText();
        assertThat(taken.headers().firstValue("Location")).contains("/api/v1/snapshots/" + name);
        assertThat(snapshots.resolve(name + ".db")).isRegularFile();
        assertThat(abandoned).doesNotExist();
        assertThat(server.count("Removed a temporary file abandoned by a killed save")).isEqualTo(1);
        assertThat(metadata.path("sha256").asText()).isEqualTo(Digests.sha256(snapshots.resolve(name + ".db")));
        long revision = EtcdViews.parse(etcd.etcdctl("endpoint", "status", "-w", "json").requireSuccess().stdout())
            .get(0).path("Status").path("header").path("revision").asLong();
        assertThat(metadata.path("etcd").path("revision").asLong()).isEqualTo(revision);

        HttpResponse<String> one = server.get("/api/v1/snapshots/" + name, Optional.of(TOKEN));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(EtcdViews.parse(one.body()).path("sha256").asText()).isEqualTo(metadata.path("sha256").asText());
        HttpResponse<String> list = server.get("/api/v1/snapshots", Optional.of(TOKEN));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(EtcdViews.parse(list.body()).path("snapshots")).hasSize(1);
        assertThat(server.get("/api/v1/snapshots/nope", Optional.of(TOKEN)).statusCode()).isEqualTo(404);
        assertThat(server.get("/readyz", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(metric(server.get("/metrics", Optional.empty()).body(),
            "lifeboat_snapshots_taken_total{location=\"local\"}")).isEqualTo(1.0);

        // JSON log lines, one object each, naming the snapshot; never the token.
        List<String> lines = server.awaitCount("Created backup", 1, Duration.ofSeconds(5));
        assertThat(lines).filteredOn(l -> l.contains("Created backup")).singleElement()
            .satisfies(l -> assertThat(EtcdViews.parse(l).path("name").asText()).isEqualTo(name));
        assertThat(String.join("\n", lines)).doesNotContain(TOKEN);
        assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
      }
      // Without a token file, only explicitly and only on loopback.
      int open = EtcdCluster.freeLoopbackPort();
      try (ServerProcess server = ServerProcess.start(dir.resolve("open.log"), open, env, "server",
          "--listen", "127.0.0.1:" + open, "--no-auth-on-loopback")) {
        server.awaitListening(Duration.ofSeconds(30));
        assertThat(server.get("/api/v1/snapshots", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
      }
      CommandResult refused = LifeboatProcess.run(env, "server", "--listen", "0.0.0.0:" + open,
          "--no-auth-on-loopback");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.stderr()).contains("loopback");
    }
  }

  @Test
  void etcdUnreachable_failuresAreRetriedCountedAndReported_andReadinessFails() throws IOException {
    int port = EtcdCluster.freeLoopbackPort();
    String deadEndpoint = "http://127.0.0.1:" + EtcdCluster.freeLoopbackPort();
    Map<String, String> env = Map.of("LIFEBOAT_ENDPOINTS", deadEndpoint, "LIFEBOAT_SCHEDULE", "3s",
        "LIFEBOAT_RETRY_BACKOFF", "500ms", "LIFEBOAT_ATTEMPTS", "2", "LIFEBOAT_DIAL_TIMEOUT", "5s",
        "LIFEBOAT_SNAPSHOT_DIR", dir.resolve("snapshots").toString(), "LIFEBOAT_ELECTION", "false",
        "LIFEBOAT_LISTEN", "127.0.0.1:" + port, "LIFEBOAT_MAX_SNAPSHOT_AGE", "1s");
    // The global flag, given explicitly, overrides the variable.
    try (ServerProcess server = ServerProcess.start(dir.resolve("server.log"), port, env, "--dial-timeout",
        "700ms", "server")) {
      List<String> lines = server.awaitCount("Failed to create backup", 2, Duration.ofSeconds(30));
      assertThat(lines).filteredOn(l -> l.contains("Failed to create backup")).first().asString()
          .contains("level=error").contains("attempt=1 attempts=2").contains(deadEndpoint).contains("retry=\"in 500ms\"")
          .contains("700ms dial timeout");
      assertThat(lines).anyMatch(l -> l.contains("attempt=2 attempts=2") && l.contains("retry=no"));
      assertThat(metric(server.get("/metrics", Optional.empty()).body(),
          "lifeboat_snapshots_failed_total{location=\"local\"}")).isGreaterThanOrEqualTo(2.0);
      HttpResponse<String> ready = server.get("/readyz", Optional.empty());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("etcd:").contains(deadEndpoint);
      assertThat(server.get("/healthz", Optional.empty()).statusCode()).isEqualTo(200);
      assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
    }
    assertThat(dir.resolve("snapshots").toFile().list()).isNullOrEmpty();
  }

  @Test
  void configWithSeveralProblems_reportsEachOnItsOwnLine() throws IOException {
    Path config = write("several.yml", "etcd:\n  endpoint: http://x\nschedule:\n  every: 5 minutes\nretention: forever\n");
    CommandResult result = LifeboatProcess.run("server", "--config", config.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().strip().lines().toList()).satisfiesExactly(
        l -> assertThat(l).startsWith("Error: ").contains("several.yml:2").contains("'etcd.endpoint'"),
        l -> assertThat(l).startsWith("Error: ").contains("several.yml:4").contains("'schedule.every'"),
        l -> assertThat(l).startsWith("Error: ").contains("several.yml:5").contains("'retention'"));
  }

  @Test
  void zstdThatCannotLoad_failsAtStartWithOneLine_notAtTheFirstSnapshot() throws IOException {
    Path snapshots = dir.resolve("zstd-snapshots");
    Path config = write("zstd.yml", String.join("\n",
        "etcd:",
        "  endpoints: [http://127.0.0.1:" + EtcdCluster.freeLoopbackPort() + "]",
        "schedule:",
        "  every: 5m",
        "storage:",
        "  dir: " + snapshots,
        "http:",
        "  listen: 127.0.0.1:" + EtcdCluster.freeLoopbackPort(),
        "election:",
        "  enabled: false",
        ""));
    CommandResult result = LifeboatProcess.run(Map.of("LIFEBOAT_JAVA_OPTS", "-Djava.io.tmpdir=/nonexistent/lifeboat-tmp"),
        "server", "--config", config.toString());

    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(2);
    assertThat(result.stderr().strip().lines()).singleElement().asString()
        .startsWith("Error: zstd's native library cannot be loaded from java.io.tmpdir (/nonexistent/lifeboat-tmp)");
  }

  @Test
  void configWithAnUnknownKey_failsAtStartWithFileLineAndKey() throws IOException {
    Path config = write("lifeboat.yml", "etcd:\n  endpoints: [http://127.0.0.1:2379]\nschedule:\n  evry: 5m\n");
    CommandResult result = LifeboatProcess.run("server", "--config", config.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().strip().lines()).hasSize(1);
    assertThat(result.stderr()).contains("lifeboat.yml:4").contains("evry");
  }

  @Test
  void twoReplicas_onlyTheLeaderSnapshots_andKillingItHandsOverWithinTheLeaseTtl() throws IOException {
    try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_5).members(3).name("server-ha").start()) {
      Map<String, String> common = Map.of(
          "LIFEBOAT_ENDPOINTS", etcd.endpoints(),
          "LIFEBOAT_SCHEDULE", "2s",
          "LIFEBOAT_RETENTION", "10",
          "LIFEBOAT_LEASE_TTL", "3s",
          "LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", "true");
      int portA = EtcdCluster.freeLoopbackPort();
      int portB = EtcdCluster.freeLoopbackPort();
      try (ServerProcess a = ServerProcess.start(dir.resolve("a.log"), portA, with(common, "LIFEBOAT_SNAPSHOT_DIR",
              dir.resolve("a").toString(), "LIFEBOAT_LISTEN", "127.0.0.1:" + portA), "server");
          ServerProcess b = ServerProcess.start(dir.resolve("b.log"), portB, with(common, "LIFEBOAT_SNAPSHOT_DIR",
              dir.resolve("b").toString(), "LIFEBOAT_LISTEN", "127.0.0.1:" + portB), "server")) {
        a.awaitListening(Duration.ofSeconds(30));
        b.awaitListening(Duration.ofSeconds(30));
        awaitEither(a, b, "Elected leader", Duration.ofSeconds(30));
        ServerProcess leader = a.count("Elected leader") > 0 ? a : b;
        ServerProcess follower = leader == a ? b : a;
        leader.awaitCount("Created backup", 3, Duration.ofSeconds(30));
        assertThat(follower.count("Created backup")).isZero();
        assertThat(follower.count("Elected leader")).isZero();
        assertThat(metric(leader.get("/metrics", Optional.empty()).body(), "lifeboat_leader")).isEqualTo(1.0);
        assertThat(metric(follower.get("/metrics", Optional.empty()).body(), "lifeboat_leader")).isZero();

        Instant killed = Instant.now();
        leader.kill();
        List<String> lines = follower.awaitCount("Elected leader", 1, Duration.ofSeconds(15));
        Instant elected = timeOf(lines, "Elected leader");
        assertThat(Duration.between(killed, elected)).isLessThanOrEqualTo(Duration.ofSeconds(3 + 2));
        follower.awaitCount("Created backup", 1, Duration.ofSeconds(15));
        assertThat(follower.terminate(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  @Test
  void sigtermDuringASnapshot_letsItFinish_andLeavesOnlyCompleteSnapshots() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_5).name("server-sigterm").start()) {
      new KubernetesLikeLoader(etcd.client()).load(LoadSpec.bytes(120L << 20));
      Path snapshots = dir.resolve("snapshots");
      int port = EtcdCluster.freeLoopbackPort();
      Map<String, String> env = Map.of("LIFEBOAT_ENDPOINTS", etcd.endpoints(), "LIFEBOAT_SNAPSHOTS_ENABLED", "false",
          "LIFEBOAT_SNAPSHOT_DIR", snapshots.toString(), "LIFEBOAT_ELECTION", "false",
          "LIFEBOAT_LISTEN", "127.0.0.1:" + port, "LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", "true");
      try (ServerProcess server = ServerProcess.start(dir.resolve("server.log"), port, env, "server")) {
        server.awaitListening(Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(
            () -> server.post("/api/v1/snapshots", Optional.empty()));
        // SIGTERM while the stream is being written under its temporary name.
        Instant deadline = Instant.now().plusSeconds(30);
        while (temporaryFiles(snapshots).isEmpty() && Instant.now().isBefore(deadline)) {
          ServerProcess.pause(20);
        }
        assertThat(temporaryFiles(snapshots)).as("a snapshot in progress").isNotEmpty();
        int exit = server.terminate(Duration.ofSeconds(120));
        assertThat(exit).as(String.join("\n", server.lines())).isZero();
        assertThat(request.join().statusCode()).isEqualTo(201);
        assertThat(server.count("Received signal")).isEqualTo(1);
      }
      assertThat(temporaryFiles(snapshots)).isEmpty();
      List<String> names = snapshotNames(snapshots);
      assertThat(names).hasSize(1);
      CommandResult verify = LifeboatProcess.run("snapshot", "verify", names.get(0), "--dir", snapshots.toString());
      assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();

      // With no grace at all the snapshot is cut short (or, if it ends while the listener drains, stored
      // whole): nothing half-written is left either way, and the exit is 0.
      try (ServerProcess server = ServerProcess.start(dir.resolve("server-nograce.log"), port, env, "server",
          "--shutdown-grace", "0s")) {
        server.awaitListening(Duration.ofSeconds(30));
        CompletableFuture.runAsync(() -> {
          try {
            server.post("/api/v1/snapshots", Optional.empty());
          } catch (UncheckedIOException e) {
            // the connection ends with the server
          }
        });
        Instant deadline = Instant.now().plusSeconds(30);
        while (temporaryFiles(snapshots).isEmpty() && Instant.now().isBefore(deadline)) {
          ServerProcess.pause(20);
        }
        assertThat(temporaryFiles(snapshots)).as("a snapshot in progress").isNotEmpty();
        assertThat(server.terminate(Duration.ofSeconds(60))).as(String.join("\n", server.lines())).isZero();
        assertThat(temporaryFiles(snapshots)).isEmpty();
        List<String> after = snapshotNames(snapshots);
        if (after.equals(names)) {
          assertThat(server.count("Stopped while a snapshot was still running")).isEqualTo(1);
        } else {
          assertThat(after).hasSize(2).containsAll(names);
          assertThat(server.count("Stopped while a snapshot was still running")).isZero();
          String added = after.stream().filter(n -> !names.contains(n)).findFirst().orElseThrow();
          CommandResult whole = LifeboatProcess.run("snapshot", "verify", added, "--dir", snapshots.toString());
          assertThat(whole.exitCode()).as(whole.stdout() + whole.stderr()).isZero();
        }
      }
    }
  }

  @Test
  void rkeClusterYml_withRancherPeriod_writesRkeNamedZips_andKeepsTheRetentionCount() throws IOException {
    try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_4).tls(true).name("server-rke").start()) {
      TlsFiles tls = etcd.tls().orElseThrow();
      Path cluster = write("cluster.yml", String.join("\n",
          "nodes:",
          "  - address: 10.0.0.11",
          "    internal_address: 127.0.0.1",
          "    user: ubuntu",
          "    role: [controlplane, etcd, worker]",
          "services:",
          "  etcd:",
          "    backup_config:",
          "      interval_hours: 12",
          "      retention: 2",
          "  kube-api:",
          "    service_cluster_ip_range: 10.43.0.0/16",
          "network:",
          "  plugin: canal",
          ""));
      Path snapshots = dir.resolve("rke-snapshots");
      int port = EtcdCluster.freeLoopbackPort();
      // RKE's endpoint (https://<address>:2379) and certificate paths are for the node; the test's etcd
      // listens elsewhere, as LIFEBOAT_* overrides let an operator say.
      Map<String, String> env = Map.of("LIFEBOAT_ENDPOINTS", etcd.endpoints(), "LIFEBOAT_CACERT",
          tls.caCert().toString(), "LIFEBOAT_CERT", tls.clientCert().toString(), "LIFEBOAT_KEY",
          tls.clientKey().toString(), "BACKUP_PERIOD", "2s", "LIFEBOAT_SNAPSHOT_DIR", snapshots.toString(),
          "LIFEBOAT_ELECTION", "false", "LIFEBOAT_LISTEN", "127.0.0.1:" + port);
      try (ServerProcess server = ServerProcess.start(dir.resolve("server.log"), port, env, "server",
          "--rke-config", cluster.toString())) {
        server.awaitCount("Created backup", 4, Duration.ofSeconds(60));
        assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
        List<String> created = names(server.lines(), "Created backup");
        assertThat(created).allMatch(n -> n.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z_etcd"));
        List<String> kept = created.subList(created.size() - 2, created.size());
        assertThat(snapshotNames(snapshots)).containsExactlyInAnyOrderElementsOf(kept);
        // RKE's layout: <name>.zip holding the raw snapshot as /backup/<name>.
        try (ZipFile zip = new ZipFile(snapshots.resolve(kept.get(1) + ".zip").toFile())) {
          assertThat(zip.stream().map(e -> e.getName()).toList()).containsExactly("/backup/" + kept.get(1));
        }
      }
    }
  }

  private static void awaitEither(ServerProcess a, ServerProcess b, String needle, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (a.count(needle) + b.count(needle) == 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("neither replica logged '" + needle + "':\n" + String.join("\n", a.lines()) + "\n--\n"
            + String.join("\n", b.lines()));
      }
      ServerProcess.pause(100);
    }
  }

  private static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> m = new java.util.HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static Instant timeOf(List<String> lines, String needle) {
    String line = lines.stream().filter(l -> l.contains(needle)).findFirst().orElseThrow();
    Matcher m = Pattern.compile("time=(\\S+)").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Instant.parse(m.group(1));
  }

  /** The {@code name=} of each log line containing {@code needle}, in order. */
  private static List<String> names(List<String> lines, String needle) {
    Pattern name = Pattern.compile(" name=(\\S+)");
    return lines.stream().filter(l -> l.contains(needle)).map(l -> {
      Matcher m = name.matcher(l);
      assertThat(m.find()).as(l).isTrue();
      return m.group(1);
    }).toList();
  }

  /** Snapshots (names with a {@code .json}) in a directory. */
  private static List<String> snapshotNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    }
  }

  private static List<Path> temporaryFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double metric(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
        .orElseThrow(() -> new AssertionError("no " + series + " in:\n" + scrape));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
