package io.lifeboat.etcd.schema;

import java.nio.charset.StandardCharsets;

/** Names of etcd's top-level bbolt buckets and of the well-known rows in them (upstream names). */
public final class Buckets {
  public static final String KEY = "key";
  public static final String META = "meta";
  public static final String LEASE = "lease";
  public static final String ALARM = "alarm";
  public static final String AUTH = "auth";
  public static final String AUTH_USERS = "authUsers";
  public static final String AUTH_ROLES = "authRoles";
  public static final String CLUSTER = "cluster";
  public static final String MEMBERS = "members";
  public static final String MEMBERS_REMOVED = "members_removed";

  /** Rows of {@code meta}. */
  public static final String CONSISTENT_INDEX = "consistent_index";
  public static final String TERM = "term";
  public static final String CONF_STATE = "confState";
  public static final String SCHEDULED_COMPACT_REV = "scheduledCompactRev";
  public static final String FINISHED_COMPACT_REV = "finishedCompactRev";
  public static final String STORAGE_VERSION = "storageVersion";

  /** Rows of {@code cluster}. */
  public static final String CLUSTER_VERSION = "clusterVersion";
  public static final String DOWNGRADE = "downgrade";

  private Buckets() {}

  public static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
