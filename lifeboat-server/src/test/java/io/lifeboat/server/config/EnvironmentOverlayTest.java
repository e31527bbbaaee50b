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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentOverlayTest {
  private static final String SECRET = "env-secret-never-shown";

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("lifeboat.yml");
    Files.writeString(f, text);
    return f;
  }

  private static ServerConfig env(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Optional.empty(), Optional.empty(), env);
  }

  private static String failure(Map<String, String> env) {
    try {
      env(env);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(SECRET);
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for " + env.keySet());
  }

  @Test
  void load_noFileNoEnvironment_isDefaultsFromEnvironment() throws Exception {
    ServerConfig c = env(Map.of("PATH", "/usr/bin", "HOME", "/root"));
    assertThat(c.source()).isEqualTo("environment");
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(12)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(6));
  }

  @Test
  void load_rancherVariables_overrideTheFile() throws Exception {
    Path f = yaml("schedule:\n  every: 6h\nretention: 10\n");
    ServerConfig c = ConfigLoader.load(Optional.of(f), Optional.empty(),
        Map.of("BACKUP_PERIOD", "15m0s", "BACKUP_RETENTION", "24h", "EMBEDDED_BACKUPS", "false"));
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofMinutes(15)));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(24)));
    assertThat(c.schedule().enabled()).isFalse();
    assertThat(env(Map.of("EMBEDDED_BACKUPS", "on")).schedule().enabled()).isTrue();
  }

  @Test
  void load_lifeboatVariables_overrideRancherAndFile() throws Exception {
    Path f = yaml("schedule:\n  every: 6h\nretention: 10\nstorage:\n  dir: /from/file\n");
    ServerConfig c = ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of("BACKUP_PERIOD", "15m",
        "LIFEBOAT_SCHEDULE", "0 */6 * * *", "LIFEBOAT_TIMEZONE", "Europe/Berlin", "LIFEBOAT_RETENTION",
        "hourly=24,daily=7", "LIFEBOAT_SNAPSHOT_DIR", "/from/env"));
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Cron("0 */6 * * *", ZoneId.of("Europe/Berlin")));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Tiered(24, 7, 0, 0));
    assertThat(c.storage().dir()).isEqualTo(Path.of("/from/env"));
  }

  @Test
  void load_timezoneFromEnvironment_appliesToTheFilesCron() throws Exception {
    Path f = yaml("schedule:\n  cron: \"0 3 * * *\"\n");
    ServerConfig c = ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of("LIFEBOAT_TIMEZONE", "Asia/Tokyo"));
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Cron("0 3 * * *", ZoneId.of("Asia/Tokyo")));
  }

  @Test
  void load_everyLifeboatVariable() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, SECRET + "\n");
    Map<String, String> e = new HashMap<>();
    e.put("LIFEBOAT_ENDPOINTS", "https://10.0.0.1:2379,https://10.0.0.2:2379");
    e.put("LIFEBOAT_CACERT", "/ca.pem");
    e.put("LIFEBOAT_CERT", "/c.pem");
    e.put("LIFEBOAT_KEY", "/k.pem");
    e.put("LIFEBOAT_USER", "root");
    e.put("LIFEBOAT_PASSWORD_FILE", pw.toString());
    e.put("LIFEBOAT_INSECURE_SKIP_TLS_VERIFY", "yes");
    e.put("LIFEBOAT_DIAL_TIMEOUT", "3s");
    e.put("LIFEBOAT_COMMAND_TIMEOUT", "9s");
    e.put("LIFEBOAT_SCHEDULE", "@every 5m");
    e.put("LIFEBOAT_SNAPSHOTS_ENABLED", "0");
    e.put("LIFEBOAT_NAME_STYLE", "rke");
    e.put("LIFEBOAT_ATTEMPTS", "2");
    e.put("LIFEBOAT_RETRY_BACKOFF", "1m");
    e.put("LIFEBOAT_MAX_SNAPSHOT_AGE", "30m");
    e.put("LIFEBOAT_RETENTION", "3");
    e.put("LIFEBOAT_SNAPSHOT_DIR", "/snap");
    e.put("LIFEBOAT_COMPRESS", "none");
    e.put("LIFEBOAT_ENCRYPTION_KEY_FILE", "/key.json");
    e.put("LIFEBOAT_S3", "true");
    e.put("LIFEBOAT_S3_ENDPOINT", "http://127.0.0.1:9000");
    e.put("LIFEBOAT_S3_BUCKET_NAME", "bkt");
    e.put("LIFEBOAT_S3_REGION", "eu-central-1");
    e.put("LIFEBOAT_S3_FOLDER", "f");
    e.put("LIFEBOAT_S3_ACCESS_KEY", "AK");
    e.put("LIFEBOAT_S3_SECRET_KEY", SECRET);
    e.put("LIFEBOAT_S3_ENDPOINT_CA", "/s3ca.pem");
    e.put("LIFEBOAT_LISTEN", "[::1]:9999");
    e.put("LIFEBOAT_TOKEN_FILE", "/token");
    e.put("LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", "true");
    e.put("LIFEBOAT_LOG_FORMAT", "json");
    e.put("LIFEBOAT_ELECTION", "off");
    e.put("LIFEBOAT_ELECTION_NAME", "x/leader");
    e.put("LIFEBOAT_LEASE_TTL", "30s");
    e.put("LIFEBOAT_JAVA_OPTS", "-Xmx1g");
    e.put("LIFEBOAT_DEBUG", "1");
    e.put("LIFEBOAT_CDS_DIR", "/cache");
    e.put("LIFEBOAT_JAR", "/opt/lifeboat.jar");
    ServerConfig c = env(e);

    assertThat(c.etcd()).isEqualTo(new EtcdSettings(java.util.List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"),
        Optional.of(Path.of("/ca.pem")), Optional.of(Path.of("/c.pem")), Optional.of(Path.of("/k.pem")),
        Optional.of("root"), Optional.of(new Secret(SECRET)), true, Duration.ofSeconds(3), Duration.ofSeconds(9)));
    assertThat(c.schedule()).isEqualTo(new ScheduleSettings(false, new Schedule.Interval(Duration.ofMinutes(5)),
        NameStyle.RKE, 2, Duration.ofMinutes(1), Optional.of(Duration.ofMinutes(30))));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(3));
    S3Config s3 = S3Config.forBucket("bkt").withEndpoint(URI.create("http://127.0.0.1:9000"))
        .withRegion("eu-central-1").withFolder("f")
        .withCredentials("AK", io.lifeboat.repository.s3.Secret.of(SECRET)).withEndpointCa(Path.of("/s3ca.pem"));
    assertThat(c.storage()).isEqualTo(new StorageSettings(Path.of("/snap"), Optional.of(s3), Compression.NONE,
        Optional.of(Path.of("/key.json"))));
    assertThat(c.http()).isEqualTo(new HttpSettings(new InetSocketAddress("::1", 9999), Optional.of(Path.of("/token")),
        true));
    assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(c.election()).isEqualTo(new ElectionSettings(false, "x/leader", Duration.ofSeconds(30)));
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  @Test
  void load_etcdctlVariables_applyOnlyWhereTheFileSetNothing() throws Exception {
    Map<String, String> etcdctl = Map.of("ETCDCTL_ENDPOINTS", "https://192.168.1.1:2379", "ETCDCTL_CACERT", "/e/ca.pem",
        "ETCDCTL_CERT", "/e/c.pem", "ETCDCTL_KEY", "/e/k.pem", "ETCDCTL_USER", "root", "ETCDCTL_PASSWORD", SECRET);
    ServerConfig fromEnv = ConfigLoader.load(Optional.of(yaml("etcd:\n  cacert: /file/ca.pem\n")), Optional.empty(),
        etcdctl);
    assertThat(fromEnv.etcd().endpoints()).containsExactly("https://192.168.1.1:2379");
    assertThat(fromEnv.etcd().cacert()).contains(Path.of("/file/ca.pem"));
    assertThat(fromEnv.etcd().cert()).contains(Path.of("/e/c.pem"));
    assertThat(fromEnv.etcd().key()).contains(Path.of("/e/k.pem"));
    assertThat(fromEnv.etcd().user()).contains("root");
    assertThat(fromEnv.etcd().password()).contains(new Secret(SECRET));

    ServerConfig fromFile = ConfigLoader.load(Optional.of(yaml("etcd:\n  endpoints: [https://10.9.9.9:2379]\n")),
        Optional.empty(), etcdctl);
    assertThat(fromFile.etcd().endpoints()).containsExactly("https://10.9.9.9:2379");

    ServerConfig lifeboatWins = ConfigLoader.load(Optional.empty(), Optional.empty(),
        Map.of("ETCDCTL_ENDPOINTS", "https://192.168.1.1:2379", "LIFEBOAT_ENDPOINTS", "https://10.1.1.1:2379"));
    assertThat(lifeboatWins.etcd().endpoints()).containsExactly("https://10.1.1.1:2379");
  }

  @Test
  void load_etcdctlUserWithPassword_splitsIt() throws Exception {
    ServerConfig c = env(Map.of("ETCDCTL_USER", "root:" + SECRET));
    assertThat(c.etcd().user()).contains("root");
    assertThat(c.etcd().password()).contains(new Secret(SECRET));
  }

  @Test
  void load_unknownLifeboatVariable_isAnErrorWithSuggestion() {
    assertThat(failure(Map.of("LIFEBOAT_FOO", "x"))).startsWith("LIFEBOAT_FOO: unknown variable");
    assertThat(failure(Map.of("LIFEBOAT_RETENTON", "6"))).startsWith("LIFEBOAT_RETENTON: unknown variable")
        .contains("did you mean LIFEBOAT_RETENTION?");
  }

  @Test
  void load_badValues_nameTheVariable() {
    assertThat(failure(Map.of("LIFEBOAT_RETENTION", "forever"))).startsWith("LIFEBOAT_RETENTION: ")
        .contains("neither a count");
    assertThat(failure(Map.of("LIFEBOAT_ATTEMPTS", "0"))).startsWith("LIFEBOAT_ATTEMPTS: ");
    assertThat(failure(Map.of("LIFEBOAT_S3", "maybe"))).startsWith("LIFEBOAT_S3: expected true or false");
    assertThat(failure(Map.of("LIFEBOAT_TIMEZONE", "Nowhere/Land"))).startsWith("LIFEBOAT_TIMEZONE: unknown time zone");
    assertThat(failure(Map.of("LIFEBOAT_SCHEDULE", "sometimes"))).startsWith("LIFEBOAT_SCHEDULE: ");
    assertThat(failure(Map.of("LIFEBOAT_LEASE_TTL", "1s"))).startsWith("LIFEBOAT_LEASE_TTL: must be at least 2s");
    assertThat(failure(Map.of("LIFEBOAT_NAME_STYLE", "velero"))).startsWith("LIFEBOAT_NAME_STYLE: ");
    assertThat(failure(Map.of("BACKUP_PERIOD", "0 * * * *"))).startsWith("BACKUP_PERIOD: ");
    assertThat(failure(Map.of("BACKUP_RETENTION", "6"))).startsWith("BACKUP_RETENTION: ");
    assertThat(failure(Map.of("EMBEDDED_BACKUPS", "sure"))).startsWith("EMBEDDED_BACKUPS: ");
    assertThat(failure(Map.of("ETCDCTL_ENDPOINTS", "ftp://x"))).startsWith("ETCDCTL_ENDPOINTS: ");
    assertThat(failure(Map.of("LIFEBOAT_PASSWORD_FILE", "/no/such/pw")))
        .isEqualTo("LIFEBOAT_PASSWORD_FILE: cannot read /no/such/pw: no such file");
  }

  @Test
  void load_noAuthOnNonLoopbackFromEnvironment_isAnError() {
    assertThat(failure(Map.of("LIFEBOAT_LISTEN", "0.0.0.0:9090", "LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", "true")))
        .contains("LIFEBOAT_API_NO_AUTH_ON_LOOPBACK").contains("loopback");
  }

  @Test
  void load_s3Variables_changeTheFilesBucketOrTurnItOff() throws Exception {
    Path f = yaml("storage:\n  s3:\n    bucketName: file-bucket\n    region: us-east-2\n    accessKey: A\n"
        + "    secretKey: " + SECRET + "\n");
    ServerConfig folder = ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of("LIFEBOAT_S3_FOLDER", "x",
        "LIFEBOAT_S3_BUCKET_NAME", "env-bucket"));
    S3Config s3 = folder.storage().s3().orElseThrow();
    assertThat(s3.bucket()).isEqualTo("env-bucket");
    assertThat(s3.folder()).isEqualTo("x");
    assertThat(s3.region()).contains("us-east-2");
    assertThat(s3.accessKey()).contains("A");

    ServerConfig off = ConfigLoader.load(Optional.of(f), Optional.empty(), Map.of("LIFEBOAT_S3", "false"));
    assertThat(off.storage().s3()).isEmpty();
  }

  @Test
  void load_s3WithoutBucket_orWithHalfTheCredentials_isAnError() {
    assertThat(failure(Map.of("LIFEBOAT_S3", "true"))).startsWith("LIFEBOAT_S3_BUCKET_NAME: required");
    assertThat(failure(Map.of("LIFEBOAT_S3_BUCKET_NAME", "b", "LIFEBOAT_S3_SECRET_KEY", SECRET)))
        .contains("give both");
  }

  @Test
  void load_s3WithoutCredentials_leavesThemToTheSdk() throws Exception {
    S3Config s3 = env(Map.of("LIFEBOAT_S3_BUCKET_NAME", "b", "AWS_ACCESS_KEY_ID", "ignored"))
        .storage().s3().orElseThrow();
    assertThat(s3.accessKey()).isEmpty();
    assertThat(s3.secretKey()).isEmpty();
  }

  @Test
  void load_emptyVariables_countAsUnset() throws Exception {
    ServerConfig c = env(Map.of("LIFEBOAT_RETENTION", "", "BACKUP_PERIOD", " "));
    assertThat(c.retention()).isEqualTo(new RetentionPolicy.Count(6));
    assertThat(c.schedule().schedule()).isEqualTo(new Schedule.Interval(Duration.ofHours(12)));
  }

  @Test
  void load_rejectsNullArguments() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Optional.empty(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("environment");
  }

  private static java.util.List<String> problems(Path file, Map<String, String> env) {
    try {
      ConfigLoader.load(Optional.ofNullable(file), Optional.empty(), env);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems())).doesNotContain(SECRET);
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException for " + env.keySet());
  }

  @Test
  void load_fileProblemAndBadVariables_areAllReported_fileFirstThenVariablesByName() throws Exception {
    Path f = yaml("retention: forever\nschedule:\n  every: 6h\n");
    assertThat(problems(f, Map.of("LIFEBOAT_TIMEZONE", "Nowhere/Land", "LIFEBOAT_ATTEMPTS", "0",
        "LIFEBOAT_RETENTON", "6", "LIFEBOAT_SNAPSHOT_DIR", "/ok")))
        .satisfiesExactly(
            p -> assertThat(p).startsWith(f + ":1: key 'retention': ").contains("neither a count"),
            p -> assertThat(p).isEqualTo("LIFEBOAT_ATTEMPTS: expected a whole number of at least 1, got '0'"),
            p -> assertThat(p).startsWith("LIFEBOAT_RETENTON: unknown variable; did you mean LIFEBOAT_RETENTION?"),
            p -> assertThat(p).isEqualTo("LIFEBOAT_TIMEZONE: unknown time zone 'Nowhere/Land'"));
  }

  @Test
  void load_severalBadVariables_areAllReportedSortedByName() {
    assertThat(problems(null, Map.of("LIFEBOAT_S3_SECRET_KEY", SECRET, "LIFEBOAT_S3_BUCKET_NAME", "b",
        "LIFEBOAT_S3_ENDPOINT", "ftp://x", "BACKUP_RETENTION", "6", "EMBEDDED_BACKUPS", "sure")))
        .satisfiesExactly(
            p -> assertThat(p).startsWith("BACKUP_RETENTION: "),
            p -> assertThat(p).startsWith("EMBEDDED_BACKUPS: expected true or false, got 'sure'"),
            p -> assertThat(p).startsWith("LIFEBOAT_S3_ACCESS_KEY, LIFEBOAT_S3_SECRET_KEY: give both"),
            p -> assertThat(p).startsWith("LIFEBOAT_S3_ENDPOINT: expected an http(s) URL"));
  }
}
