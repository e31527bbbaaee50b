package io.lifeboat.server.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How scheduled snapshots are named. */
public enum NameStyle {
  /** {@code etcd-snapshot-2020-10-15T14-53-26Z}: no colons, safe on every file system. */
  LIFEBOAT(DateTimeFormatter.ofPattern("'etcd-snapshot-'yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT)),
  /**
   * {@code 2020-10-15T14:53:26Z_etcd}: rke-tools' recurring names, so that RKE's and Rancher's
   * restore and pruning (which parse the RFC 3339 prefix) keep working after a migration.
   */
  RKE(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z_etcd'", Locale.ROOT));

  private final DateTimeFormatter format;

  NameStyle(DateTimeFormatter format) {
    this.format = format.withZone(ZoneOffset.UTC);
  }

  /** The snapshot name for a snapshot taken at {@code t} (UTC, whole seconds). */
  public String nameAt(Instant t) {
    return format.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code lifeboat} or {@code rke}, any case. */
  public static NameStyle parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "lifeboat" -> LIFEBOAT;
      case "rke" -> RKE;
      default -> throw new IllegalArgumentException("names must be lifeboat or rke, not '" + text + "'");
    };
  }
}
