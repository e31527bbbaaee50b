package io.lifeboat.server.config;

import io.lifeboat.repository.SnapshotName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;

/** How scheduled snapshots are named. */
public enum NameStyle {
  /**
   * {@code etcd-snapshot-2020-10-15T14-53-26Z}: the name {@code snapshot save} gives by default, no
   * colons, safe on every file system.
   */
  LIFEBOAT(t -> SnapshotName.defaultAt(t).value()),
  /**
   * {@code 2020-10-15T14:53:26Z_etcd}: rke-tools' recurring names, so that RKE's and Rancher's
   * restore and pruning (which parse the RFC 3339 prefix) keep working after a migration.
   */
  RKE(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z_etcd'", Locale.ROOT).withZone(ZoneOffset.UTC)::format);

  private final Function<Instant, String> name;

  NameStyle(Function<Instant, String> name) {
    this.name = name;
  }

  /** The snapshot name for a snapshot taken at {@code t} (UTC, whole seconds). */
  public String nameAt(Instant t) {
    return name.apply(t.truncatedTo(ChronoUnit.SECONDS));
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
