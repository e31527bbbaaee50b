package io.lifeboat.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.server.Deletion;
import io.lifeboat.server.TakenSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  private static final Instant CREATED = Instant.parse("2026-11-25T20:00:00Z");

  @Test
  void construction_registersZeroCountersForEveryConfiguredLocation() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    assertThat(lines(metrics)).contains(
        "lifeboat_snapshots_taken_total{location=\"local\"} 0.0",
        "lifeboat_snapshots_taken_total{location=\"s3\"} 0.0",
        "lifeboat_snapshots_failed_total{location=\"local\"} 0.0",
        "lifeboat_snapshots_failed_total{location=\"s3\"} 0.0",
        "lifeboat_retention_deletions_total{location=\"local\"} 0.0",
        "lifeboat_retention_deletions_total{location=\"s3\"} 0.0",
        "lifeboat_upload_failures_total{location=\"s3\"} 0.0",
        "lifeboat_upload_bytes_total{location=\"s3\"} 0.0",
        "lifeboat_snapshot_last_success_timestamp_seconds 0.0",
        "lifeboat_snapshot_next_scheduled_timestamp_seconds 0.0",
        "lifeboat_snapshot_revision 0.0",
        "lifeboat_leader 0.0",
        "lifeboat_snapshot_in_progress 0.0",
        "lifeboat_snapshot_duration_seconds_count 0",
        "lifeboat_snapshot_size_bytes_count 0");
  }

  @Test
  void construction_localOnly_hasNoS3Series() {
    ServerMetrics metrics = new ServerMetrics(List.of("local"));

    assertThat(metrics.scrape())
        .contains("lifeboat_snapshots_taken_total{location=\"local\"} 0.0")
        .doesNotContain("location=\"s3\"")
        .doesNotContain("lifeboat_upload_bytes_total")
        .doesNotContain("lifeboat_upload_failures_total");
  }

  @Test
  void scrape_exportsExactlyTheDocumentedLifeboatNames() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    Set<String> names = lines(metrics).stream()
        .filter(l -> l.startsWith("# TYPE lifeboat_"))
        .map(l -> l.split(" ")[2] + " " + l.split(" ")[3])
        .collect(Collectors.toSet());

    assertThat(names).containsExactlyInAnyOrder(
        "lifeboat_snapshots_taken_total counter",
        "lifeboat_snapshots_failed_total counter",
        "lifeboat_upload_failures_total counter",
        "lifeboat_upload_bytes_total counter",
        "lifeboat_retention_deletions_total counter",
        "lifeboat_snapshot_last_success_timestamp_seconds gauge",
        "lifeboat_snapshot_next_scheduled_timestamp_seconds gauge",
        "lifeboat_snapshot_revision gauge",
        "lifeboat_leader gauge",
        "lifeboat_snapshot_in_progress gauge",
        "lifeboat_snapshot_duration_seconds histogram",
        "lifeboat_snapshot_duration_seconds_max gauge",
        "lifeboat_snapshot_size_bytes histogram",
        "lifeboat_snapshot_size_bytes_max gauge");
  }

  @Test
  void scrape_includesCheapJvmAndProcessMeters() {
    assertThat(lines(new ServerMetrics(List.of("local"))))
        .anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"))
        .anyMatch(l -> l.startsWith("process_uptime_seconds "))
        .anyMatch(l -> l.startsWith("system_cpu_count "));
  }

  @Test
  void snapshotTaken_countsEveryLocationAndSetsTheGaugesAndHistograms() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    metrics.snapshotTaken(taken(List.of("local", "s3"), Map.of(), 5_000, Duration.ofSeconds(3)));

    assertThat(lines(metrics)).contains(
        "lifeboat_snapshots_taken_total{location=\"local\"} 1.0",
        "lifeboat_snapshots_taken_total{location=\"s3\"} 1.0",
        "lifeboat_snapshots_failed_total{location=\"s3\"} 0.0",
        "lifeboat_upload_bytes_total{location=\"s3\"} 5000.0",
        "lifeboat_snapshot_last_success_timestamp_seconds 1.7956368E9",
        "lifeboat_snapshot_revision 12345.0",
        "lifeboat_snapshot_duration_seconds_bucket{le=\"0.5\"} 0",
        "lifeboat_snapshot_duration_seconds_bucket{le=\"2.0\"} 0",
        "lifeboat_snapshot_duration_seconds_bucket{le=\"5.0\"} 1",
        "lifeboat_snapshot_duration_seconds_bucket{le=\"1800.0\"} 1",
        "lifeboat_snapshot_duration_seconds_bucket{le=\"+Inf\"} 1",
        "lifeboat_snapshot_duration_seconds_count 1",
        "lifeboat_snapshot_duration_seconds_sum 3.0",
        "lifeboat_snapshot_size_bytes_bucket{le=\"1048576.0\"} 0",
        "lifeboat_snapshot_size_bytes_bucket{le=\"4194304.0\"} 1",
        "lifeboat_snapshot_size_bytes_bucket{le=\"1.7179869184E10\"} 1",
        "lifeboat_snapshot_size_bytes_count 1",
        "lifeboat_snapshot_size_bytes_sum 3145728.0");
  }

  @Test
  void snapshotTaken_failedUpload_countsAFailureForThatLocationOnly() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    metrics.snapshotTaken(taken(List.of("local"), Map.of("s3", "connection refused"), 0, Duration.ofSeconds(1)));

    assertThat(lines(metrics)).contains(
        "lifeboat_snapshots_taken_total{location=\"local\"} 1.0",
        "lifeboat_snapshots_taken_total{location=\"s3\"} 0.0",
        "lifeboat_snapshots_failed_total{location=\"local\"} 0.0",
        "lifeboat_snapshots_failed_total{location=\"s3\"} 1.0",
        "lifeboat_upload_failures_total{location=\"s3\"} 1.0",
        "lifeboat_upload_bytes_total{location=\"s3\"} 0.0",
        "lifeboat_snapshot_last_success_timestamp_seconds 1.7956368E9");
    assertThat(metrics.scrape()).doesNotContain("connection refused");
  }

  @Test
  void snapshotTaken_uploadedBytesWithoutS3Stored_areNotCounted() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    metrics.snapshotTaken(taken(List.of("local"), Map.of("s3", "timeout"), 4_096, Duration.ofSeconds(1)));

    assertThat(lines(metrics)).contains("lifeboat_upload_bytes_total{location=\"s3\"} 0.0");
  }

  @Test
  void snapshotFailed_countsTheLocationButNeverTheReason() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    metrics.snapshotFailed("local", "etcd https://10.0.0.1:2379 unavailable: deadline exceeded");
    metrics.snapshotFailed("local", "disk full");

    assertThat(lines(metrics)).contains(
        "lifeboat_snapshots_failed_total{location=\"local\"} 2.0",
        "lifeboat_snapshots_failed_total{location=\"s3\"} 0.0",
        "lifeboat_snapshot_last_success_timestamp_seconds 0.0");
    assertThat(metrics.scrape()).doesNotContain("reason").doesNotContain("deadline exceeded").doesNotContain("disk full");
  }

  @Test
  void retentionDeleted_countsPerLocation() {
    ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));

    metrics.retentionDeleted(new Deletion("local", new SnapshotName("a"), CREATED));
    metrics.retentionDeleted(new Deletion("s3", new SnapshotName("a"), CREATED));
    metrics.retentionDeleted(new Deletion("s3", new SnapshotName("b"), CREATED));

    assertThat(lines(metrics)).contains(
        "lifeboat_retention_deletions_total{location=\"local\"} 1.0",
        "lifeboat_retention_deletions_total{location=\"s3\"} 2.0");
  }

  @Test
  void leaderInProgressAndSchedule_areGauges() {
    ServerMetrics metrics = new ServerMetrics(List.of("local"));

    metrics.leader(true);
    metrics.snapshotInProgress(true);
    metrics.scheduledNext(Instant.parse("2026-11-25T21:00:00Z"));

    assertThat(lines(metrics)).contains(
        "lifeboat_leader 1.0",
        "lifeboat_snapshot_in_progress 1.0",
        "lifeboat_snapshot_next_scheduled_timestamp_seconds 1.7956404E9");

    metrics.leader(false);
    metrics.snapshotInProgress(false);

    assertThat(lines(metrics)).contains("lifeboat_leader 0.0", "lifeboat_snapshot_in_progress 0.0");
  }

  @Test
  void lastSuccess_seedsTheTimestampAndNeverMovesItBackwards() {
    ServerMetrics metrics = new ServerMetrics(List.of("local"));

    metrics.lastSuccess(CREATED);
    metrics.lastSuccess(CREATED.minusSeconds(3600));

    assertThat(lines(metrics)).contains("lifeboat_snapshot_last_success_timestamp_seconds 1.7956368E9");
  }

  @Test
  void unknownShapedLocationLabel_isRefused() {
    ServerMetrics metrics = new ServerMetrics(List.of("local"));

    assertThatThrownBy(() -> metrics.snapshotFailed("s3://bucket/with secrets?", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a location label");
  }

  @Test
  void registry_isTheOneScraped() {
    ServerMetrics metrics = new ServerMetrics(List.of("local"));

    metrics.registry().counter("lifeboat.test.extra").increment();

    assertThat(lines(metrics)).contains("lifeboat_test_extra_total 1.0");
  }

  static TakenSnapshot taken(List<String> storedIn, Map<String, String> failed, long uploaded, Duration took) {
    SnapshotMetadata metadata = new SnapshotMetadata(SnapshotMetadata.FORMAT, "etcd-snapshot-2026-11-25T20-00-00Z",
        CREATED, "etcd-snapshot-2026-11-25T20-00-00Z.db", 3L << 20, "ab".repeat(32), "none", "none",
        new SnapshotMetadata.EtcdFacts("https://10.0.0.1:2379", "8e9e05c52164694d", "cdf818194e3a8c32",
            "3.5.21", 12345, 10, 99, 4096));
    return new TakenSnapshot(metadata, storedIn, failed, uploaded, took);
  }

  private static List<String> lines(ServerMetrics metrics) {
    return Arrays.asList(metrics.scrape().split("\n"));
  }
}
