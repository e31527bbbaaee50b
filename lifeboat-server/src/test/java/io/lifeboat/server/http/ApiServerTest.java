package io.lifeboat.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.server.Deletion;
import io.lifeboat.server.ListedSnapshot;
import io.lifeboat.server.Readiness;
import io.lifeboat.server.SnapshotInProgressException;
import io.lifeboat.server.SnapshotService;
import io.lifeboat.server.SnapshotTrigger;
import io.lifeboat.server.TakenSnapshot;
import io.lifeboat.server.config.HttpSettings;
import io.lifeboat.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ApiServerTest {
  private static final String TOKEN = "s3cr3t-Token-0123456789";
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final SnapshotMetadata NEWER = metadata("etcd-snapshot-2026-11-25T21-00-00Z",
      Instant.parse("2026-11-25T21:00:00Z"), 2000);
  private static final SnapshotMetadata OLDER = metadata("etcd-snapshot-2026-11-25T20-00-00Z",
      Instant.parse("2026-11-25T20:00:00Z"), 1000);

  @TempDir Path dir;

  private final FakeService service = new FakeService();
  private final FakeTrigger trigger = new FakeTrigger();
  private final FakeReadiness readiness = new FakeReadiness();
  private final ServerMetrics metrics = new ServerMetrics(List.of("local", "s3"));
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ApiServer> servers = new ArrayList<>();
  private ApiServer server;

  @BeforeEach
  void startWithToken() throws IOException {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "  " + TOKEN + "  \nsecond line is ignored\n");
    server = start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(tokenFile), false));
  }

  @AfterEach
  void stop() {
    servers.forEach(ApiServer::close);
  }

  // --- probes and metrics

  @Test
  void healthz_answersOkWithoutToken() throws Exception {
    HttpResponse<String> r = send(get("/healthz"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void readyz_ready_answersOk() throws Exception {
    HttpResponse<String> r = send(get("/readyz"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
  }

  @Test
  void readyz_notReady_answers503WithOneProblemPerLine() throws Exception {
    readiness.problems = List.of("etcd unreachable: https://10.0.0.1:2379 refused the connection",
        "the newest snapshot is 3h old (limit 2h)");

    HttpResponse<String> r = send(get("/readyz"));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("etcd unreachable: https://10.0.0.1:2379 refused the connection\n"
        + "the newest snapshot is 3h old (limit 2h)\n");
  }

  @Test
  void metrics_answersPrometheusTextWithoutToken() throws Exception {
    metrics.snapshotTaken(new TakenSnapshot(NEWER, List.of("local", "s3"), Map.of(), 2000, Duration.ofSeconds(2)));
    metrics.snapshotFailed("local", "etcd unavailable");
    metrics.retentionDeleted(new Deletion("s3", new SnapshotName(OLDER.name()), OLDER.createdAt()));
    metrics.leader(true);

    HttpResponse<String> r = send(get("/metrics"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body().split("\n")).contains(
        "lifeboat_snapshots_taken_total{location=\"local\"} 1.0",
        "lifeboat_snapshots_taken_total{location=\"s3\"} 1.0",
        "lifeboat_snapshots_failed_total{location=\"local\"} 1.0",
        "lifeboat_snapshots_failed_total{location=\"s3\"} 0.0",
        "lifeboat_retention_deletions_total{location=\"local\"} 0.0",
        "lifeboat_retention_deletions_total{location=\"s3\"} 1.0",
        "lifeboat_upload_bytes_total{location=\"s3\"} 2000.0",
        "lifeboat_leader 1.0",
        "lifeboat_snapshot_last_success_timestamp_seconds 1.7956404E9",
        "lifeboat_snapshot_duration_seconds_count 1");
  }

  @Test
  void probes_wrongMethod_answer405WithAllow() throws Exception {
    for (String path : List.of("/healthz", "/readyz", "/metrics")) {
      HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.noBody()));

      assertThat(r.statusCode()).as(path).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(path).hasValue("GET");
    }
  }

  @Test
  void unknownPath_answers404() throws Exception {
    HttpResponse<String> r = send(get("/nothing-here"));

    assertThat(r.statusCode()).isEqualTo(404);
  }

  // --- API

  @Test
  void listSnapshots_answersMetadataAndLocationsNewestFirst() throws Exception {
    service.listed = List.of(new ListedSnapshot(NEWER, List.of("local", "s3")), new ListedSnapshot(OLDER, List.of("s3")));

    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS)));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("snapshots");
    assertThat(body.get("snapshots")).containsExactly(
        expected(NEWER, List.of("local", "s3")), expected(OLDER, List.of("s3")));
  }

  @Test
  void listSnapshots_objectHasTheMetadataFileFieldsInOrder() throws Exception {
    service.listed = List.of(new ListedSnapshot(NEWER, List.of("local")));

    JsonNode first = JSON.readTree(send(authorized(get(ApiHandler.SNAPSHOTS))).body()).get("snapshots").get(0);

    assertThat(first.fieldNames()).toIterable().containsExactly("format", "name", "createdAt", "file", "size",
        "sha256", "compression", "encryption", "etcd", "locations");
    assertThat(first.get("etcd").fieldNames()).toIterable().containsExactly("endpoint", "memberId", "clusterId",
        "serverVersion", "revision", "totalKey", "hash", "dbSize");
    assertThat(first.get("createdAt").asText()).isEqualTo("2026-11-25T21:00:00Z");
    assertThat(first.get("etcd").get("revision").asLong()).isEqualTo(2000);
    assertThat(MetadataCodec.decode("api", withoutLocations(first))).isEqualTo(NEWER);
  }

  @Test
  void listSnapshots_empty_answersEmptyArray() throws Exception {
    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS)));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"snapshots\":[]}\n");
  }

  @Test
  void listSnapshots_storeFails_answers500WithTheMessage() throws Exception {
    service.failure = new IOException("s3 bucket 'backups' unreachable: connection refused");

    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS)));

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(r.body())).isEqualTo(error("s3 bucket 'backups' unreachable: connection refused"));
  }

  @Test
  void getSnapshot_known_answersIt() throws Exception {
    service.listed = List.of(new ListedSnapshot(NEWER, List.of("local", "s3")), new ListedSnapshot(OLDER, List.of("s3")));

    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS + "/" + OLDER.name())));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(expected(OLDER, List.of("s3")));
  }

  @Test
  void getSnapshot_unknown_answers404NamingIt() throws Exception {
    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS + "/nightly-1")));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body())).isEqualTo(error("no snapshot named nightly-1"));
  }

  @Test
  void getSnapshot_percentEncodedName_isDecoded() throws Exception {
    SnapshotMetadata spaced = metadata("before upgrade+1", Instant.parse("2026-11-25T22:00:00Z"), 7);
    service.listed = List.of(new ListedSnapshot(spaced, List.of("local")));

    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS + "/before%20upgrade+1")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("name").asText()).isEqualTo("before upgrade+1");
  }

  @Test
  void getSnapshot_invalidName_answers400WithTheReason() throws Exception {
    for (String name : List.of("..%2F..%2Fetc", "a%2Fb", ".hidden", "x.json", "tab%09")) {
      HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS + "/" + name)));

      assertThat(r.statusCode()).as(name).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).as(name).isNotEmpty();
    }
    assertThat(service.finds).isZero();
  }

  @Test
  void getSnapshot_nestedPath_answers404() throws Exception {
    HttpResponse<String> r = send(authorized(get(ApiHandler.SNAPSHOTS + "/a/b")));

    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void postSnapshot_answers201WithLocationLocationsAndFailedUploads() throws Exception {
    trigger.result = new TakenSnapshot(NEWER, List.of("local"), Map.of("s3", "upload to bucket 'backups' timed out"),
        0, Duration.ofSeconds(4));

    HttpResponse<String> r = send(authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/snapshots/" + NEWER.name());
    ObjectNode expected = expected(NEWER, List.of("local"));
    expected.putObject("failedUploads").put("s3", "upload to bucket 'backups' timed out");
    assertThat(JSON.readTree(r.body())).isEqualTo(expected);
    assertThat(trigger.calls).isEqualTo(1);
  }

  @Test
  void postSnapshot_nameNeedingEscapes_getsAnEncodedLocation() throws Exception {
    trigger.result = new TakenSnapshot(metadata("pre upgrade", Instant.parse("2026-11-25T22:00:00Z"), 9),
        List.of("local"), Map.of(), 0, Duration.ofSeconds(1));

    HttpResponse<String> r = send(authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/snapshots/pre%20upgrade");
  }

  @Test
  void postSnapshot_withBody_ignoresIt() throws Exception {
    trigger.result = new TakenSnapshot(NEWER, List.of("local"), Map.of(), 0, Duration.ofSeconds(1));
    String body = "{\"name\":\"x\"}".repeat(10_000);

    HttpResponse<String> r = send(authorized(request(ApiHandler.SNAPSHOTS)
        .POST(HttpRequest.BodyPublishers.ofString(body))));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(r.body()).get("name").asText()).isEqualTo(NEWER.name());
  }

  @Test
  void postSnapshot_whileOneRuns_answers409() throws Exception {
    trigger.failure = new SnapshotInProgressException("the 21:00 snapshot is still running");

    HttpResponse<String> r = send(authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(r.body())).isEqualTo(error("a snapshot is being taken"));
  }

  @Test
  void postSnapshot_failure_answers500WithTheMessage() throws Exception {
    trigger.failure = new IOException("etcd https://10.0.0.1:2379: deadline exceeded after 30s");

    HttpResponse<String> r = send(authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(r.body())).isEqualTo(error("etcd https://10.0.0.1:2379: deadline exceeded after 30s"));
  }

  @Test
  void postSnapshot_whileAnotherRequestWaits_probesStillAnswer() throws Exception {
    trigger.block = new CountDownLatch(1);
    trigger.result = new TakenSnapshot(NEWER, List.of("local"), Map.of(), 0, Duration.ofSeconds(1));
    CompletableFuture<HttpResponse<String>> post = client.sendAsync(
        authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(trigger.entered.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(send(get("/healthz")).statusCode()).isEqualTo(200);
    assertThat(send(get("/metrics")).statusCode()).isEqualTo(200);

    trigger.block.countDown();
    assertThat(post.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
  }

  @Test
  void api_wrongMethod_answers405WithAllow() throws Exception {
    HttpResponse<String> collection = send(authorized(request(ApiHandler.SNAPSHOTS).DELETE()));
    HttpResponse<String> item = send(authorized(request(ApiHandler.SNAPSHOTS + "/x").POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(collection.statusCode()).isEqualTo(405);
    assertThat(collection.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(item.statusCode()).isEqualTo(405);
    assertThat(item.headers().firstValue("Allow")).hasValue("GET");
    assertThat(trigger.calls).isZero();
  }

  @Test
  void api_unknownPath_answers404() throws Exception {
    HttpResponse<String> r = send(authorized(get("/api/v2/snapshots")));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body())).isEqualTo(error("no such resource"));
  }

  @Test
  void bugInACollaborator_answers500WithoutDetailsAndKeepsServing() throws Exception {
    readiness.bug = new IllegalStateException("secret-looking internal detail");
    service.bug = new IllegalStateException("secret-looking internal detail");

    HttpResponse<String> ready = send(get("/readyz"));
    HttpResponse<String> list = send(authorized(get(ApiHandler.SNAPSHOTS)));

    assertThat(ready.statusCode()).isEqualTo(500);
    assertThat(ready.body()).isEqualTo("internal error\n");
    assertThat(list.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(list.body())).isEqualTo(error("internal error; see the server log"));
    assertThat(send(get("/healthz")).statusCode()).isEqualTo(200);
    // The operator gets the details the client does not.
    assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p).contains("secret-looking internal detail"));
  }

  // --- authentication

  @Test
  void api_missingToken_answers401WithChallengeAndNothingElse() throws Exception {
    service.listed = List.of(new ListedSnapshot(NEWER, List.of("local")));

    HttpResponse<String> r = send(get(ApiHandler.SNAPSHOTS));

    assertUnauthorized(r);
  }

  @Test
  void api_wrongToken_answers401() throws Exception {
    for (String value : List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
        "Bearer", "Bearer ", TOKEN)) {
      HttpResponse<String> r = send(get(ApiHandler.SNAPSHOTS).header("Authorization", value));

      assertUnauthorized(r);
    }
  }

  @Test
  void api_basicScheme_answers401() throws Exception {
    String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8));

    assertUnauthorized(send(get(ApiHandler.SNAPSHOTS).header("Authorization", "Basic " + basic)));
    assertUnauthorized(send(get(ApiHandler.SNAPSHOTS).header("Authorization", "Basic " + TOKEN)));
  }

  @Test
  void api_schemeIsCaseInsensitive() throws Exception {
    HttpResponse<String> r = send(get(ApiHandler.SNAPSHOTS).header("Authorization", "bearer " + TOKEN));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void api_withoutToken_neverRunsTheRequest() throws Exception {
    assertUnauthorized(send(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())));
    assertUnauthorized(send(get("/api/v2/anything")));
    assertUnauthorized(send(request(ApiHandler.SNAPSHOTS).DELETE()));

    assertThat(trigger.calls).isZero();
  }

  @Test
  void start_missingTokenFile_failsNamingTheFile() {
    Path missing = dir.resolve("no-such-token");

    assertThatThrownBy(() -> start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(missing), false)))
        .isInstanceOf(IOException.class)
        .hasMessage("API token file " + missing + " does not exist");
  }

  @Test
  void start_emptyTokenFile_failsNamingTheFile() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty-token"), "   \n" + TOKEN + "\n");

    assertThatThrownBy(() -> start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(empty), false)))
        .isInstanceOf(IOException.class)
        .hasMessage("API token file " + empty + " is empty; its first line must hold the token")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void start_unreadableTokenFile_failsWithoutShowingTheContent() throws IOException {
    Path notUtf8 = Files.write(dir.resolve("binary-token"), new byte[] {'s', '3', (byte) 0xff, (byte) 0xfe, '\n'});
    Path tooLong = Files.writeString(dir.resolve("long-token"), TOKEN.repeat(500) + "\n");

    assertThatThrownBy(() -> start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(notUtf8), false)))
        .isInstanceOf(IOException.class)
        .hasMessage("API token file " + notUtf8 + " is not UTF-8 text");
    assertThatThrownBy(() -> start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(tooLong), false)))
        .isInstanceOf(IOException.class)
        .hasMessage("API token file " + tooLong + " has a first line longer than 4096 characters")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(dir), false)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("API token file " + dir + " cannot be read");
  }

  @Test
  void start_tokenFileWithCrlf_acceptsTheTrimmedFirstLine() throws Exception {
    Path crlf = Files.writeString(dir.resolve("crlf-token"), TOKEN + "\r\n");
    ApiServer s = start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.of(crlf), false));

    HttpResponse<String> r = send(authorized(request(s, ApiHandler.SNAPSHOTS).GET()));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void noTokenFile_unauthenticatedLoopbackAllowed_opensTheApi() throws Exception {
    ApiServer open = start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.empty(), true));
    service.listed = List.of(new ListedSnapshot(OLDER, List.of("local")));

    HttpResponse<String> r = send(request(open, ApiHandler.SNAPSHOTS).GET());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("snapshots")).containsExactly(expected(OLDER, List.of("local")));
  }

  @Test
  void noTokenFile_unauthenticatedNotAllowed_refusesEveryApiRequest() throws Exception {
    ApiServer closed = start(new HttpSettings(ANY_LOOPBACK_PORT, Optional.empty(), false));

    assertUnauthorized(send(request(closed, ApiHandler.SNAPSHOTS).GET()));
    assertUnauthorized(send(request(closed, ApiHandler.SNAPSHOTS).GET().header("Authorization", "Bearer ")));
    assertUnauthorized(send(request(closed, ApiHandler.SNAPSHOTS).GET().header("Authorization", "Bearer x")));
    assertThat(send(request(closed, "/healthz").GET()).statusCode()).isEqualTo(200);
  }

  // --- lifecycle

  @Test
  void address_resolvesTheChosenPort() {
    assertThat(server.address().getPort()).isPositive();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void close_endsEvenWhileARequestIsBlocked() throws Exception {
    trigger.block = new CountDownLatch(1);
    client.sendAsync(authorized(request(ApiHandler.SNAPSHOTS).POST(HttpRequest.BodyPublishers.noBody())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(trigger.entered.await(5, TimeUnit.SECONDS)).isTrue();

    long begin = System.nanoTime();
    server.close();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

    // A bound, not a benchmark: one second of draining plus the pool's own, never an endless wait.
    assertThat(tookMillis).isLessThan(5000);
    assertThatThrownBy(() -> send(get("/healthz"))).isInstanceOf(IOException.class);
  }

  @Test
  void start_portInUse_failsNamingTheAddress() {
    HttpSettings taken = new HttpSettings(server.address(), Optional.empty(), true);

    assertThatThrownBy(() -> start(taken))
        .isInstanceOf(java.net.BindException.class)
        .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.address().getPort());
  }

  // --- helpers

  private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ApiServer start(HttpSettings settings) throws IOException {
    ApiServer s = ApiServer.start(settings, service, trigger, readiness, metrics, problems::add);
    servers.add(s);
    return s;
  }

  private HttpRequest.Builder request(String path) {
    return request(server, path);
  }

  private static HttpRequest.Builder request(ApiServer s, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
        .timeout(Duration.ofSeconds(5));
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return b.header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUnauthorized(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(r.body()).isEmpty();
  }

  private static ObjectNode expected(SnapshotMetadata m, List<String> locations) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(MetadataCodec.encode(m));
    locations.forEach(node.putArray("locations")::add);
    return node;
  }

  private static JsonNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static byte[] withoutLocations(JsonNode node) throws IOException {
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove("locations");
    return JSON.writeValueAsBytes(copy);
  }

  private static SnapshotMetadata metadata(String name, Instant createdAt, long revision) {
    return new SnapshotMetadata(SnapshotMetadata.FORMAT, name, createdAt, name + ".db", 3L << 20, "cd".repeat(32),
        "none", "none", new SnapshotMetadata.EtcdFacts("https://10.0.0.1:2379", "8e9e05c52164694d",
            "cdf818194e3a8c32", "3.5.21", revision, 10, 4_294_967_295L, 4096));
  }

  private static final class FakeService implements SnapshotService {
    volatile List<ListedSnapshot> listed = List.of();
    volatile IOException failure;
    volatile RuntimeException bug;
    volatile int finds;

    @Override
    public TakenSnapshot take(SnapshotName name) {
      throw new UnsupportedOperationException("the API takes snapshots through the trigger");
    }

    @Override
    public List<ListedSnapshot> list() throws IOException {
      if (bug != null) {
        throw bug;
      }
      if (failure != null) {
        throw failure;
      }
      return listed;
    }

    @Override
    public Optional<ListedSnapshot> find(SnapshotName name) throws IOException {
      finds++;
      if (failure != null) {
        throw failure;
      }
      return listed.stream().filter(s -> s.metadata().name().equals(name.value())).findFirst();
    }

    @Override
    public List<Deletion> applyRetention(RetentionPolicy policy, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkEtcd() {
      throw new UnsupportedOperationException();
    }
  }

  private static final class FakeTrigger implements SnapshotTrigger {
    volatile TakenSnapshot result;
    volatile IOException failure;
    volatile CountDownLatch block;
    final CountDownLatch entered = new CountDownLatch(1);
    volatile int calls;

    @Override
    public TakenSnapshot takeNow() throws IOException {
      calls++;
      entered.countDown();
      if (block != null) {
        try {
          block.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }

  private static final class FakeReadiness implements Readiness {
    volatile List<String> problems = List.of();
    volatile RuntimeException bug;

    @Override
    public Report check() {
      if (bug != null) {
        throw bug;
      }
      return new Report(problems);
    }
  }
}
