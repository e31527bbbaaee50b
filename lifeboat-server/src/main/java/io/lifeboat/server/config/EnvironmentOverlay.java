package io.lifeboat.server.config;

import io.lifeboat.client.Secret;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.GoDuration;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.server.schedule.Schedule;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies environment variables to a {@link ConfigDraft} that already holds the file's settings:
 * first etcdctl's {@code ETCDCTL_*} (only where the file set nothing), then Rancher 1.6's
 * {@code EMBEDDED_BACKUPS}/{@code BACKUP_PERIOD}/{@code BACKUP_RETENTION}, then {@code LIFEBOAT_*}
 * (both override the file). Empty variables count as unset, as Kubernetes manifests often define
 * variables with empty values. Every variable with a problem is recorded, not just the first.
 */
final class EnvironmentOverlay {
  /** Variables the launcher script and CLI read themselves. */
  private static final Set<String> IGNORED = Set.of("LIFEBOAT_JAVA_OPTS", "LIFEBOAT_DEBUG", "LIFEBOAT_CDS_DIR", "LIFEBOAT_JAR");
  private static final List<String> S3_FIELDS = List.of("LIFEBOAT_S3_ENDPOINT", "LIFEBOAT_S3_BUCKET_NAME",
      "LIFEBOAT_S3_REGION", "LIFEBOAT_S3_FOLDER", "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY",
      "LIFEBOAT_S3_ENDPOINT_CA");

  /** Sets one setting from a variable's non-empty value; throws IllegalArgumentException when invalid. */
  @FunctionalInterface
  private interface Setter {
    void set(ConfigDraft d, String value);
  }

  /** In application order: the zone before the schedule that is checked with it. */
  private static final Map<String, Setter> LIFEBOAT = new LinkedHashMap<>();

  static {
    LIFEBOAT.put("LIFEBOAT_ENDPOINTS", (d, v) -> d.endpoints = Optional.of(endpoints(v)));
    LIFEBOAT.put("LIFEBOAT_CACERT", (d, v) -> d.cacert = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_CERT", (d, v) -> d.cert = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_KEY", (d, v) -> d.key = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_USER", (d, v) -> d.user = Optional.of(v.strip()));
    LIFEBOAT.put("LIFEBOAT_PASSWORD_FILE", (d, v) -> d.password = Optional.of(ConfigValues.secretFile(path(v))));
    LIFEBOAT.put("LIFEBOAT_INSECURE_SKIP_TLS_VERIFY", (d, v) -> d.insecureSkipTlsVerify = Optional.of(bool(v)));
    LIFEBOAT.put("LIFEBOAT_DIAL_TIMEOUT", (d, v) -> d.dialTimeout = Optional.of(duration(v, Duration.ofMillis(1))));
    LIFEBOAT.put("LIFEBOAT_COMMAND_TIMEOUT",
        (d, v) -> d.commandTimeout = Optional.of(duration(v, Duration.ofMillis(1))));
    LIFEBOAT.put("LIFEBOAT_TIMEZONE", (d, v) -> d.zone = Optional.of(zone(v)));
    LIFEBOAT.put("LIFEBOAT_SCHEDULE", (d, v) -> {
      Schedule.parse(v, d.zone.orElse(ZoneOffset.UTC));
      d.schedule = Optional.of(new ConfigDraft.ScheduleText(v.strip(), "LIFEBOAT_SCHEDULE"));
    });
    LIFEBOAT.put("LIFEBOAT_SNAPSHOTS_ENABLED", (d, v) -> d.snapshotsEnabled = Optional.of(bool(v)));
    LIFEBOAT.put("LIFEBOAT_NAME_STYLE", (d, v) -> d.names = Optional.of(NameStyle.parse(v)));
    LIFEBOAT.put("LIFEBOAT_ATTEMPTS", (d, v) -> d.attempts = Optional.of(attempts(v)));
    LIFEBOAT.put("LIFEBOAT_RETRY_BACKOFF", (d, v) -> d.retryBackoff = Optional.of(duration(v, Duration.ZERO)));
    LIFEBOAT.put("LIFEBOAT_MAX_SNAPSHOT_AGE",
        (d, v) -> d.maxSnapshotAge = Optional.of(duration(v, Duration.ofSeconds(1))));
    LIFEBOAT.put("LIFEBOAT_RETENTION", (d, v) -> d.retention = Optional.of(RetentionPolicy.parse(v)));
    LIFEBOAT.put("LIFEBOAT_SNAPSHOT_DIR", (d, v) -> d.dir = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_COMPRESS", (d, v) -> d.compression = Optional.of(Compression.parse(v.strip())));
    LIFEBOAT.put("LIFEBOAT_ENCRYPTION_KEY_FILE", (d, v) -> d.encryptionKeyFile = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_LISTEN", (d, v) -> d.listen = Optional.of(ConfigValues.listen(v)));
    LIFEBOAT.put("LIFEBOAT_TOKEN_FILE", (d, v) -> d.tokenFile = Optional.of(path(v)));
    LIFEBOAT.put("LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", (d, v) -> d.noAuthOnLoopback = Optional.of(bool(v)));
    LIFEBOAT.put("LIFEBOAT_LOG_FORMAT", (d, v) -> d.logFormat = Optional.of(LogFormat.parse(v)));
    LIFEBOAT.put("LIFEBOAT_ELECTION", (d, v) -> d.electionEnabled = Optional.of(bool(v)));
    LIFEBOAT.put("LIFEBOAT_ELECTION_NAME", (d, v) -> d.electionName = Optional.of(v.strip()));
    LIFEBOAT.put("LIFEBOAT_LEASE_TTL",
        (d, v) -> d.leaseTtl = Optional.of(duration(v, ElectionSettings.MIN_LEASE_TTL)));
  }

  private EnvironmentOverlay() {}

  /** Applies {@code env} to {@code d}; a variable with a problem is recorded and leaves its setting as it was. */
  static void apply(Map<String, String> env, ConfigDraft d, Problems problems) {
    rejectUnknown(env, problems);
    etcdctl(env, d, problems);
    rancher(env, d, problems);
    for (Map.Entry<String, Setter> e : LIFEBOAT.entrySet()) {
      Optional<String> value = get(env, e.getKey());
      if (value.isPresent()) {
        try {
          e.getValue().set(d, value.get());
        } catch (IllegalArgumentException ex) {
          problems.add(e.getKey() + ": " + ex.getMessage());
        }
      }
    }
    s3(env, d, problems);
  }

  private static void rejectUnknown(Map<String, String> env, Problems problems) {
    List<String> known = new ArrayList<>(LIFEBOAT.keySet());
    known.add("LIFEBOAT_S3");
    known.addAll(S3_FIELDS);
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("LIFEBOAT_") && !known.contains(name) && !IGNORED.contains(name)) {
        String hint = Suggestions.closest(name, known).map(k -> "did you mean " + k + "? ").orElse("");
        problems.add(name + ": unknown variable; " + hint + "known: " + String.join(", ", known));
      }
    }
  }

  /** etcdctl's variables fill only what the file left unset: the file describes this cluster. */
  private static void etcdctl(Map<String, String> env, ConfigDraft d, Problems problems) {
    Optional<String> endpoints = get(env, "ETCDCTL_ENDPOINTS");
    if (d.endpoints.isEmpty() && endpoints.isPresent()) {
      try {
        d.endpoints = Optional.of(endpoints(endpoints.get()));
      } catch (IllegalArgumentException e) {
        problems.add("ETCDCTL_ENDPOINTS: " + e.getMessage());
      }
    }
    d.cacert = d.cacert.or(() -> get(env, "ETCDCTL_CACERT").map(Path::of));
    d.cert = d.cert.or(() -> get(env, "ETCDCTL_CERT").map(Path::of));
    d.key = d.key.or(() -> get(env, "ETCDCTL_KEY").map(Path::of));
    Optional<String> user = get(env, "ETCDCTL_USER");
    if (d.user.isEmpty() && user.isPresent()) {
      // etcdctl accepts --user name:password; the password part is a secret and is not echoed.
      String u = user.get();
      int colon = u.indexOf(':');
      d.user = Optional.of(colon < 0 ? u.strip() : u.substring(0, colon));
      if (colon >= 0 && d.password.isEmpty()) {
        d.password = Optional.of(new Secret(u.substring(colon + 1)));
      }
    }
    if (d.password.isEmpty()) {
      d.password = get(env, "ETCDCTL_PASSWORD").map(Secret::new);
    }
  }

  /** Rancher 1.6's etcd backup variables override the file, as they did in Rancher. */
  private static void rancher(Map<String, String> env, ConfigDraft d, Problems problems) {
    Optional<String> embedded = get(env, "EMBEDDED_BACKUPS");
    if (embedded.isPresent()) {
      Optional<Boolean> on = ConfigValues.bool(embedded.get());
      if (on.isEmpty()) {
        problems.add("EMBEDDED_BACKUPS: expected true or false, got '" + ConfigException.shown(embedded.get()) + "'");
      }
      d.snapshotsEnabled = on.or(() -> d.snapshotsEnabled);
    }
    Optional<String> period = get(env, "BACKUP_PERIOD");
    if (period.isPresent()) {
      try {
        duration(period.get(), Duration.ofSeconds(1));
        d.schedule = Optional.of(new ConfigDraft.ScheduleText(period.get().strip(), "BACKUP_PERIOD"));
      } catch (IllegalArgumentException e) {
        problems.add("BACKUP_PERIOD: " + e.getMessage());
      }
    }
    Optional<String> retention = get(env, "BACKUP_RETENTION");
    if (retention.isPresent()) {
      try {
        d.retention = Optional.of(new RetentionPolicy.MaxAge(duration(retention.get(), Duration.ofSeconds(1))));
      } catch (IllegalArgumentException e) {
        problems.add("BACKUP_RETENTION: " + e.getMessage());
      }
    }
  }

  /**
   * {@code LIFEBOAT_S3=false} turns the file's bucket off; any {@code LIFEBOAT_S3_*} changes that
   * field of the file's bucket, or describes a new one (then the bucket name is required).
   */
  private static void s3(Map<String, String> env, ConfigDraft d, Problems problems) {
    Optional<String> switchText = get(env, "LIFEBOAT_S3");
    Optional<Boolean> on = switchText.flatMap(ConfigValues::bool);
    if (switchText.isPresent() && on.isEmpty()) {
      problems.add("LIFEBOAT_S3: expected true or false, got '" + ConfigException.shown(switchText.get()) + "'");
    }
    if (on.equals(Optional.of(false))) {
      d.s3 = Optional.empty();
      return;
    }
    boolean anyField = S3_FIELDS.stream().anyMatch(n -> get(env, n).isPresent());
    if (on.isEmpty() && !anyField) {
      return;
    }
    Optional<String> bucket = get(env, "LIFEBOAT_S3_BUCKET_NAME").map(String::strip);
    if (d.s3.isEmpty() && bucket.isEmpty()) {
      problems.add("LIFEBOAT_S3_BUCKET_NAME: required for S3 when the file configures no bucket");
      return;
    }
    S3Config s3 = d.s3.orElseGet(() -> S3Config.forBucket(bucket.get()));
    if (bucket.isPresent()) {
      s3 = new S3Config(s3.endpoint(), bucket.get(), s3.region(), s3.folder(), s3.accessKey(), s3.secretKey(),
          s3.endpointCa(), s3.partSize(), s3.concurrency(), s3.maxAttempts(), s3.backoffBase(), s3.backoffMax(),
          s3.connectTimeout(), s3.socketTimeout());
    }
    Optional<String> endpoint = get(env, "LIFEBOAT_S3_ENDPOINT");
    if (endpoint.isPresent()) {
      try {
        s3 = s3.withEndpoint(ConfigValues.s3Endpoint(endpoint.get()));
      } catch (IllegalArgumentException e) {
        problems.add("LIFEBOAT_S3_ENDPOINT: " + e.getMessage());
      }
    }
    s3 = get(env, "LIFEBOAT_S3_REGION").map(String::strip).map(s3::withRegion).orElse(s3);
    s3 = get(env, "LIFEBOAT_S3_FOLDER").map(s3::withFolder).orElse(s3);
    Optional<String> access = get(env, "LIFEBOAT_S3_ACCESS_KEY").map(String::strip).or(s3::accessKey);
    Optional<io.lifeboat.repository.s3.Secret> secret =
        get(env, "LIFEBOAT_S3_SECRET_KEY").map(io.lifeboat.repository.s3.Secret::of).or(s3::secretKey);
    if (access.isPresent() != secret.isPresent()) {
      problems.add("LIFEBOAT_S3_ACCESS_KEY, LIFEBOAT_S3_SECRET_KEY: give both (or neither, for the AWS SDK's"
          + " credential chain)");
    } else if (access.isPresent()) {
      s3 = s3.withCredentials(access.get(), secret.get());
    }
    Optional<String> ca = get(env, "LIFEBOAT_S3_ENDPOINT_CA");
    if (ca.isPresent()) {
      try {
        s3 = s3.withEndpointCa(path(ca.get()));
      } catch (IllegalArgumentException e) {
        problems.add("LIFEBOAT_S3_ENDPOINT_CA: " + e.getMessage());
      }
    }
    d.s3 = Optional.of(s3);
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  private static List<String> endpoints(String commaSeparated) {
    List<String> parts = new ArrayList<>();
    for (String p : commaSeparated.split(",")) {
      if (!p.isBlank()) {
        parts.add(p.strip());
      }
    }
    return ConfigValues.endpoints(parts);
  }

  private static Path path(String text) {
    try {
      return Path.of(text.strip());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a valid path: '" + ConfigException.shown(text) + "'");
    }
  }

  private static boolean bool(String text) {
    return ConfigValues.bool(text).orElseThrow(() -> new IllegalArgumentException(
        "expected true or false, got '" + ConfigException.shown(text) + "'"));
  }

  private static Duration duration(String text, Duration min) {
    Duration d = GoDuration.parse(text.strip());
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException("must be at least " + GoDuration.format(min) + ", got " + text.strip());
    }
    return d;
  }

  private static int attempts(String text) {
    String t = text.strip();
    if (!t.matches("\\d{1,9}") || Integer.parseInt(t) < 1) {
      throw new IllegalArgumentException("expected a whole number of at least 1, got '" + ConfigException.shown(t)
          + "'");
    }
    return Integer.parseInt(t);
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + ConfigException.shown(text) + "'");
    }
  }
}
