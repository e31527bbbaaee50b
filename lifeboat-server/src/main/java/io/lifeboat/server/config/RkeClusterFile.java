package io.lifeboat.server.config;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.GoDuration;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the etcd and backup settings of an RKE {@code cluster.yml}, so that Lifeboat can replace
 * RKE's {@code etcd-rolling-snapshots} container with the file already on the host. Keys Lifeboat
 * does not use (nodes' SSH settings, {@code network}, {@code addons}, other services) are ignored;
 * the keys it reads are checked strictly, and every problem in them is recorded.
 *
 * <p>What is read, with RKE's defaults:
 *
 * <ul>
 *   <li>{@code nodes[]} whose {@code role} contains {@code etcd}: endpoints
 *       {@code https://<internal_address or address>:2379} in file order, unless
 *       {@code services.etcd.external_urls} is given (external etcd). TLS files are RKE's on an etcd
 *       host: {@code /etc/kubernetes/ssl/kube-ca.pem} and the first etcd node's
 *       {@code kube-etcd-<address with . and : as ->.pem} / {@code -key.pem}, named after the same
 *       address as the endpoint, as RKE names them. On any other host set {@code LIFEBOAT_CERT} and
 *       {@code LIFEBOAT_KEY} (and {@code LIFEBOAT_CACERT}).
 *   <li>{@code services.etcd.backup_config}: {@code enabled} (true), {@code interval_hours} (12) and
 *       {@code retention} (a count, 6), and {@code s3backupconfig}.
 *   <li>Only when {@code backup_config} is absent, the legacy {@code services.etcd.snapshot} (true),
 *       {@code creation} (12h) and {@code retention} (an age, 72h), RKE's code defaults. When
 *       {@code backup_config} is present, its {@code interval_hours} and {@code retention} win, as in
 *       RKE.
 * </ul>
 *
 * Snapshots are named and stored as rke-tools does ({@code <RFC 3339>_etcd.zip} in
 * {@code /opt/rke/etcd-snapshots}), so that RKE can still list and restore them.
 */
final class RkeClusterFile {
  static final String CA_CERT = "/etc/kubernetes/ssl/kube-ca.pem";
  private static final String SSL_DIR = "/etc/kubernetes/ssl/";
  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  private RkeClusterFile() {}

  /**
   * Reads {@code file} into {@code d}, recording each problem in {@code problems} and leaving that
   * setting as it was.
   *
   * @throws ConfigException only when the file cannot be read as YAML with a mapping at the top
   */
  static void read(Path file, ConfigDraft d, Problems problems) throws ConfigException {
    YamlNode root = YamlNode.read(file);
    Map<String, YamlNode> top = root.entries(problems).orElse(Map.of());
    Map<String, YamlNode> etcd = section(section(top, "services", problems), "etcd", problems);

    Optional<List<String>> external = etcd.containsKey("external_urls")
        ? problems.value(etcd, "external_urls", RkeClusterFile::externalUrls)
        : Optional.of(List.of());
    if (external.isPresent() && !external.get().isEmpty()) {
      d.endpoints = external;
    } else if (external.isPresent()) {
      etcdHosts(root, top, problems).ifPresent(hosts -> {
        d.endpoints = Optional.of(hosts.stream().map(h -> "https://" + bracketed(h) + ":2379").toList());
        String certName = "kube-etcd-" + hosts.get(0).replace('.', '-').replace(':', '-');
        d.cert = Optional.of(Path.of(SSL_DIR + certName + ".pem"));
        d.key = Optional.of(Path.of(SSL_DIR + certName + "-key.pem"));
      });
    }
    d.cacert = Optional.of(Path.of(CA_CERT));

    if (etcd.containsKey("backup_config")) {
      etcd.get("backup_config").entries(problems).ifPresent(m -> backupConfig(etcd.get("backup_config"), m, d,
          problems));
    } else {
      legacy(etcd, d, problems);
    }
    d.names = Optional.of(NameStyle.RKE);
    d.compression = Optional.of(Compression.ZIP);
    d.dir = Optional.of(Path.of(StorageSettings.RKE_DIR));
  }

  /** The mapping under {@code key}, or an empty one when the key is absent, has no value or is not a mapping. */
  private static Map<String, YamlNode> section(Map<String, YamlNode> parent, String key, Problems problems) {
    YamlNode n = parent.get(key);
    return n == null ? Map.of() : n.entries(problems).orElse(Map.of());
  }

  /**
   * The etcd nodes' addresses in file order; empty when there are none, which is a problem of its
   * own only when every node could be read.
   */
  private static Optional<List<String>> etcdHosts(YamlNode root, Map<String, YamlNode> top, Problems problems) {
    Problems nodeProblems = new Problems();
    List<String> hosts = new ArrayList<>();
    List<YamlNode> nodes = top.containsKey("nodes")
        ? nodeProblems.value(top.get("nodes"), YamlNode::list).orElse(List.of())
        : List.of();
    for (YamlNode node : nodes) {
      Map<String, YamlNode> n = node.entries(nodeProblems).orElse(Map.of());
      if (nodeProblems.value(n, "role", RkeClusterFile::hasEtcdRole).orElse(false)) {
        Optional<String> host = nonEmpty(n, "internal_address", nodeProblems)
            .or(() -> nodeProblems.value(n, "address", YamlNode::nonEmptyText));
        if (!n.containsKey("address") && unset(n, "internal_address")) {
          nodeProblems.add(node, "an etcd node needs an address");
        }
        host.ifPresent(hosts::add);
      }
    }
    if (hosts.isEmpty() && nodeProblems.isEmpty()) {
      problems.add(root, "no node with role etcd in nodes (and no services.etcd.external_urls)");
    }
    problems.addAll(nodeProblems);
    return hosts.isEmpty() ? Optional.empty() : Optional.of(hosts);
  }

  private static boolean hasEtcdRole(YamlNode role) throws ConfigException {
    boolean etcd = false;
    for (YamlNode r : role.list()) {
      etcd |= r.text().strip().equals("etcd");
    }
    return etcd;
  }

  /** RKE writes {@code external_urls: []} when etcd runs on the nodes; checked as endpoints. */
  private static List<String> externalUrls(YamlNode n) throws ConfigException {
    List<String> urls = new ArrayList<>();
    if (!n.isSequence()) {
      urls.addAll(n.text().isBlank() ? List.of() : n.strings());
    } else {
      for (YamlNode item : n.list()) {
        urls.add(item.nonEmptyText());
      }
    }
    return ConfigValues.endpoints(urls);
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static void backupConfig(YamlNode node, Map<String, YamlNode> m, ConfigDraft d, Problems p) {
    d.snapshotsEnabled = Optional.of(p.value(m, "enabled", YamlNode::bool).orElse(true));
    int hours = p.value(m, "interval_hours", n -> n.positiveInteger("must be at least 1")).orElse(12);
    d.schedule = Optional.of(new ConfigDraft.ScheduleText(hours + "h", node + ".interval_hours"));
    int keep = p.value(m, "retention", n -> n.positiveInteger("must keep at least 1 snapshot")).orElse(6);
    d.retention = Optional.of(new RetentionPolicy.Count(keep));
    if (m.containsKey("s3backupconfig")) {
      d.s3 = s3(m.get("s3backupconfig"), p).or(() -> d.s3);
    }
  }

  private static void legacy(Map<String, YamlNode> etcd, ConfigDraft d, Problems p) {
    d.snapshotsEnabled = Optional.of(p.value(etcd, "snapshot", YamlNode::bool).orElse(true));
    Duration creation = legacyDuration(etcd, "creation", p).orElse(Duration.ofHours(12));
    d.schedule = Optional.of(new ConfigDraft.ScheduleText(GoDuration.format(creation), "services.etcd.creation"));
    Duration age = legacyDuration(etcd, "retention", p).orElse(Duration.ofHours(72));
    d.retention = Optional.of(new RetentionPolicy.MaxAge(age));
  }

  /** RKE's generated files hold {@code creation: ""}: empty means RKE's default. */
  private static Optional<Duration> legacyDuration(Map<String, YamlNode> etcd, String key, Problems p) {
    return unset(etcd, key) ? Optional.empty() : p.value(etcd, key, n -> n.duration(Duration.ofSeconds(1)));
  }

  /**
   * RKE's validation: endpoint and bucket_name required; custom_ca must be a PEM certificate. Empty
   * when the section has problems, each recorded.
   */
  private static Optional<S3Config> s3(YamlNode node, Problems p) {
    Optional<Map<String, YamlNode>> section = node.entries(p);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode> m = section.get();
    if (unset(m, "bucket_name")) {
      p.add(node, "bucket_name is required");
    }
    if (unset(m, "endpoint")) {
      p.add(node, "endpoint is required");
    }
    if (unset(m, "access_key") != unset(m, "secret_key")) {
      p.add(node, "access_key and secret_key must be given together (or neither, for the instance role)");
    }
    Optional<String> bucket = nonEmpty(m, "bucket_name", p);
    // RKE's endpoints are host[:port] without a scheme; rke-tools' minio client uses TLS for them.
    Optional<URI> endpoint = nonEmpty(m, "endpoint", p).flatMap(e -> p.value(m.get("endpoint"),
        n -> ConfigValues.s3Endpoint(e.contains("://") ? e : "https://" + e)));
    Optional<String> region = nonEmpty(m, "region", p);
    Optional<String> folder = nonEmpty(m, "folder", p);
    Optional<String> access = nonEmpty(m, "access_key", p);
    Optional<String> secret = nonEmpty(m, "secret_key", p);
    Optional<Path> ca = nonEmpty(m, "custom_ca", p).flatMap(pem -> p.value(m.get("custom_ca"),
        n -> writeCustomCa(n, pem)));
    if (bucket.isEmpty() || endpoint.isEmpty()) {
      return Optional.empty();
    }
    S3Config s3 = S3Config.forBucket(bucket.get()).withEndpoint(endpoint.get());
    s3 = region.map(s3::withRegion).orElse(s3);
    s3 = folder.map(s3::withFolder).orElse(s3);
    if (access.isPresent() && secret.isPresent()) {
      s3 = s3.withCredentials(access.get(), Secret.of(secret.get()));
    }
    return Optional.of(ca.map(s3::withEndpointCa).orElse(s3));
  }

  /**
   * Writes the PEM text to a new 0600 file in a new 0700 directory, because the S3 client reads CAs
   * from files. The directory is removed when the JVM exits.
   */
  private static Path writeCustomCa(YamlNode node, String pem) throws ConfigException {
    if (!pem.contains(PEM_CERTIFICATE)) {
      throw node.error("expected a PEM certificate (" + PEM_CERTIFICATE + " ...)");
    }
    try {
      Path dir = Files.createTempDirectory("lifeboat-s3-ca-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("custom-ca.pem");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      Files.writeString(file, pem, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      throw node.error("cannot write the CA to a temporary file: " + e.getClass().getSimpleName());
    }
  }

  /** Whether the key is missing, null or an empty string: RKE writes {@code ""} for "not given". */
  private static boolean unset(Map<String, YamlNode> m, String key) {
    return !m.containsKey(key) || m.get(key).isBlank();
  }

  /** A single value, stripped; empty when {@link #unset} or not a single value (then recorded). */
  private static Optional<String> nonEmpty(Map<String, YamlNode> m, String key, Problems p) {
    return unset(m, key) ? Optional.empty() : p.value(m, key, n -> n.text().strip());
  }
}
