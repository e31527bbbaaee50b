package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@link KubernetesLikeLoader} left in etcd.
 *
 * @param revision etcd's revision after the last write (the highest response header revision)
 * @param compactRevision the revision compacted at; reads below it fail
 * @param liveKeys keys that exist at the end, lease-attached keys included
 * @param leaseIds the leases granted, all still alive (long TTL)
 * @param bytesWritten key and value bytes sent in puts, overwrites included
 * @param puts put requests
 * @param deletes delete requests (each deleted one existing key)
 * @param elapsed wall time of the whole load
 */
public record LoadResult(
    long revision,
    long compactRevision,
    long liveKeys,
    List<Long> leaseIds,
    long bytesWritten,
    long puts,
    long deletes,
    Duration elapsed) {
  public LoadResult {
    leaseIds = List.copyOf(requireNonNull(leaseIds, "leaseIds"));
    requireNonNull(elapsed, "elapsed");
  }

  /** Megabytes (10^6 bytes) written per second. */
  public double megabytesPerSecond() {
    return bytesWritten / 1e6 / seconds();
  }

  /** Put and delete requests per second. */
  public double requestsPerSecond() {
    return (puts + deletes) / seconds();
  }

  /** One line of JSON, as {@code LoadMain} prints it. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"revision\":%d,\"compactRevision\":%d,\"liveKeys\":%d,\"leaseIds\":[%s],"
            + "\"bytesWritten\":%d,\"puts\":%d,\"deletes\":%d,\"elapsedMillis\":%d,"
            + "\"megabytesPerSecond\":%.2f,\"requestsPerSecond\":%.1f}",
        revision,
        compactRevision,
        liveKeys,
        leaseIds.stream().map(String::valueOf).collect(Collectors.joining(",")),
        bytesWritten,
        puts,
        deletes,
        elapsed.toMillis(),
        megabytesPerSecond(),
        requestsPerSecond());
  }

  private double seconds() {
    return Math.max(elapsed.toNanos(), 1) / 1e9;
  }
}
