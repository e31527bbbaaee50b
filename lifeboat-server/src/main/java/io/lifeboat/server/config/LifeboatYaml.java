package io.lifeboat.server.config;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.Secret;
import io.lifeboat.server.schedule.Schedule;
import java.net.URI;
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
 * are problems with file, line and key, because a typo silently ignored would change what gets
 * backed up; every problem in the file is recorded, not just the first. Every key is optional.
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

  /**
   * Reads {@code file} into {@code d}, recording each problem in {@code problems} and leaving that
   * setting as it was.
   *
   * @throws ConfigException only when the file cannot be read as YAML with a mapping at the top
   */
  static void read(Path file, ConfigDraft d, Problems problems) throws ConfigException {
    YamlNode root = YamlNode.read(file);
    Map<String, YamlNode> top = root.mapping(TOP, problems).orElse(Map.of());
    section(top, "etcd", ETCD, problems).ifPresent(m -> etcd(m, d, problems));
    section(top, "schedule", SCHEDULE, problems).ifPresent(m -> schedule(m, d, problems));
    if (top.containsKey("retention")) {
      d.retention = retention(top.get("retention"), problems).or(() -> d.retention);
    }
    section(top, "storage", STORAGE, problems).ifPresent(m -> storage(m, d, problems));
    section(top, "http", HTTP, problems).ifPresent(m -> http(m, d, problems));
    section(top, "log", LOG, problems).ifPresent(
        m -> d.logFormat = problems.value(m, "format", n -> LogFormat.parse(n.text())).or(() -> d.logFormat));
    section(top, "election", ELECTION, problems).ifPresent(m -> election(m, d, problems));
  }

  /** The keys of the mapping under {@code key}; empty when it is absent or not a mapping (recorded). */
  private static Optional<Map<String, YamlNode>> section(Map<String, YamlNode> parent, String key,
      List<String> known, Problems problems) {
    YamlNode n = parent.get(key);
    return n == null ? Optional.empty() : n.mapping(known, problems);
  }

  private static void etcd(Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.endpoints = p.value(m, "endpoints", n -> ConfigValues.endpoints(n.strings())).or(() -> d.endpoints);
    d.cacert = p.value(m, "cacert", YamlNode::filePath).or(() -> d.cacert);
    d.cert = p.value(m, "cert", YamlNode::filePath).or(() -> d.cert);
    d.key = p.value(m, "key", YamlNode::filePath).or(() -> d.key);
    d.user = p.value(m, "user", YamlNode::nonEmptyText).or(() -> d.user);
    d.password = p.value(m, "passwordFile", n -> ConfigValues.secretFile(n.filePath())).or(() -> d.password);
    d.insecureSkipTlsVerify = p.value(m, "insecureSkipTlsVerify", YamlNode::bool).or(() -> d.insecureSkipTlsVerify);
    d.dialTimeout = p.value(m, "dialTimeout", n -> n.duration(Duration.ofMillis(1))).or(() -> d.dialTimeout);
    d.commandTimeout = p.value(m, "commandTimeout", n -> n.duration(Duration.ofMillis(1)))
        .or(() -> d.commandTimeout);
  }

  private static void schedule(Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.snapshotsEnabled = p.value(m, "enabled", YamlNode::bool).or(() -> d.snapshotsEnabled);
    d.zone = p.value(m, "timezone", LifeboatYaml::zone).or(() -> d.zone);
    if (m.containsKey("every") && m.containsKey("cron")) {
      p.add(m.get("cron"), "give either schedule.every or schedule.cron, not both");
    } else if (m.containsKey("every")) {
      d.schedule = p.value(m, "every", n -> {
        n.duration(Duration.ofSeconds(1)); // a Go duration only, not a cron expression
        return scheduleText(n, d);
      }).or(() -> d.schedule);
    } else {
      d.schedule = p.value(m, "cron", n -> scheduleText(n, d)).or(() -> d.schedule);
    }
    d.names = p.value(m, "names", n -> NameStyle.parse(n.text())).or(() -> d.names);
    d.attempts = p.value(m, "attempts", n -> n.positiveInteger("must be at least 1")).or(() -> d.attempts);
    d.retryBackoff = p.value(m, "retryBackoff", n -> n.duration(Duration.ZERO)).or(() -> d.retryBackoff);
    d.maxSnapshotAge = p.value(m, "maxSnapshotAge", n -> n.duration(Duration.ofSeconds(1)))
        .or(() -> d.maxSnapshotAge);
  }

  private static ZoneId zone(YamlNode node) throws ConfigException {
    String text = node.nonEmptyText();
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw node.error("unknown time zone '" + ConfigException.shown(text) + "' (use a region such as Europe/Berlin"
          + " or UTC)");
    }
  }

  /** Checks the text now (with the zone known so far) so that the problem has this line. */
  private static ConfigDraft.ScheduleText scheduleText(YamlNode node, ConfigDraft d) throws ConfigException {
    String text = node.nonEmptyText();
    Schedule.parse(text, d.zone.orElse(ZoneOffset.UTC));
    return new ConfigDraft.ScheduleText(text, node.toString());
  }

  /** {@code 6}, {@code 24h}, {@code "hourly=24,daily=7"} or a mapping of tiers. */
  private static Optional<RetentionPolicy> retention(YamlNode node, Problems p) {
    if (!node.isMapping()) {
      return p.value(node, n -> RetentionPolicy.parse(n.text()));
    }
    Map<String, YamlNode> m = node.mapping(TIERS, p).orElse(Map.of());
    int[] tiers = new int[TIERS.size()];
    boolean valid = true;
    for (int i = 0; i < tiers.length; i++) {
      String tier = TIERS.get(i);
      if (m.containsKey(tier)) {
        Optional<Integer> count = p.value(m, tier, LifeboatYaml::tierCount);
        valid &= count.isPresent();
        tiers[i] = count.orElse(0);
      }
    }
    return valid ? p.value(node, n -> new RetentionPolicy.Tiered(tiers[0], tiers[1], tiers[2], tiers[3]))
        : Optional.empty();
  }

  private static int tierCount(YamlNode node) throws ConfigException {
    int count = node.integer();
    if (count < 0) {
      throw node.error("must not be negative");
    }
    return count;
  }

  private static void storage(Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.dir = p.value(m, "dir", YamlNode::filePath).or(() -> d.dir);
    d.compression = p.value(m, "compress", n -> Compression.parse(n.text().strip())).or(() -> d.compression);
    d.encryptionKeyFile = p.value(m, "encryptionKeyFile", YamlNode::filePath).or(() -> d.encryptionKeyFile);
    if (m.containsKey("s3")) {
      d.s3 = s3(m.get("s3"), p).or(() -> d.s3);
    }
  }

  /** The bucket; empty when the section has problems, each recorded. */
  private static Optional<S3Config> s3(YamlNode node, Problems p) {
    Optional<Map<String, YamlNode>> section = node.mapping(S3, p);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode> m = section.get();
    if (!m.containsKey("bucketName")) {
      p.add(node, "bucketName is required when storage.s3 is given");
    }
    if (m.containsKey("accessKey") != m.containsKey("secretKey")) {
      p.add(node, "accessKey and secretKey must be given together (or neither, for the AWS SDK's credential chain)");
    }
    Optional<String> bucket = p.value(m, "bucketName", YamlNode::nonEmptyText);
    Optional<URI> endpoint = p.value(m, "endpoint", n -> ConfigValues.s3Endpoint(n.nonEmptyText()));
    Optional<String> region = p.value(m, "region", YamlNode::nonEmptyText);
    Optional<String> folder = p.value(m, "folder", YamlNode::text);
    Optional<String> accessKey = p.value(m, "accessKey", YamlNode::nonEmptyText);
    Optional<Secret> secretKey = p.value(m, "secretKey", n -> Secret.of(n.nonEmptyText()));
    Optional<Path> ca = p.value(m, "endpointCa", YamlNode::filePath);
    if (bucket.isEmpty()) {
      return Optional.empty();
    }
    S3Config s3 = S3Config.forBucket(bucket.get());
    s3 = endpoint.map(s3::withEndpoint).orElse(s3);
    s3 = region.map(s3::withRegion).orElse(s3);
    s3 = folder.map(s3::withFolder).orElse(s3);
    if (accessKey.isPresent() && secretKey.isPresent()) {
      s3 = s3.withCredentials(accessKey.get(), secretKey.get());
    }
    return Optional.of(ca.map(s3::withEndpointCa).orElse(s3));
  }

  private static void http(Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.listen = p.value(m, "listen", n -> ConfigValues.listen(n.nonEmptyText())).or(() -> d.listen);
    d.tokenFile = p.value(m, "tokenFile", YamlNode::filePath).or(() -> d.tokenFile);
    d.noAuthOnLoopback = p.value(m, "noAuthOnLoopback", n -> noAuthOnLoopback(n, d)).or(() -> d.noAuthOnLoopback);
  }

  /** Checked with the listen address given so far, so that a non-loopback one is reported on this line. */
  private static boolean noAuthOnLoopback(YamlNode node, ConfigDraft d) throws ConfigException {
    boolean noAuth = node.bool();
    new HttpSettings(d.listen.orElse(HttpSettings.DEFAULT_LISTEN), d.tokenFile, noAuth); // checks the combination
    return noAuth;
  }

  private static void election(Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.electionEnabled = p.value(m, "enabled", YamlNode::bool).or(() -> d.electionEnabled);
    d.electionName = p.value(m, "name", YamlNode::nonEmptyText).or(() -> d.electionName);
    d.leaseTtl = p.value(m, "leaseTtl", n -> n.duration(ElectionSettings.MIN_LEASE_TTL)).or(() -> d.leaseTtl);
  }
}
