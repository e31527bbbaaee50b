package io.lifeboat.server.metrics;

import io.lifeboat.server.Deletion;
import io.lifeboat.server.TakenSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The server's metrics, in a Prometheus registry of its own.
 *
 * <p>Series (names as they appear in {@link #scrape()}):
 *
 * <ul>
 *   <li>{@code lifeboat_snapshots_taken_total{location}}: snapshots stored in that location
 *   <li>{@code lifeboat_snapshots_failed_total{location}}: snapshots that failed to be taken or stored
 *       there, including failed uploads
 *   <li>{@code lifeboat_upload_failures_total{location}}: failed uploads to a remote location
 *   <li>{@code lifeboat_upload_bytes_total{location="s3"}}: bytes uploaded
 *   <li>{@code lifeboat_retention_deletions_total{location}}: snapshots retention deleted
 *   <li>{@code lifeboat_snapshot_last_success_timestamp_seconds}: creation time of the newest snapshot
 *       taken, Unix seconds; 0 until the first one (or until {@link #lastSuccess} seeds it)
 *   <li>{@code lifeboat_snapshot_duration_seconds} (histogram, buckets 0.5 s to 30 min) and
 *       {@code lifeboat_snapshot_size_bytes} (histogram, buckets 1 MiB to 16 GiB)
 *   <li>{@code lifeboat_snapshot_revision}: etcd revision of the newest snapshot taken
 *   <li>{@code lifeboat_leader}, {@code lifeboat_snapshot_in_progress}: 1 or 0
 *   <li>{@code lifeboat_snapshot_next_scheduled_timestamp_seconds}: next slot, Unix seconds
 * </ul>
 *
 * <p>The counters of every configured location exist from construction with value 0, so alert rules
 * such as {@code increase(lifeboat_snapshots_failed_total[1h]) > 0} see a series before the first
 * failure. Also exported: the cheap JVM and process meters ({@code jvm_memory_*},
 * {@code process_cpu_usage}, {@code system_cpu_*}, {@code process_uptime_seconds}).
 *
 * <p>Thread-safe.
 */
public final class ServerMetrics {
  /** The label of the local directory location. */
  public static final String LOCAL = "local";
  /** The label of the S3 location. */
  public static final String S3 = "s3";

  private static final String TAKEN = "lifeboat.snapshots.taken";
  private static final String FAILED = "lifeboat.snapshots.failed";
  private static final String UPLOAD_FAILURES = "lifeboat.upload.failures";
  private static final String UPLOAD_BYTES = "lifeboat.upload.bytes";
  private static final String RETENTION_DELETIONS = "lifeboat.retention.deletions";
  private static final String LOCATION = "location";

  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private final PrometheusMeterRegistry registry;
  private final Timer duration;
  private final DistributionSummary size;

  private volatile double lastSuccessSeconds;
  private volatile double revision;
  private volatile double leader;
  private volatile double inProgress;
  private volatile double nextScheduledSeconds;

  /**
   * @param locations the configured location labels, e.g. {@code [local]} or {@code [local, s3]};
   *     their counters are registered at 0
   */
  public ServerMetrics(Collection<String> locations) {
    Set<String> labels = new LinkedHashSet<>();
    for (String location : locations) {
      labels.add(checkedLabel(location));
    }
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    for (String location : labels) {
      counter(TAKEN, location);
      counter(FAILED, location);
      counter(RETENTION_DELETIONS, location);
      if (!location.equals(LOCAL)) {
        counter(UPLOAD_FAILURES, location);
      }
    }
    if (labels.contains(S3)) {
      uploadBytes();
    }

    duration = Timer.builder("lifeboat.snapshot.duration")
        .description("Time to take and store a snapshot, uploads included")
        .serviceLevelObjectives(
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30))
        .register(registry);
    size = DistributionSummary.builder("lifeboat.snapshot.size")
        .description("Size of each snapshot stored")
        .baseUnit("bytes")
        .serviceLevelObjectives(
            MIB, 4 * MIB, 16 * MIB, 64 * MIB, 256 * MIB, GIB, 2 * GIB, 4 * GIB, 8 * GIB, 16 * GIB)
        .register(registry);

    Gauge.builder("lifeboat.snapshot.last.success.timestamp", this, m -> m.lastSuccessSeconds)
        .description("Creation time of the newest snapshot taken, Unix seconds; 0 before the first")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Gauge.builder("lifeboat.snapshot.revision", this, m -> m.revision)
        .description("etcd revision of the newest snapshot taken")
        .strongReference(true)
        .register(registry);
    Gauge.builder("lifeboat.leader", this, m -> m.leader)
        .description("1 while this replica leads and takes the scheduled snapshots, else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("lifeboat.snapshot.in.progress", this, m -> m.inProgress)
        .description("1 while a snapshot is being taken, else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("lifeboat.snapshot.next.scheduled.timestamp", this, m -> m.nextScheduledSeconds)
        .description("Time of the next scheduled snapshot, Unix seconds; 0 when none is scheduled")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);

    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Records a snapshot stored in {@code t.storedIn()} and each upload that failed. */
  public void snapshotTaken(TakenSnapshot t) {
    Objects.requireNonNull(t, "t");
    for (String location : t.storedIn()) {
      counter(TAKEN, checkedLabel(location)).increment();
    }
    for (String location : t.failedUploads().keySet()) {
      counter(FAILED, checkedLabel(location)).increment();
      counter(UPLOAD_FAILURES, location).increment();
    }
    if (t.uploadedBytes() > 0 && t.storedIn().contains(S3)) {
      uploadBytes().increment(t.uploadedBytes());
    }
    if (!t.storedIn().isEmpty()) {
      lastSuccess(t.metadata().createdAt());
      revision = t.metadata().etcd().revision();
      size.record(t.metadata().size());
    }
    duration.record(t.duration());
  }

  /**
   * Records a snapshot that could not be taken or stored in {@code location}.
   *
   * @param reason for the caller's log; not recorded, because free text as a label would make a
   *     series per message
   */
  public void snapshotFailed(String location, String reason) {
    Objects.requireNonNull(reason, "reason");
    counter(FAILED, checkedLabel(location)).increment();
  }

  /** Records one snapshot retention deleted. */
  public void retentionDeleted(Deletion d) {
    Objects.requireNonNull(d, "d");
    counter(RETENTION_DELETIONS, checkedLabel(d.location())).increment();
  }

  /**
   * Sets {@code lifeboat_snapshot_last_success_timestamp_seconds}; at start, call it with the
   * creation time of the newest stored snapshot so a restart does not look like a missed snapshot.
   * Never moves the time backwards.
   */
  public void lastSuccess(Instant createdAt) {
    double seconds = epochSeconds(createdAt);
    synchronized (this) {
      if (seconds > lastSuccessSeconds) {
        lastSuccessSeconds = seconds;
      }
    }
  }

  public void leader(boolean leading) {
    leader = leading ? 1 : 0;
  }

  public void snapshotInProgress(boolean running) {
    inProgress = running ? 1 : 0;
  }

  public void scheduledNext(Instant next) {
    nextScheduledSeconds = epochSeconds(next);
  }

  /** Every series in the Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** For meters other components add. */
  public MeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String location) {
    return Counter.builder(name)
        .description(description(name))
        .tag(LOCATION, location)
        .register(registry);
  }

  private Counter uploadBytes() {
    return Counter.builder(UPLOAD_BYTES)
        .description("Bytes uploaded to a remote location")
        .tag(LOCATION, S3)
        .register(registry);
  }

  private static String description(String name) {
    return switch (name) {
      case TAKEN -> "Snapshots stored, by location";
      case FAILED -> "Snapshots that could not be taken or stored, by location (failed uploads included)";
      case UPLOAD_FAILURES -> "Uploads to a remote location that failed";
      case RETENTION_DELETIONS -> "Snapshots deleted by retention, by location";
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static double epochSeconds(Instant t) {
    Objects.requireNonNull(t, "time");
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /**
   * Location labels come from the configuration; anything else is a programming error that would add
   * series without bound.
   */
  private static String checkedLabel(String location) {
    Objects.requireNonNull(location, "location");
    if (location.isEmpty() || location.length() > 32 || !location.chars().allMatch(ServerMetrics::labelChar)) {
      throw new IllegalArgumentException("not a location label: '" + truncated(location) + "'");
    }
    return location;
  }

  private static boolean labelChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static String truncated(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
