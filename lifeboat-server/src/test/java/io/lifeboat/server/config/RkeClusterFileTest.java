package io.lifeboat.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.server.schedule.Schedule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RkeClusterFileTest {
  private static final String SECRET = "rke-s3-secret-key-never-shown";
  private static final String PEM = """
      -----BEGIN CERTIFICATE-----
      MIIBszCCAVmgAwIBAgIUQk0wFAKEFAKEFAKEFAKEFAKEFAKEwCgYIKoZIzj0EAwIw
      -----END CERTIFICATE-----""";

  /** A cluster.yml as `rke config` writes it, trimmed, with the sections Lifeboat ignores. */
  private static final String NODES = """
      nodes:
      - address: 203.0.113.10
        port: "22"
        internal_address: 10.0.0.10
        role:
        - controlplane
        - etcd
        hostname_override: cp1
        user: ubuntu
        docker_socket: /var/run/docker.sock
        ssh_key_path: ~/.ssh/id_rsa
        labels: {}
        taints: []
      - address: 203.0.113.11
        internal_address: ""
        role: [worker]
        user: ubuntu
      - address: 203.0.113.12
        role: [etcd, worker]
        user: ubuntu
      """;

  private static final String KUBE_API = """
        kube-api:
          image: ""
          extra_args:
            audit-log-path: "-"
          service_cluster_ip_range: 10.43.0.0/16
          service_node_port_range: ""
          pod_security_policy: false
          always_pull_images: false
        kubelet:
          cluster_domain: cluster.local
          fail_swap_on: false
      """;

  private static final String TAIL = """
      network:
        plugin: canal
        options: {}
        mtu: 0
      authentication:
        strategy: x509
      addons: ""
      addons_include: []
      system_images:
        etcd: rancher/mirrored-coreos-etcd:v3.5.4
      ssh_key_path: ~/.ssh/id_rsa
      kubernetes_version: ""
      ingress:
        provider: ""
      cluster_name: ""
      """;

  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path f = dir.resolve("cluster.yml");
    Files.writeString(f, text);
    return f;
  }

  private ServerConfig load(String yaml, Map<String, String> env) throws Exception {
    return ConfigLoader.load(Optional.empty(), Optional.of(write(yaml)), env);
  }

  private ConfigException failure(String yaml) throws IOException {
    Path f = write(yaml);
    try {
      ConfigLoader.load(Optional.empty(), Optional.of(f), Map.of());
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith(f.toString()).doesNotContain(SECRET);
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  private static String modern(String s3) {
    return NODES + "services:\n" + """
          etcd:
            image: ""
            extra_args: {}
            external_urls: []
            ca_cert: ""
            snapshot: null
            retention: ""
            creation: ""
            backup_config:
              enabled: true
              interval_hours: 12
              retention: 6
        """ + s3 + KUBE_API + TAIL;
  }

  @Test
  void load_modernForm_readsEndpointsScheduleRetentionAndS3() throws Exception {
    String s3 = """
              s3backupconfig:
                access_key: AKIAEXAMPLE
                secret_key: %s
                bucket_name: rke-backups
                region: us-west-2
                endpoint: s3.amazonaws.com
                folder: cluster-a
                custom_ca: |-
        %s
        """.formatted(SECRET, PEM.indent(10).stripTrailing());
    ServerConfig c = load(modern(s3), Map.of());

    assertThat(c.etcd().endpoints()).containsExactly("https://10.0.0.10:2379", "https://203.0.113.12:2379");
    assertThat(c.etcd().cacert()).contains(Path.of("/etc/kubernetes/ssl/kube-ca.pem"));
    assertThat(c.etcd().cert()).contains(Path.of("/etc/kubernetes/ssl/kube-etcd-10-0-0-10.pem"));
    assertThat(c.etcd().key()).contains(Path.of("/etc/kubernetes/ssl/kube-etcd-10-0-0-10-key.pem"));
    assertThat(c.schedule().enabled()).isTrue();
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(12)));
    assertThat(c.schedule().names()).isEqualTo(NameStyle.RKE);
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(6));
    assertThat(c.storage().dir()).isEqualTo(Path.of("/opt/rke/etcd-snapshots"));
    assertThat(c.storage().compression()).isEqualTo(Compression.ZIP);
    assertThat(c.source()).isEqualTo("RKE cluster.yml " + dir.resolve("cluster.yml"));

    S3Config got = c.storage().s3().orElseThrow();
    assertThat(got.bucket()).isEqualTo("rke-backups");
    assertThat(got.endpoint()).contains(URI.create("https://s3.amazonaws.com"));
    assertThat(got.region()).contains("us-west-2");
    assertThat(got.folder()).isEqualTo("cluster-a");
    assertThat(got.accessKey()).contains("AKIAEXAMPLE");
    assertThat(got.secretKey().orElseThrow().reveal()).isEqualTo(SECRET);
    Path ca = got.endpointCa().orElseThrow();
    assertThat(Files.readString(ca)).isEqualTo(PEM);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.getParent()))).isEqualTo("rwx------");
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  @Test
  void load_backupConfigDefaults_andEndpointWithSchemeKept() throws Exception {
    ServerConfig c = load(NODES + """
        services:
          etcd:
            backup_config:
              s3backupconfig:
                bucket_name: b
                endpoint: http://minio.example.com:9000
        """, Map.of());
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(12)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(6));
    assertThat(c.storage().s3().orElseThrow().endpoint()).contains(URI.create("http://minio.example.com:9000"));
    assertThat(c.storage().s3().orElseThrow().accessKey()).isEmpty();
  }

  @Test
  void load_backupConfigDisabled_keepsServerButNoSchedule() throws Exception {
    ServerConfig c = load(NODES + "services:\n  etcd:\n    backup_config:\n      enabled: false\n", Map.of());
    assertThat(c.schedule().enabled()).isFalse();
  }

  @Test
  void load_legacyForm_creationAndRetentionAge() throws Exception {
    ServerConfig c = load(NODES + """
        services:
          etcd:
            snapshot: true
            creation: 5m0s
            retention: 24h
        """ + TAIL, Map.of());
    assertThat(c.schedule().enabled()).isTrue();
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofMinutes(5)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(24)));
  }

  @Test
  void load_legacyDefaults_whenNothingIsGiven() throws Exception {
    ServerConfig c = load(NODES + "services:\n  etcd:\n    backup_config: null\n", Map.of());
    assertThat(c.schedule().enabled()).isTrue();
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(12)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(72)));
    assertThat(load(NODES + "services:\n  etcd:\n    snapshot: false\n", Map.of()).schedule().enabled()).isFalse();
  }

  @Test
  void load_backupConfigWinsOverLegacyKeys() throws Exception {
    ServerConfig c = load(NODES + """
        services:
          etcd:
            snapshot: true
            creation: 5m0s
            retention: 24h
            backup_config:
              interval_hours: 6
              retention: 10
        """, Map.of());
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(6)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(10));
  }

  @Test
  void load_externalUrls_replaceNodeEndpoints() throws Exception {
    ServerConfig c = load(NODES + """
        services:
          etcd:
            external_urls:
            - https://etcd1.example.com:2379
            - https://etcd2.example.com:2379
        """, Map.of());
    assertThat(c.etcd().endpoints()).containsExactly("https://etcd1.example.com:2379", "https://etcd2.example.com:2379");
  }

  @Test
  void load_ipv6Node_isBracketedAndCertNamedWithDashes() throws Exception {
    ServerConfig c = load("nodes:\n- address: \"fd00::5\"\n  role: [etcd]\n", Map.of());
    assertThat(c.etcd().endpoints()).containsExactly("https://[fd00::5]:2379");
    assertThat(c.etcd().cert()).contains(Path.of("/etc/kubernetes/ssl/kube-etcd-fd00--5.pem"));
  }

  @Test
  void load_noEtcdNode_isAnError() throws Exception {
    assertThat(failure("nodes:\n- address: 1.2.3.4\n  role: [worker]\nnetwork:\n  plugin: canal\n").getMessage())
        .contains("no node with role etcd");
  }

  @Test
  void load_intervalHoursNotAnInteger_isAnErrorWithLine() throws Exception {
    ConfigException e = failure(NODES + "services:\n  etcd:\n    backup_config:\n      interval_hours: abc\n");
    int line = NODES.split("\n").length + 4;
    assertThat(e.getMessage()).contains("cluster.yml:" + line + ":")
        .contains("key 'services.etcd.backup_config.interval_hours'").contains("expected an integer, got 'abc'");
  }

  @Test
  void load_roleNotAList_isAnError() throws Exception {
    assertThat(failure("nodes:\n- address: 1.2.3.4\n  role:\n    etcd: true\n").getMessage())
        .contains(":4:").contains("key 'nodes[0].role'").contains("expected a list");
  }

  @Test
  void load_s3WithoutEndpointOrBucket_isAnErrorWithoutTheSecret() throws Exception {
    String noEndpoint = NODES + """
        services:
          etcd:
            backup_config:
              s3backupconfig:
                access_key: AKIA
                secret_key: %s
                bucket_name: b
        """.formatted(SECRET);
    assertThat(failure(noEndpoint).getMessage()).contains("key 'services.etcd.backup_config.s3backupconfig'")
        .contains("endpoint is required");
    String noBucket = noEndpoint.replace("bucket_name: b", "endpoint: s3.amazonaws.com");
    assertThat(failure(noBucket).getMessage()).contains("bucket_name is required");
  }

  @Test
  void load_customCaNotPem_isAnErrorWithoutItsContent() throws Exception {
    ConfigException e = failure(NODES + """
        services:
          etcd:
            backup_config:
              s3backupconfig:
                access_key: AKIA
                secret_key: %s
                bucket_name: b
                endpoint: s3.amazonaws.com
                custom_ca: this-is-not-a-certificate-but-a-typo
        """.formatted(SECRET));
    assertThat(e.getMessage()).contains("key 'services.etcd.backup_config.s3backupconfig.custom_ca'")
        .contains("expected a PEM certificate").doesNotContain("this-is-not-a-certificate");
  }

  @Test
  void load_secretKeyOfWrongType_neverEchoed() throws Exception {
    ConfigException e = failure(NODES + """
        services:
          etcd:
            backup_config:
              s3backupconfig:
                access_key: AKIA
                secret_key: [%s]
                bucket_name: b
                endpoint: s3.amazonaws.com
        """.formatted(SECRET));
    assertThat(e.getMessage()).contains("secret_key").contains("expected a single value");
  }

  @Test
  void load_duplicateKeyInReadSection_isAnError() throws Exception {
    assertThat(failure(NODES + "services:\n  etcd:\n    snapshot: true\n    snapshot: false\n").getMessage())
        .contains("duplicate key");
  }

  @Test
  void load_environmentOverridesRkeCertsButEtcdctlDoesNot() throws Exception {
    ServerConfig c = load(NODES, Map.of("LIFEBOAT_CERT", "/certs/me.pem", "LIFEBOAT_KEY", "/certs/me-key.pem",
        "ETCDCTL_CACERT", "/other/ca.pem", "ETCDCTL_ENDPOINTS", "https://127.0.0.1:2379"));
    assertThat(c.etcd().cert()).contains(Path.of("/certs/me.pem"));
    assertThat(c.etcd().key()).contains(Path.of("/certs/me-key.pem"));
    assertThat(c.etcd().cacert()).contains(Path.of("/etc/kubernetes/ssl/kube-ca.pem"));
    assertThat(c.etcd().endpoints()).containsExactly("https://10.0.0.10:2379", "https://203.0.113.12:2379");
  }

  @Test
  void load_twoBadValuesInBackupConfig_areBothReported() throws Exception {
    Path f = write(NODES + """
        services:
          etcd:
            backup_config:
              interval_hours: abc
              retention: 0
              s3backupconfig:
                secret_key: %s
                endpoint: s3.amazonaws.com
        """.formatted(SECRET));
    int first = NODES.split("\n").length + 4;
    try {
      ConfigLoader.load(Optional.empty(), Optional.of(f), Map.of());
      throw new AssertionError("expected a ConfigException");
    } catch (ConfigException e) {
      String key = "key 'services.etcd.backup_config.";
      assertThat(e.problems()).containsExactly(
          f + ":" + first + ": " + key + "interval_hours': expected an integer, got 'abc'",
          f + ":" + (first + 1) + ": " + key + "retention': must keep at least 1 snapshot, got 0",
          f + ":" + (first + 3) + ": " + key + "s3backupconfig': bucket_name is required",
          f + ":" + (first + 3) + ": " + key + "s3backupconfig': access_key and secret_key must be given together"
              + " (or neither, for the instance role)");
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems())).doesNotContain(SECRET);
    }
  }

  @Test
  void load_badNodeAndBadLegacyValue_areBothReportedWithoutAMissingEtcdNodeProblem() throws Exception {
    Path f = write("nodes:\n- address: 1.2.3.4\n  role: etcd\nservices:\n  etcd:\n    creation: often\n");
    try {
      ConfigLoader.load(Optional.empty(), Optional.of(f), Map.of());
      throw new AssertionError("expected a ConfigException");
    } catch (ConfigException e) {
      assertThat(e.problems()).containsExactly(
          f + ":3: key 'nodes[0].role': expected a list, got a value",
          f + ":6: key 'services.etcd.creation': expected a duration such as 5s, 15m or 12h, got 'often'");
    }
  }
}
