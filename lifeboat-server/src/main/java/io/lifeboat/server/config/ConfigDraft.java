package io.lifeboat.server.config;

import io.lifeboat.client.Secret;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.server.schedule.Schedule;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The settings as the sources give them, layer by layer: each source overwrites what it sets, and
 * an empty field means "no source set it", so that {@link #build} can fill defaults and the
 * environment can tell what the file left unset. Mutable on purpose: it lives only inside one
 * {@link ConfigLoader#load} call.
 */
final class ConfigDraft {
  /** RKE's defaults, used when no source gives a schedule or a retention. */
  static final Duration DEFAULT_INTERVAL = Duration.ofHours(12);
  static final RetentionPolicy DEFAULT_RETENTION = new RetentionPolicy.Count(6);

  /** A schedule's text and where it was given, re-parsed at the end with the final time zone. */
  record ScheduleText(String text, String origin) {}

  Optional<List<String>> endpoints = Optional.empty();
  Optional<Path> cacert = Optional.empty();
  Optional<Path> cert = Optional.empty();
  Optional<Path> key = Optional.empty();
  Optional<String> user = Optional.empty();
  Optional<Secret> password = Optional.empty();
  Optional<Boolean> insecureSkipTlsVerify = Optional.empty();
  Optional<Duration> dialTimeout = Optional.empty();
  Optional<Duration> commandTimeout = Optional.empty();

  Optional<Boolean> snapshotsEnabled = Optional.empty();
  Optional<ScheduleText> schedule = Optional.empty();
  Optional<ZoneId> zone = Optional.empty();
  Optional<NameStyle> names = Optional.empty();
  Optional<Integer> attempts = Optional.empty();
  Optional<Duration> retryBackoff = Optional.empty();
  Optional<Duration> maxSnapshotAge = Optional.empty();
  Optional<RetentionPolicy> retention = Optional.empty();

  Optional<Path> dir = Optional.empty();
  Optional<S3Config> s3 = Optional.empty();
  Optional<Compression> compression = Optional.empty();
  Optional<Path> encryptionKeyFile = Optional.empty();

  Optional<InetSocketAddress> listen = Optional.empty();
  Optional<Path> tokenFile = Optional.empty();
  Optional<Boolean> noAuthOnLoopback = Optional.empty();
  Optional<LogFormat> logFormat = Optional.empty();

  Optional<Boolean> electionEnabled = Optional.empty();
  Optional<String> electionName = Optional.empty();
  Optional<Duration> leaseTtl = Optional.empty();

  /** The HTTP settings so far, defaults filled in; fails like {@link HttpSettings}'s constructor. */
  HttpSettings http() {
    return new HttpSettings(listen.orElse(HttpSettings.DEFAULT_LISTEN), tokenFile, noAuthOnLoopback.orElse(false));
  }

  /**
   * Fills defaults and makes the records; empty when a check across sources fails (recorded).
   * Values were checked when read; what remains is cross-source.
   */
  Optional<ServerConfig> build(String source, Problems problems) {
    ZoneId z = zone.orElse(ZoneOffset.UTC);
    ScheduleText text = schedule.orElse(new ScheduleText("12h", "default schedule"));
    Optional<Schedule> parsed = Optional.empty();
    try {
      parsed = Optional.of(Schedule.parse(text.text(), z));
    } catch (IllegalArgumentException e) {
      problems.add(text.origin() + ": " + e.getMessage());
    }
    Optional<HttpSettings> httpSettings = Optional.empty();
    try {
      httpSettings = Optional.of(http());
    } catch (IllegalArgumentException e) {
      // The file's own combination was checked with its line; only the environment can get here.
      problems.add("LIFEBOAT_LISTEN / LIFEBOAT_API_NO_AUTH_ON_LOOPBACK: " + e.getMessage());
    }
    if (parsed.isEmpty() || httpSettings.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(records(parsed.get(), httpSettings.get(), source));
    } catch (IllegalArgumentException e) {
      // Each source checks its values with file, line or variable; this is the last line of defence.
      problems.add("invalid configuration: " + e.getMessage());
      return Optional.empty();
    }
  }

  private ServerConfig records(Schedule parsed, HttpSettings httpSettings, String source) {
    EtcdSettings etcd = new EtcdSettings(endpoints.orElse(EtcdSettings.DEFAULT_ENDPOINTS), cacert, cert, key, user,
        password, insecureSkipTlsVerify.orElse(false), dialTimeout.orElse(EtcdSettings.DEFAULT_DIAL_TIMEOUT),
        commandTimeout.orElse(EtcdSettings.DEFAULT_COMMAND_TIMEOUT));
    ScheduleSettings scheduleSettings = new ScheduleSettings(snapshotsEnabled.orElse(true), parsed,
        names.orElse(NameStyle.LIFEBOAT), attempts.orElse(ScheduleSettings.DEFAULT_ATTEMPTS),
        retryBackoff.orElse(ScheduleSettings.DEFAULT_RETRY_BACKOFF), maxSnapshotAge);
    StorageSettings storage = new StorageSettings(dir.orElse(Path.of(StorageSettings.DEFAULT_DIR)), s3,
        compression.orElse(Compression.DEFAULT), encryptionKeyFile);
    ElectionSettings election = new ElectionSettings(electionEnabled.orElse(true),
        electionName.orElse(ElectionSettings.DEFAULT_NAME), leaseTtl.orElse(ElectionSettings.DEFAULT_LEASE_TTL));
    return new ServerConfig(etcd, scheduleSettings, retention.orElse(DEFAULT_RETENTION), storage, httpSettings,
        election, logFormat.orElse(LogFormat.LOGFMT), source);
  }
}
