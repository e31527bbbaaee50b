package io.lifeboat.server.config;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.Secret;
import io.lifeboat.server.schedule.Schedule;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Lifeboat's own {@code lifeboat.yml} strictly: unknown keys, wrong types and duplicate keys
 * are errors with file, line and key, because a typo silently ignored would change what gets
 * backed up. Every key is optional.
 */
final class LifeboatYaml {
  private static final List<String> TOP = List.of("etcd", "schedule", "retention", "storage", "http", "log",
      "election");
  private static final List<String> ETCD = List.of("endpoints", "cacert", "cert", "key", "user", "passwordFile",
      "insecureSkipTlsVerify", "dialTimeout", "commandTimeout");
  private static final List<String> SCHEDULE = List.of("enabled", "every", "cron", "timezone", "names", "attempts",
      "retryBackoff", "maxSnapshotAge");
  private static final List<String> TIERS = List.of("hourly", "daily", "weekly", "monthly");
  private static final List<String> STORAGE = List.of("dir", "compress", "encryptionKeyFile", "s3");
  private static final List<String> S3 = List.of("endpoint", "bucketName", "region", "folder", "accessKey",
      "secretKey", "endpointCa");
  private static final List<String> HTTP = List.of("listen", "tokenFile", "noAuthOnLoopback");
  private static final List<String> LOG = List.of("format");
  private static final List<String> ELECTION = List.of("enabled", "name", "leaseTtl");

  private LifeboatYaml() {}

  static void read(Path file, ConfigDraft draft) throws ConfigException {
    Map<String, YamlNode> top = YamlNode.read(file).mapping(TOP);
    if (top.containsKey("etcd")) {
      etcd(top.get("etcd"), draft);
    }
    if (top.containsKey("schedule")) {
      schedule(top.get("schedule"), draft);
    }
    if (top.containsKey("retention")) {
      draft.retention = Optional.of(retention(top.get("retention")));
    }
    if (top.containsKey("storage")) {
      storage(top.get("storage"), draft);
    }
    if (top.containsKey("http")) {
      http(top.get("http"), draft);
    }
    if (top.containsKey("log")) {
      YamlNode format = top.get("log").mapping(LOG).get("format");
      if (format != null) {
        try {
          draft.logFormat = Optional.of(LogFormat.parse(format.text()));
        } catch (IllegalArgumentException e) {
          throw format.invalid(e);
        }
      }
    }
    if (top.containsKey("election")) {
      election(top.get("election"), draft);
    }
  }

  private static void etcd(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(ETCD);
    if (m.containsKey("endpoints")) {
      YamlNode e = m.get("endpoints");
      try {
        d.endpoints = Optional.of(ConfigValues.endpoints(e.strings()));
      } catch (IllegalArgumentException ex) {
        throw e.invalid(ex);
      }
    }
    d.cacert = optionalPath(m, "cacert").or(() -> d.cacert);
    d.cert = optionalPath(m, "cert").or(() -> d.cert);
    d.key = optionalPath(m, "key").or(() -> d.key);
    if (m.containsKey("user")) {
      d.user = Optional.of(m.get("user").nonEmptyText());
    }
    if (m.containsKey("passwordFile")) {
      YamlNode p = m.get("passwordFile");
      try {
        d.password = Optional.of(ConfigValues.secretFile(p.filePath()));
      } catch (IllegalArgumentException ex) {
        throw p.invalid(ex);
      }
    }
    if (m.containsKey("insecureSkipTlsVerify")) {
      d.insecureSkipTlsVerify = Optional.of(m.get("insecureSkipTlsVerify").bool());
    }
    if (m.containsKey("dialTimeout")) {
      d.dialTimeout = Optional.of(m.get("dialTimeout").duration(Duration.ofMillis(1)));
    }
    if (m.containsKey("commandTimeout")) {
      d.commandTimeout = Optional.of(m.get("commandTimeout").duration(Duration.ofMillis(1)));
    }
  }

  private static void schedule(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(SCHEDULE);
    if (m.containsKey("enabled")) {
      d.snapshotsEnabled = Optional.of(m.get("enabled").bool());
    }
    if (m.containsKey("timezone")) {
      YamlNode tz = m.get("timezone");
      String text = tz.nonEmptyText();
      try {
        d.zone = Optional.of(ZoneId.of(text));
      } catch (DateTimeException e) {
        throw tz.error("unknown time zone '" + ConfigException.shown(text) + "' (use a region such as Europe/Berlin"
            + " or UTC)");
      }
    }
    if (m.containsKey("every") && m.containsKey("cron")) {
      throw m.get("cron").error("give either schedule.every or schedule.cron, not both");
    }
    if (m.containsKey("every")) {
      YamlNode every = m.get("every");
      every.duration(Duration.ofSeconds(1)); // a Go duration only, not a cron expression
      d.schedule = Optional.of(scheduleText(every, d));
    }
    if (m.containsKey("cron")) {
      d.schedule = Optional.of(scheduleText(m.get("cron"), d));
    }
    if (m.containsKey("names")) {
      YamlNode n = m.get("names");
      try {
        d.names = Optional.of(NameStyle.parse(n.text()));
      } catch (IllegalArgumentException e) {
        throw n.invalid(e);
      }
    }
    if (m.containsKey("attempts")) {
      YamlNode a = m.get("attempts");
      int attempts = a.integer();
      if (attempts < 1) {
        throw a.error("must be at least 1, got " + attempts);
      }
      d.attempts = Optional.of(attempts);
    }
    if (m.containsKey("retryBackoff")) {
      d.retryBackoff = Optional.of(m.get("retryBackoff").duration(Duration.ZERO));
    }
    if (m.containsKey("maxSnapshotAge")) {
      d.maxSnapshotAge = Optional.of(m.get("maxSnapshotAge").duration(Duration.ofSeconds(1)));
    }
  }

  /** Checks the text now (with the zone known so far) so that the error has this line. */
  private static ConfigDraft.ScheduleText scheduleText(YamlNode node, ConfigDraft d) throws ConfigException {
    String text = node.nonEmptyText();
    try {
      Schedule.parse(text, d.zone.orElse(ZoneOffset.UTC));
    } catch (IllegalArgumentException e) {
      throw node.invalid(e);
    }
    return new ConfigDraft.ScheduleText(text, node.toString());
  }

  /** {@code 6}, {@code 24h}, {@code "hourly=24,daily=7"} or a mapping of tiers. */
  private static RetentionPolicy retention(YamlNode node) throws ConfigException {
    if (node.isMapping()) {
      Map<String, YamlNode> m = node.mapping(TIERS);
      int[] tiers = new int[TIERS.size()];
      for (int i = 0; i < tiers.length; i++) {
        YamlNode tier = m.get(TIERS.get(i));
        tiers[i] = tier == null ? 0 : tier.integer();
        if (tiers[i] < 0) {
          throw tier.error("must not be negative");
        }
      }
      try {
        return new RetentionPolicy.Tiered(tiers[0], tiers[1], tiers[2], tiers[3]);
      } catch (IllegalArgumentException e) {
        throw node.invalid(e);
      }
    }
    try {
      return RetentionPolicy.parse(node.text());
    } catch (IllegalArgumentException e) {
      throw node.invalid(e);
    }
  }

  private static void storage(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(STORAGE);
    d.dir = optionalPath(m, "dir").or(() -> d.dir);
    if (m.containsKey("compress")) {
      YamlNode c = m.get("compress");
      try {
        d.compression = Optional.of(Compression.parse(c.text().strip()));
      } catch (IllegalArgumentException e) {
        throw c.invalid(e);
      }
    }
    d.encryptionKeyFile = optionalPath(m, "encryptionKeyFile").or(() -> d.encryptionKeyFile);
    if (m.containsKey("s3")) {
      d.s3 = Optional.of(s3(m.get("s3")));
    }
  }

  private static S3Config s3(YamlNode node) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(S3);
    if (!m.containsKey("bucketName")) {
      throw node.error("bucketName is required when storage.s3 is given");
    }
    S3Config s3 = S3Config.forBucket(m.get("bucketName").nonEmptyText());
    if (m.containsKey("endpoint")) {
      YamlNode e = m.get("endpoint");
      try {
        s3 = s3.withEndpoint(ConfigValues.s3Endpoint(e.nonEmptyText()));
      } catch (IllegalArgumentException ex) {
        throw e.invalid(ex);
      }
    }
    if (m.containsKey("region")) {
      s3 = s3.withRegion(m.get("region").nonEmptyText());
    }
    if (m.containsKey("folder")) {
      s3 = s3.withFolder(m.get("folder").text());
    }
    if (m.containsKey("accessKey") != m.containsKey("secretKey")) {
      throw node.error("accessKey and secretKey must be given together (or neither, for the AWS SDK's"
          + " credential chain)");
    }
    if (m.containsKey("accessKey")) {
      s3 = s3.withCredentials(m.get("accessKey").nonEmptyText(), Secret.of(m.get("secretKey").nonEmptyText()));
    }
    Optional<Path> ca = optionalPath(m, "endpointCa");
    if (ca.isPresent()) {
      s3 = s3.withEndpointCa(ca.get());
    }
    return s3;
  }

  private static void http(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(HTTP);
    if (m.containsKey("listen")) {
      YamlNode l = m.get("listen");
      try {
        d.listen = Optional.of(ConfigValues.listen(l.nonEmptyText()));
      } catch (IllegalArgumentException e) {
        throw l.invalid(e);
      }
    }
    d.tokenFile = optionalPath(m, "tokenFile").or(() -> d.tokenFile);
    if (m.containsKey("noAuthOnLoopback")) {
      YamlNode n = m.get("noAuthOnLoopback");
      d.noAuthOnLoopback = Optional.of(n.bool());
      try {
        d.http();
      } catch (IllegalArgumentException e) {
        throw n.invalid(e);
      }
    }
  }

  private static void election(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.mapping(ELECTION);
    if (m.containsKey("enabled")) {
      d.electionEnabled = Optional.of(m.get("enabled").bool());
    }
    if (m.containsKey("name")) {
      d.electionName = Optional.of(m.get("name").nonEmptyText());
    }
    if (m.containsKey("leaseTtl")) {
      d.leaseTtl = Optional.of(m.get("leaseTtl").duration(ElectionSettings.MIN_LEASE_TTL));
    }
  }

  private static Optional<Path> optionalPath(Map<String, YamlNode> m, String key) throws ConfigException {
    YamlNode n = m.get(key);
    return n == null ? Optional.empty() : Optional.of(n.filePath());
  }
}
