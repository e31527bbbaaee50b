package io.lifeboat.server.config;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.GoDuration;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.Secret;
import java.io.IOException;
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
 * the keys it reads are checked strictly.
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

  static void read(Path file, ConfigDraft d) throws ConfigException {
    YamlNode root = YamlNode.read(file);
    Map<String, YamlNode> top = root.entries();
    Map<String, YamlNode> etcd = section(section(top, "services"), "etcd");

    List<String> external = externalUrls(etcd);
    if (!external.isEmpty()) {
      try {
        d.endpoints = Optional.of(ConfigValues.endpoints(external));
      } catch (IllegalArgumentException e) {
        throw etcd.get("external_urls").invalid(e);
      }
    } else {
      List<String> hosts = etcdHosts(root, top);
      d.endpoints = Optional.of(hosts.stream().map(h -> "https://" + bracketed(h) + ":2379").toList());
      String certName = "kube-etcd-" + hosts.get(0).replace('.', '-').replace(':', '-');
      d.cert = Optional.of(Path.of(SSL_DIR + certName + ".pem"));
      d.key = Optional.of(Path.of(SSL_DIR + certName + "-key.pem"));
    }
    d.cacert = Optional.of(Path.of(CA_CERT));

    if (etcd.containsKey("backup_config")) {
      backupConfig(etcd.get("backup_config"), d);
    } else {
      legacy(etcd, d);
    }
    d.names = Optional.of(NameStyle.RKE);
    d.compression = Optional.of(Compression.ZIP);
    d.dir = Optional.of(Path.of(StorageSettings.RKE_DIR));
  }

  /** The mapping under {@code key}, or an empty one when the key is absent or has no value. */
  private static Map<String, YamlNode> section(Map<String, YamlNode> parent, String key) throws ConfigException {
    YamlNode n = parent.get(key);
    return n == null ? Map.of() : n.entries();
  }

  private static List<String> etcdHosts(YamlNode root, Map<String, YamlNode> top) throws ConfigException {
    List<String> hosts = new ArrayList<>();
    if (top.containsKey("nodes")) {
      for (YamlNode node : top.get("nodes").list()) {
        Map<String, YamlNode> n = node.entries();
        if (!n.containsKey("role")) {
          continue;
        }
        boolean etcd = false;
        for (YamlNode role : n.get("role").list()) {
          etcd |= role.text().strip().equals("etcd");
        }
        if (etcd) {
          Optional<String> internal = nonEmpty(n, "internal_address");
          if (internal.isPresent()) {
            hosts.add(internal.get());
          } else if (n.containsKey("address")) {
            hosts.add(n.get("address").nonEmptyText());
          } else {
            throw node.error("an etcd node needs an address");
          }
        }
      }
    }
    if (hosts.isEmpty()) {
      throw root.error("no node with role etcd in nodes (and no services.etcd.external_urls)");
    }
    return hosts;
  }

  /** RKE writes {@code external_urls: []} when etcd runs on the nodes. */
  private static List<String> externalUrls(Map<String, YamlNode> etcd) throws ConfigException {
    YamlNode n = etcd.get("external_urls");
    if (n == null) {
      return List.of();
    }
    if (!n.isSequence()) {
      return n.text().isBlank() ? List.of() : n.strings();
    }
    List<String> urls = new ArrayList<>();
    for (YamlNode item : n.list()) {
      urls.add(item.nonEmptyText());
    }
    return urls;
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static void backupConfig(YamlNode node, ConfigDraft d) throws ConfigException {
    Map<String, YamlNode> m = node.entries();
    d.snapshotsEnabled = Optional.of(m.containsKey("enabled") ? m.get("enabled").bool() : true);
    int hours = 12;
    if (m.containsKey("interval_hours")) {
      YamlNode h = m.get("interval_hours");
      hours = h.integer();
      if (hours < 1) {
        throw h.error("must be at least 1, got " + hours);
      }
    }
    d.schedule = Optional.of(new ConfigDraft.ScheduleText(hours + "h", node + ".interval_hours"));
    int keep = 6;
    if (m.containsKey("retention")) {
      YamlNode r = m.get("retention");
      keep = r.integer();
      if (keep < 1) {
        throw r.error("must keep at least 1 snapshot, got " + keep);
      }
    }
    d.retention = Optional.of(new RetentionPolicy.Count(keep));
    if (m.containsKey("s3backupconfig")) {
      d.s3 = Optional.of(s3(m.get("s3backupconfig")));
    }
  }

  private static void legacy(Map<String, YamlNode> etcd, ConfigDraft d) throws ConfigException {
    d.snapshotsEnabled = Optional.of(etcd.containsKey("snapshot") ? etcd.get("snapshot").bool() : true);
    Duration creation = legacyDuration(etcd, "creation").orElse(Duration.ofHours(12));
    d.schedule = Optional.of(new ConfigDraft.ScheduleText(GoDuration.format(creation), "services.etcd.creation"));
    Duration age = legacyDuration(etcd, "retention").orElse(Duration.ofHours(72));
    d.retention = Optional.of(new RetentionPolicy.MaxAge(age));
  }

  /** RKE's generated files hold {@code creation: ""}: empty means RKE's default. */
  private static Optional<Duration> legacyDuration(Map<String, YamlNode> etcd, String key) throws ConfigException {
    if (nonEmpty(etcd, key).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(etcd.get(key).duration(Duration.ofSeconds(1)));
  }

  /** RKE's validation: endpoint and bucket_name required; custom_ca must be a PEM certificate. */
  private static S3Config s3(YamlNode node) throws ConfigException {
    Map<String, YamlNode> m = node.entries();
    String bucket = nonEmpty(m, "bucket_name").orElseThrow(() -> node.error("bucket_name is required"));
    String endpoint = nonEmpty(m, "endpoint").orElseThrow(() -> node.error("endpoint is required"));
    S3Config s3 = S3Config.forBucket(bucket);
    // RKE's endpoints are host[:port] without a scheme; rke-tools' minio client uses TLS for them.
    String url = endpoint.contains("://") ? endpoint : "https://" + endpoint;
    try {
      s3 = s3.withEndpoint(ConfigValues.s3Endpoint(url));
    } catch (IllegalArgumentException e) {
      throw m.get("endpoint").invalid(e);
    }
    Optional<String> region = nonEmpty(m, "region");
    if (region.isPresent()) {
      s3 = s3.withRegion(region.get());
    }
    Optional<String> folder = nonEmpty(m, "folder");
    if (folder.isPresent()) {
      s3 = s3.withFolder(folder.get());
    }
    Optional<String> access = nonEmpty(m, "access_key");
    Optional<String> secret = nonEmpty(m, "secret_key");
    if (access.isPresent() != secret.isPresent()) {
      throw node.error("access_key and secret_key must be given together (or neither, for the instance role)");
    }
    if (access.isPresent()) {
      s3 = s3.withCredentials(access.get(), Secret.of(secret.get()));
    }
    Optional<String> ca = nonEmpty(m, "custom_ca");
    if (ca.isPresent()) {
      s3 = s3.withEndpointCa(writeCustomCa(m.get("custom_ca"), ca.get()));
    }
    return s3;
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

  /** A scalar value, absent when the key is missing, null or an empty string (RKE writes {@code ""}). */
  private static Optional<String> nonEmpty(Map<String, YamlNode> m, String key) throws ConfigException {
    YamlNode n = m.get(key);
    if (n == null) {
      return Optional.empty();
    }
    String t = n.text().strip();
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }
}
