package io.lifeboat.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.client.Secret;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.server.schedule.Schedule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifeboatYamlTest {
  private static final String S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET";
  private static final String ETCD_PASSWORD = "etcd-pw-do-not-print";

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private ServerConfig load(String yaml) throws Exception {
    return ConfigLoader.load(Optional.of(write("lifeboat.yml", yaml)), Optional.empty(), Map.of());
  }

  private ConfigException failure(String yaml) throws IOException {
    Path f = write("lifeboat.yml", yaml);
    try {
      ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of());
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").startsWith(f.toString())
          .doesNotContain(S3_SECRET).doesNotContain(ETCD_PASSWORD);
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void load_fullFile_fillsEveryRecord() throws Exception {
    Path password = write("etcd-password", ETCD_PASSWORD + "  \nsecond line ignored\n");
    ServerConfig c = load("""
        etcd:
          endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
          cacert: /etc/kubernetes/pki/etcd/ca.crt
          cert: /etc/kubernetes/pki/etcd/healthcheck-client.crt
          key: /etc/kubernetes/pki/etcd/healthcheck-client.key
          user: root
          passwordFile: %s
          insecureSkipTlsVerify: false
          dialTimeout: 3s
          commandTimeout: 7s
        schedule:
          enabled: true
          cron: "0 */6 * * *"
          timezone: Europe/Berlin
          names: rke
          attempts: 3
          retryBackoff: 20s
          maxSnapshotAge: 13h
        retention: 24h
        storage:
          dir: /data/snapshots
          compress: gzip
          encryptionKeyFile: /etc/lifeboat/key.json
          s3:
            endpoint: http://127.0.0.1:9000
            bucketName: backups
            region: eu-west-1
            folder: prod
            accessKey: AKIAEXAMPLE
            secretKey: %s
            endpointCa: /etc/lifeboat/s3-ca.pem
        http:
          listen: 127.0.0.1:9191
          tokenFile: /etc/lifeboat/token
          noAuthOnLoopback: true
        log:
          format: json
        election:
          enabled: false
          name: backups/leader
          leaseTtl: 15s
        """.formatted(password, S3_SECRET));

    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(c.etcd()).isEqualTo(new EtcdSettings(List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"),
        Optional.of(Path.of("/etc/kubernetes/pki/etcd/ca.crt")),
        Optional.of(Path.of("/etc/kubernetes/pki/etcd/healthcheck-client.crt")),
        Optional.of(Path.of("/etc/kubernetes/pki/etcd/healthcheck-client.key")), Optional.of("root"),
        Optional.of(new Secret(ETCD_PASSWORD)), false, Duration.ofSeconds(3), Duration.ofSeconds(7)));
    assertThat(c.schedule()).isEqualTo(new ScheduleSettings(true, Schedule.parse("0 */6 * * *", berlin),
        NameStyle.RKE, 3, Duration.ofSeconds(20), Optional.of(Duration.ofHours(13))));
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Cron("0 */6 * * *", berlin));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(24)));
    S3Config s3 = S3Config.forBucket("backups").withEndpoint(URI.create("http://127.0.0.1:9000"))
        .withRegion("eu-west-1").withFolder("prod")
        .withCredentials("AKIAEXAMPLE", io.lifeboat.repository.s3.Secret.of(S3_SECRET))
        .withEndpointCa(Path.of("/etc/lifeboat/s3-ca.pem"));
    assertThat(c.storage()).isEqualTo(new StorageSettings(Path.of("/data/snapshots"), Optional.of(s3),
        Compression.GZIP, Optional.of(Path.of("/etc/lifeboat/key.json"))));
    assertThat(c.http()).isEqualTo(new HttpSettings(new InetSocketAddress("127.0.0.1", 9191),
        Optional.of(Path.of("/etc/lifeboat/token")), true));
    assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(c.election()).isEqualTo(new ElectionSettings(false, "backups/leader", Duration.ofSeconds(15)));
    assertThat(c.source()).isEqualTo("lifeboat.yml " + dir.resolve("lifeboat.yml"));
    assertThat(c.toString()).doesNotContain(S3_SECRET).doesNotContain(ETCD_PASSWORD);
  }

  @Test
  void load_emptyFile_givesDefaults() throws Exception {
    ServerConfig c = load("");
    assertThat(c.etcd().endpoints()).containsExactly("http://127.0.0.1:2379");
    assertThat(c.etcd().dialTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.etcd().commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.schedule()).isEqualTo(new ScheduleSettings(true, new Schedule.Interval(Duration.ofHours(12)),
        NameStyle.LIFEBOAT, 4, Duration.ofSeconds(15), Optional.empty()));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(6));
    assertThat(c.storage()).isEqualTo(new StorageSettings(Path.of("/var/lib/lifeboat/snapshots"), Optional.empty(),
        Compression.ZSTD, Optional.empty()));
    assertThat(c.http()).isEqualTo(new HttpSettings(HttpSettings.DEFAULT_LISTEN, Optional.empty(), false));
    assertThat(c.election()).isEqualTo(new ElectionSettings(true, "lifeboat/leader", Duration.ofSeconds(10)));
    assertThat(c.logFormat()).isEqualTo(LogFormat.LOGFMT);
  }

  @Test
  void load_everyAndCommaSeparatedEndpoints() throws Exception {
    ServerConfig c = load("""
        etcd:
          endpoints: "https://a:2379, https://b:2379"
        schedule:
          every: 15m
        """);
    assertThat(c.etcd().endpoints()).containsExactly("https://a:2379", "https://b:2379");
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofMinutes(15)));
    assertThat(c.schedule().schedule()).isEqualTo(Schedule.parse("15m", ZoneOffset.UTC));
  }

  @Test
  void load_unknownNestedKey_namesFileLineAndKeyWithSuggestion() throws Exception {
    ConfigException e = failure("""
        # comment
        etcd:
          cacert: /ca.pem
          endpoint: https://10.0.0.1:2379
        """);
    assertThat(e.getMessage()).contains("lifeboat.yml:4:").contains("key 'etcd.endpoint'")
        .contains("unknown key").contains("did you mean 'endpoints'?").contains("known: endpoints, cacert");
  }

  @Test
  void load_unknownKeyInS3_namesFullPath() throws Exception {
    ConfigException e = failure("""
        storage:
          s3:
            bucketName: b
            bucket_region: x
        """);
    assertThat(e.getMessage()).contains("lifeboat.yml:4:").contains("key 'storage.s3.bucket_region'");
  }

  @Test
  void load_unknownTopLevelKey() throws Exception {
    assertThat(failure("etcd: {}\nelections:\n  enabled: false\n").getMessage())
        .contains("lifeboat.yml:2:").contains("key 'elections'").contains("did you mean 'election'?");
  }

  @Test
  void load_wrongTypes_sayWhatWasExpected() throws Exception {
    assertThat(failure("schedule:\n  attempts: many\n").getMessage())
        .contains("lifeboat.yml:2:").contains("key 'schedule.attempts'").contains("expected an integer, got 'many'");
    assertThat(failure("etcd:\n  cacert:\n    path: /x\n").getMessage())
        .contains("lifeboat.yml:3:").contains("key 'etcd.cacert'").contains("expected a single value, got a mapping");
    assertThat(failure("etcd:\n  insecureSkipTlsVerify: maybe\n").getMessage())
        .contains(":2:").contains("expected true or false, got 'maybe'");
    assertThat(failure("etcd:\n  dialTimeout: 2 seconds\n").getMessage())
        .contains(":2:").contains("key 'etcd.dialTimeout'").contains("expected a duration");
    assertThat(failure("etcd: [a, b]\n").getMessage())
        .contains(":1:").contains("key 'etcd'").contains("expected a mapping of keys, got a list");
    assertThat(failure("election:\n  leaseTtl: 1s\n").getMessage())
        .contains(":2:").contains("key 'election.leaseTtl'").contains("at least 2s");
    assertThat(failure("etcd:\n  endpoints: [\"ftp://x:1\"]\n").getMessage())
        .contains(":2:").contains("not a valid endpoint");
  }

  @Test
  void load_booleansAcceptOnOffYesNo() throws Exception {
    assertThat(load("schedule:\n  enabled: off\n").schedule().enabled()).isFalse();
    assertThat(load("schedule:\n  enabled: \"no\"\n").schedule().enabled()).isFalse();
    assertThat(load("schedule:\n  enabled: 1\n").schedule().enabled()).isTrue();
  }

  @Test
  void load_duplicateKey_namesBothLines() throws Exception {
    assertThat(failure("etcd:\n  user: a\n  cacert: /x\n  user: b\n").getMessage())
        .contains("lifeboat.yml:4:").contains("key 'etcd.user'").contains("duplicate key (first given on line 2)");
  }

  @Test
  void load_topLevelNotAMapping() throws Exception {
    assertThat(failure("- etcd\n- schedule\n").getMessage())
        .contains("lifeboat.yml:1:").contains("top level must be a mapping");
  }

  @Test
  void load_yamlSyntaxError_hasLineButNotTheLine() throws Exception {
    ConfigException e = failure("storage:\n  s3:\n    secretKey: \"" + S3_SECRET + "\n    bucketName: [\n");
    assertThat(e.getMessage()).contains("invalid YAML").doesNotContain(S3_SECRET);
  }

  @Test
  void load_aliasBomb_isRefused() throws Exception {
    StringBuilder yaml = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 30; i++) {
      yaml.append("b").append(i).append(": [*a, *a]\n");
    }
    assertThat(failure(yaml.toString()).getMessage()).contains("invalid YAML");
  }

  @Test
  void load_everyAndCron_isAnError() throws Exception {
    assertThat(failure("schedule:\n  every: 6h\n  cron: \"0 * * * *\"\n").getMessage())
        .contains(":3:").contains("key 'schedule.cron'").contains("either schedule.every or schedule.cron");
  }

  @Test
  void load_everyMustBeADuration() throws Exception {
    assertThat(failure("schedule:\n  every: \"0 * * * *\"\n").getMessage())
        .contains(":2:").contains("key 'schedule.every'").contains("expected a duration");
  }

  @Test
  void load_badCron_isAnErrorWithLine() throws Exception {
    assertThat(failure("schedule:\n  cron: not a schedule at all really\n").getMessage())
        .contains(":2:").contains("key 'schedule.cron'");
  }

  @Test
  void load_badZone_isAnError() throws Exception {
    assertThat(failure("schedule:\n  cron: \"0 3 * * *\"\n  timezone: Mars/Olympus\n").getMessage())
        .contains(":3:").contains("key 'schedule.timezone'").contains("unknown time zone 'Mars/Olympus'");
  }

  @Test
  void load_retentionForms() throws Exception {
    assertThat(load("retention: 6\n").retention()).isEqualTo(new RetentionPolicy.Count(6));
    assertThat(load("retention: 1h30m\n").retention()).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofMinutes(90)));
    assertThat(load("retention: \"hourly=24,daily=7\"\n").retention())
        .isEqualTo(new RetentionPolicy.Tiered(24, 7, 0, 0));
    assertThat(load("retention:\n  hourly: 24\n  daily: 7\n  weekly: 4\n  monthly: 12\n").retention())
        .isEqualTo(new RetentionPolicy.Tiered(24, 7, 4, 12));
  }

  @Test
  void load_badRetention_isAnError() throws Exception {
    assertThat(failure("etcd: {}\nretention: forever\n").getMessage())
        .contains(":2:").contains("key 'retention'").contains("neither a count");
    assertThat(failure("retention: 0\n").getMessage()).contains(":1:").contains("at least 1");
    assertThat(failure("retention:\n  hourly: 24\n  yearly: 3\n").getMessage())
        .contains(":3:").contains("key 'retention.yearly'").contains("unknown key");
    assertThat(failure("retention:\n  hourly: 0\n").getMessage()).contains(":2:").contains("at least one tier");
  }

  @Test
  void load_noAuthOnAllInterfaces_isAnErrorWithLine() throws Exception {
    assertThat(failure("http:\n  listen: 0.0.0.0:9090\n  noAuthOnLoopback: true\n").getMessage())
        .contains("lifeboat.yml:3:").contains("key 'http.noAuthOnLoopback'").contains("loopback");
  }

  @Test
  void load_ipv6Listen() throws Exception {
    assertThat(load("http:\n  listen: \"[::1]:9090\"\n  noAuthOnLoopback: true\n").http().listen().getPort())
        .isEqualTo(9090);
    assertThat(failure("http:\n  listen: 9090\n").getMessage()).contains(":2:").contains("expected host:port");
  }

  @Test
  void load_s3WithoutBucket_isAnError() throws Exception {
    assertThat(failure("storage:\n  s3:\n    region: x\n").getMessage())
        .contains(":3:").contains("key 'storage.s3'").contains("bucketName is required");
  }

  @Test
  void load_s3SecretWithoutAccessKey_neverEchoesTheSecret() throws Exception {
    ConfigException e = failure("storage:\n  s3:\n    bucketName: b\n    secretKey: " + S3_SECRET + "\n");
    assertThat(e.getMessage()).contains("accessKey and secretKey").doesNotContain(S3_SECRET);
  }

  @Test
  void load_secretAsMapping_neverEchoesIt() throws Exception {
    ConfigException e = failure("storage:\n  s3:\n    bucketName: b\n    accessKey: a\n    secretKey:\n      v: "
        + S3_SECRET + "\n");
    assertThat(e.getMessage()).contains("key 'storage.s3.secretKey'").doesNotContain(S3_SECRET);
  }

  @Test
  void load_missingPasswordFile_namesKeyAndPath() throws Exception {
    assertThat(failure("etcd:\n  passwordFile: /nonexistent/pw\n").getMessage())
        .contains(":2:").contains("key 'etcd.passwordFile'").contains("/nonexistent/pw").contains("no such file");
  }

  @Test
  void load_emptyPasswordFile_isAnError() throws Exception {
    Path pw = write("pw", "\n");
    assertThat(failure("etcd:\n  passwordFile: " + pw + "\n").getMessage()).contains("is empty");
  }

  @Test
  void load_badCompressionAndLogFormat() throws Exception {
    assertThat(failure("storage:\n  compress: lz4\n").getMessage()).contains(":2:").contains("unknown compression");
    assertThat(failure("log:\n  format: xml\n").getMessage()).contains(":2:").contains("logfmt or json");
  }

  @Test
  void load_notUtf8_isAnError() throws Exception {
    Path f = dir.resolve("latin1.yml");
    Files.write(f, new byte[] {'e', 't', 'c', 'd', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage(f + ": not UTF-8 text");
  }

  @Test
  void load_directoryInsteadOfFile_isAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir), Optional.empty(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(dir + ": cannot read");
  }

  @Test
  void load_passwordFileContent_neverInMessages() throws Exception {
    Path pw = write("pw", ETCD_PASSWORD + "\n");
    ConfigException e = failure("etcd:\n  passwordFile: " + pw + "\n  user: [a]\n");
    assertThat(e.getMessage()).contains("key 'etcd.user'");
  }

  @Test
  void load_missingFile_namesIt() {
    Path missing = dir.resolve("nope.yml");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Optional.empty(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage(missing + ": no such file");
  }

  @Test
  void load_bothFiles_isAnError() throws Exception {
    Path a = write("lifeboat.yml", "");
    Path b = write("cluster.yml", "");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(a), Optional.of(b), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
  }

  /** All the problems of one load, each checked to be one line without secrets. */
  private List<String> problems(String yaml) throws IOException {
    Path f = write("lifeboat.yml", yaml);
    try {
      ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of());
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
      assertThat(e.problems()).allSatisfy(p -> assertThat(p).doesNotContain("\n").doesNotContain("\r")
          .startsWith(f + ":").doesNotContain(S3_SECRET).doesNotContain(ETCD_PASSWORD));
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void load_problemsInSeveralSections_areAllReportedInFileOrder() throws Exception {
    String f = dir.resolve("lifeboat.yml").toString();
    List<String> problems = problems("""
        storage:
          compress: lz4
          dir: /data
        etcd:
          endpoint: https://10.0.0.1:2379
          cacert: /ca.pem
        schedule:
          attempts: many
          every: 2 hours
          names: rke
          timezone: Mars/Olympus
        """);
    assertThat(problems).satisfiesExactly(
        p -> assertThat(p).startsWith(f + ":2: key 'storage.compress': ").contains("unknown compression"),
        p -> assertThat(p).isEqualTo(f + ":5: key 'etcd.endpoint': unknown key; did you mean 'endpoints'? known: "
            + "endpoints, cacert, cert, key, user, passwordFile, insecureSkipTlsVerify, dialTimeout, commandTimeout"),
        p -> assertThat(p).isEqualTo(f + ":8: key 'schedule.attempts': expected an integer, got 'many'"),
        p -> assertThat(p).isEqualTo(f + ":9: key 'schedule.every': expected a duration such as 5s, 15m or 12h,"
            + " got '2 hours'"),
        p -> assertThat(p).isEqualTo(f + ":11: key 'schedule.timezone': unknown time zone 'Mars/Olympus' (use a"
            + " region such as Europe/Berlin or UTC)"));
  }

  @Test
  void load_unknownKeysAndDuplicates_areEachReported() throws Exception {
    List<String> problems = problems("""
        elections:
          enabled: false
        etcd:
          user: a
          user: b
          dial_timeout: 3s
        logs: {}
        """);
    assertThat(problems).satisfiesExactly(
        p -> assertThat(p).contains(":1: key 'elections': unknown key; did you mean 'election'?"),
        p -> assertThat(p).contains(":5: key 'etcd.user': duplicate key (first given on line 4)"),
        p -> assertThat(p).contains(":6: key 'etcd.dial_timeout': unknown key; did you mean 'dialTimeout'?"),
        p -> assertThat(p).contains(":7: key 'logs': unknown key; did you mean 'log'?"));
  }

  @Test
  void load_s3SectionProblems_areEachReportedOnceWithoutTheSecret() throws Exception {
    List<String> problems = problems("""
        storage:
          s3:
            endpoint: ftp://s3.example.com
            secretKey: %s
          compress: zstd
        http:
          listen: 0.0.0.0:9090
          noAuthOnLoopback: true
        """.formatted(S3_SECRET));
    assertThat(problems).satisfiesExactly(
        p -> assertThat(p).endsWith(":3: key 'storage.s3': bucketName is required when storage.s3 is given"),
        p -> assertThat(p).contains(":3: key 'storage.s3': accessKey and secretKey must be given together"),
        p -> assertThat(p).contains(":3: key 'storage.s3.endpoint': expected an http(s) URL"),
        p -> assertThat(p).contains(":8: key 'http.noAuthOnLoopback': ").contains("loopback"));
  }

  @Test
  void load_singleProblem_isAOneLineMessage() throws Exception {
    Path f = write("lifeboat.yml", "schedule:\n  attempts: 0\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactly(f + ":2: key 'schedule.attempts': must be at least 1, got 0");
          assertThat(e.getMessage()).isEqualTo(e.problems().get(0));
        });
  }
}
