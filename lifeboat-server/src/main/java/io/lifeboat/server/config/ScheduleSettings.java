package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import io.lifeboat.server.schedule.Schedule;
import java.time.Duration;
import java.util.Optional;

/**
 * When and how scheduled snapshots are taken.
 *
 * @param enabled false: the server still runs (HTTP, metrics, snapshots on demand through the API)
 *     but takes no scheduled snapshots; RKE's {@code backup_config.enabled: false}, legacy
 *     {@code snapshot: false}, Rancher's {@code EMBEDDED_BACKUPS=false}
 * @param attempts tries per slot, the first included (rke-tools {@code --backup-retries 4})
 * @param retryBackoff wait between attempts (rke-tools waits 15 s)
 * @param maxSnapshotAge readiness fails when the newest snapshot is older; empty: two intervals,
 *     computed from the schedule by the server
 */
public record ScheduleSettings(
    boolean enabled,
    Schedule schedule,
    NameStyle names,
    int attempts,
    Duration retryBackoff,
    Optional<Duration> maxSnapshotAge) {
  public static final int DEFAULT_ATTEMPTS = 4;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(15);

  public ScheduleSettings {
    requireNonNull(schedule, "schedule");
    requireNonNull(names, "names");
    requireNonNull(retryBackoff, "retryBackoff");
    requireNonNull(maxSnapshotAge, "maxSnapshotAge");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("the retry backoff must not be negative");
    }
    if (maxSnapshotAge.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
      throw new IllegalArgumentException("the maximum snapshot age must be positive");
    }
  }
}
