package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Leader election among replicas, through an etcd lease, so that one replica takes the snapshots.
 *
 * @param name the election's key prefix in etcd
 * @param leaseTtl at least 2 s: etcd rounds shorter leases up and a leader must renew within the TTL
 */
public record ElectionSettings(boolean enabled, String name, Duration leaseTtl) {
  public static final String DEFAULT_NAME = "lifeboat/leader";
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
  public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);

  public ElectionSettings {
    requireNonNull(name, "name");
    requireNonNull(leaseTtl, "leaseTtl");
    if (name.isBlank()) {
      throw new IllegalArgumentException("the election name must not be empty");
    }
    if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0) {
      throw new IllegalArgumentException("the lease TTL must be at least 2s");
    }
  }

  public static ElectionSettings defaults() {
    return new ElectionSettings(true, DEFAULT_NAME, DEFAULT_LEASE_TTL);
  }
}
