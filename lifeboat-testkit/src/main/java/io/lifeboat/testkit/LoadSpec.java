package io.lifeboat.testkit;

import java.util.Locale;

/**
 * How much Kubernetes-like data {@link KubernetesLikeLoader} writes. Exactly one of {@code
 * targetBytes} (total key and value bytes written, history included) and {@code keyCount} (keys
 * created before the overwrite, delete and compaction phases) is positive; the other is 0.
 *
 * @param overwriteFraction share of keys put again before the compaction
 * @param deleteFraction share of keys deleted after the compaction revision is chosen
 * @param leaseCount leases granted (TTL {@code leaseTtlSeconds}), each with {@code keysPerLease}
 *     event keys attached
 * @param maxInFlight requests outstanding at once
 */
public record LoadSpec(
    long targetBytes,
    int keyCount,
    long seed,
    double overwriteFraction,
    double deleteFraction,
    int leaseCount,
    int keysPerLease,
    long leaseTtlSeconds,
    int maxInFlight) {
  public static final long DEFAULT_SEED = 20240601L;

  public LoadSpec {
    if ((targetBytes > 0) == (keyCount > 0) || targetBytes < 0 || keyCount < 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "exactly one of targetBytes (%d) and keyCount (%d) must be positive",
              targetBytes,
              keyCount));
    }
    requireFraction("overwriteFraction", overwriteFraction);
    requireFraction("deleteFraction", deleteFraction);
    if (leaseCount < 0 || keysPerLease < 0 || leaseTtlSeconds <= 0 || maxInFlight <= 0) {
      throw new IllegalArgumentException(
          "leaseCount and keysPerLease must be >= 0, leaseTtlSeconds and maxInFlight > 0");
    }
  }

  /** {@code count} keys created, then the usual overwrites, deletes, leases and compaction. */
  public static LoadSpec keys(int count) {
    return new LoadSpec(0, count, DEFAULT_SEED, 0.2, 0.1, 3, 10, 3600, 256);
  }

  /** About {@code bytes} of keys and values written in total, history included. */
  public static LoadSpec bytes(long bytes) {
    return new LoadSpec(bytes, 0, DEFAULT_SEED, 0.2, 0.1, 3, 10, 3600, 256);
  }

  public LoadSpec withSeed(long newSeed) {
    return new LoadSpec(
        targetBytes,
        keyCount,
        newSeed,
        overwriteFraction,
        deleteFraction,
        leaseCount,
        keysPerLease,
        leaseTtlSeconds,
        maxInFlight);
  }

  public LoadSpec withMaxInFlight(int newMaxInFlight) {
    return new LoadSpec(
        targetBytes,
        keyCount,
        seed,
        overwriteFraction,
        deleteFraction,
        leaseCount,
        keysPerLease,
        leaseTtlSeconds,
        newMaxInFlight);
  }

  public LoadSpec withLeases(int newLeaseCount, int newKeysPerLease) {
    return new LoadSpec(
        targetBytes,
        keyCount,
        seed,
        overwriteFraction,
        deleteFraction,
        newLeaseCount,
        newKeysPerLease,
        leaseTtlSeconds,
        maxInFlight);
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], not " + value);
    }
  }
}
