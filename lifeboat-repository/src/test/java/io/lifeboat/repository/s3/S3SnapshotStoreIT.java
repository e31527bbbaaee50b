package io.lifeboat.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.SnapshotStoreContract;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import io.lifeboat.repository.TestStreams;
import io.lifeboat.testkit.CertificateAuthority;
import io.lifeboat.testkit.FaultyProxy;
import io.lifeboat.testkit.FaultyProxy.Fault;
import io.lifeboat.testkit.S3Server;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class S3SnapshotStoreIT extends SnapshotStoreContract {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Server s3;
  private FaultyProxy proxy;
  private String bucket;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @AfterEach
  void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private S3Config config(URI endpoint, String bucketName) {
    return S3Config.forBucket(bucketName)
        .withEndpoint(endpoint)
        .withRegion(s3.region())
        .withFolder("/cluster-a/")
        .withCredentials(s3.accessKey(), Secret.of(s3.secretKey()))
        .withTransfer(S3Config.MIN_PART_SIZE, 2)
        .withRetries(4, Duration.ofMillis(10), Duration.ofMillis(100))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  @Override
  protected SnapshotStore createStore() throws Exception {
    bucket = "bucket-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return S3SnapshotStore.open(config(s3.endpoint(), bucket));
  }

  private S3SnapshotStore s3Store() {
    return (S3SnapshotStore) store;
  }

  @Override
  protected void putForeign(String relativeKey, byte[] content) {
    s3Store().client().putObject(r -> r.bucket(bucket).key("cluster-a/" + relativeKey), RequestBody.fromBytes(content));
  }

  @Override
  protected void assertNoLeftovers() {
    assertThat(s3Store().client().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
  }

  private S3SnapshotStore throughProxy() throws StoreException {
    proxy = FaultyProxy.start(s3.endpoint());
    return S3SnapshotStore.open(config(proxy.endpoint(), bucket));
  }

  @Test
  void put_storesUnderTheFolderPrefix() throws Exception {
    store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {1}));

    assertThat(s3Store().client().listObjectsV2(r -> r.bucket(bucket)).contents())
        .extracting(o -> o.key()).filteredOn(k -> !k.endsWith("/")) // the filesystem backend's folder marker
        .containsExactly("cluster-a/" + NAME.value() + ".db");
    assertThat(store.location()).isEqualTo("s3://" + bucket + "/cluster-a/ at " + s3.endpoint());
  }

  @Test
  void check_wrongSecretKey_saysTheCredentialsWereRejected() throws Exception {
    try (S3SnapshotStore s = S3SnapshotStore.open(
        config(s3.endpoint(), bucket).withCredentials(s3.accessKey(), Secret.of("wrong-secret-0123456789")))) {
      assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(e.getMessage()).contains("rejected the credentials").doesNotContain("wrong-secret");
      });
    }
  }

  @Test
  void check_missingBucket_saysTheBucketDoesNotExist() throws Exception {
    try (S3SnapshotStore s = S3SnapshotStore.open(config(s3.endpoint(), "no-such-bucket"))) {
      assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.BUCKET_MISSING);
        assertThat(e.getMessage()).contains("bucket 'no-such-bucket' does not exist").contains("--bucket-name");
      });
      assertThatThrownBy(() -> s.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {1})))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUCKET_MISSING));
    }
  }

  @Test
  void put_withWrongSecretKey_saysTheCredentialsWereRejected_withoutTheSecret() throws Exception {
    String wrongSecret = "wrong-secret-0123456789";
    try (S3SnapshotStore s = S3SnapshotStore.open(
        config(s3.endpoint(), bucket).withCredentials(s3.accessKey(), Secret.of(wrongSecret)))) {
      assertThatThrownBy(() -> s.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {1})))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.getMessage()).contains("rejected the credentials").contains("--secret-key")
                .doesNotContain(wrongSecret).doesNotContain(s3.secretKey());
          });
    }
  }

  @Test
  void check_withUnknownAccessKey_failsWithCredentialsOrAccessDenied() throws Exception {
    try (S3SnapshotStore s = S3SnapshotStore.open(
        config(s3.endpoint(), bucket).withCredentials("nobody", Secret.of("nothing")))) {
      assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.reason()).isIn(Reason.BAD_CREDENTIALS, Reason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("credentials").doesNotContain("nothing");
      });
    }
  }

  @Test
  void check_unreachableEndpoint_saysItCannotReachIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    try (S3SnapshotStore s = S3SnapshotStore.open(config(nowhere, bucket))) {
      assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(e.getMessage()).contains("cannot reach the S3 endpoint " + nowhere);
      });
    }
  }

  @Test
  void put_multipart_survives503sAndResetsOnParts() throws Exception {
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.status(503), 2, line -> line.contains("partNumber="));
      proxy.inject(Fault.reset(), 1, line -> line.contains("partNumber="));
      proxy.inject(Fault.status(500), 1, line -> line.startsWith("POST ") && line.contains("uploadId="));
      long size = multipartSize();

      s.put(NAME, ObjectKind.DB, ObjectSource.ofStream(TestStreams.generated(5, size), OptionalLong.of(size)));

      assertThat(proxy.pendingFaults()).isZero();
      assertThat(proxy.faultedRequestLines()).hasSize(4);
      assertThat(TestStreams.sha256(s.get(NAME, ObjectKind.DB))).isEqualTo(TestStreams.sha256(TestStreams.generated(5, size)));
    }
  }

  @Test
  void put_interruptedMidUpload_abortsTheMultipartUpload_andStoresNothing() throws Exception {
    long partSize = S3Config.MIN_PART_SIZE;
    long size = 4 * partSize;
    CountDownLatch stalled = new CountDownLatch(1);
    // Delivers two and a half parts, then waits (as a stream from etcd might) until interrupted.
    InputStream source = new FilterInputStream(TestStreams.generated(11, size)) {
      private long delivered;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (delivered >= 5 * partSize / 2) {
          stalled.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // as a file channel leaves it when interrupted
            throw new InterruptedIOException("the source was interrupted");
          }
        }
        int n = super.read(b, off, (int) Math.min(len, 5 * partSize / 2 - delivered));
        delivered += Math.max(n, 0);
        return n;
      }
    };
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread uploading = new Thread(() -> {
      try {
        store.put(NAME, ObjectKind.DB, ObjectSource.ofStream(source, OptionalLong.of(size)));
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    uploading.start();
    assertThat(stalled.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(s3Store().client().listMultipartUploads(r -> r.bucket(bucket)).uploads()).hasSize(1);

    uploading.interrupt();
    uploading.join(60_000);

    assertThat(uploading.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(StoreException.class).hasMessageContaining("interrupted");
    assertThat(store.exists(NAME, ObjectKind.DB)).isFalse();
    assertNoLeftovers();
  }

  @Test
  void put_aPartCorruptedOnTheWay_isRefusedByTheServer_andNothingIsStored() throws Exception {
    try (S3SnapshotStore s = throughProxy()) {
      // Over plain HTTP each part carries its signed SHA-256, which the server checks against the body.
      proxy.inject(Fault.corruptRequestBody(12_345), 1, line -> line.contains("partNumber=2"));
      long size = multipartSize();

      assertThatThrownBy(() -> s.put(NAME, ObjectKind.DB,
          ObjectSource.ofStream(TestStreams.generated(5, size), OptionalLong.of(size))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("part 2");
      assertThat(proxy.faultedRequestLines()).hasSize(1);
      assertThat(s.exists(NAME, ObjectKind.DB)).isFalse();
    }
    assertNoLeftovers();
  }

  @Test
  void put_aSingleObjectCorruptedOnTheWay_isRefusedByTheServer() throws Exception {
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.corruptRequestBody(0), 1, line -> line.startsWith("PUT "));

      assertThatThrownBy(() -> s.put(NAME, ObjectKind.METADATA, ObjectSource.ofBytes(new byte[] {'{', '}'})))
          .isInstanceOf(StoreException.class);
      assertThat(s.exists(NAME, ObjectKind.METADATA)).isFalse();
    }
  }

  @Test
  void put_singleObject_survivesAResetAndASlowAnswer() throws Exception {
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.reset(), 1, line -> line.startsWith("PUT "));
      proxy.inject(Fault.delay(Duration.ofSeconds(3)), 1, line -> line.startsWith("PUT "));

      s.put(NAME, ObjectKind.METADATA, ObjectSource.ofBytes(new byte[] {'{', '}'}));

      assertThat(proxy.pendingFaults()).isZero();
      try (InputStream in = s.get(NAME, ObjectKind.METADATA)) {
        assertThat(in.readAllBytes()).containsExactly('{', '}');
      }
    }
  }

  @Test
  void put_whenFaultsOutlastTheRetryBudget_failsRetryably_andLeavesNothing() throws Exception {
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.status(503), 1000, line -> line.contains("partNumber=2"));
      long size = multipartSize();

      assertThatThrownBy(() -> s.put(NAME, ObjectKind.DB,
          ObjectSource.ofStream(TestStreams.generated(5, size), OptionalLong.of(size))))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TRANSIENT);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("part 2").contains("after 4 attempts").contains("503");
          });
      assertThat(proxy.faultedRequestLines()).hasSize(4);
      proxy.clearFaults();
      assertThat(s.exists(NAME, ObjectKind.DB)).isFalse();
    }
    assertNoLeftovers();
  }

  @Test
  void get_singleStreamDownload_resumesAfterResets_andDeliversIdenticalBytes() throws Exception {
    long size = 8 * MiB; // below two parts: one streamed GET, resumed with Range on a reset
    store.put(NAME, ObjectKind.DB, ObjectSource.ofStream(TestStreams.generated(8, size), OptionalLong.of(size)));
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.resetAfterResponseBytes(2 * MiB), 2, line -> line.startsWith("GET "));

      String downloaded = TestStreams.sha256(s.get(NAME, ObjectKind.DB));

      assertThat(downloaded).isEqualTo(TestStreams.sha256(TestStreams.generated(8, size)));
      assertThat(proxy.pendingFaults()).isZero();
      assertThat(proxy.requestLines()).filteredOn(l -> l.startsWith("GET ")).hasSize(3);
    }
  }

  @Test
  void get_parallelRangedDownload_retriesBrokenRanges_andDeliversIdenticalBytes() throws Exception {
    long size = multipartSize();
    store.put(NAME, ObjectKind.DB, ObjectSource.ofStream(TestStreams.generated(9, size), OptionalLong.of(size)));
    try (S3SnapshotStore s = throughProxy()) {
      proxy.inject(Fault.resetAfterResponseBytes(3 * MiB), 1, line -> line.startsWith("GET "));
      proxy.inject(Fault.resetAfterResponseBytes(MiB), 1, line -> line.startsWith("GET "));
      proxy.inject(Fault.status(503), 1, line -> line.startsWith("GET "));

      String downloaded = TestStreams.sha256(s.get(NAME, ObjectKind.DB));

      assertThat(downloaded).isEqualTo(TestStreams.sha256(TestStreams.generated(9, size)));
      assertThat(proxy.pendingFaults()).isZero();
      assertThat(String.join("\n", proxy.requestLines())).contains("GET ");
    }
  }

  @Test
  void httpsEndpoint_withItsCaGivenAsEndpointCa_works_andWithoutItSaysToGiveTheCa(@TempDir Path tmp)
      throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("private S3 CA");
    Path caFile = ca.writeCertificate(tmp.resolve("ca.crt"));
    try (S3Server tls = S3Server.startTls(ca)) {
      tls.createBucket("secure");
      S3Config c = config(tls.endpoint(), "secure").withCredentials(tls.accessKey(), Secret.of(tls.secretKey()));

      try (S3SnapshotStore s = S3SnapshotStore.open(c.withEndpointCa(caFile))) {
        s.check();
        s.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {4, 2}));
        try (InputStream in = s.get(NAME, ObjectKind.DB)) {
          assertThat(in.readAllBytes()).containsExactly(4, 2);
        }
      }
      try (S3SnapshotStore s = S3SnapshotStore.open(c)) {
        assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
          assertThat(e.getMessage()).contains("TLS with " + tls.endpoint()).contains("--s3-endpoint-ca");
        });
      }
    }
  }

  @Test
  void open_withAnEndpointCaThatIsNotACertificate_saysSo(@TempDir Path tmp) throws Exception {
    Path notPem = java.nio.file.Files.writeString(tmp.resolve("ca.crt"), "not a certificate");

    assertThatThrownBy(() -> S3SnapshotStore.open(config(s3.endpoint(), bucket).withEndpointCa(notPem)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.getMessage())
            .contains("--s3-endpoint-ca " + notPem));
  }

  @Test
  void config_toString_neverShowsTheSecretKey() {
    S3Config c = config(s3.endpoint(), "b");
    assertThat(c.toString()).doesNotContain(s3.secretKey()).contains("***");
    assertThat(c.location()).doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
  }
}
