package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testkit.FaultyProxy.Fault;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3ServerIT {
  private static S3Server s3;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    s3 = S3Server.start();
    s3.createBucket("b");
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private HttpResponse<String> get(URI endpoint, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One GET over a plain socket (java.net.http would retry a reset GET by itself). */
  private static String rawGet(URI endpoint, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      byte[] response = s.getInputStream().readAllBytes();
      if (response.length == 0) {
        throw new IOException("closed without an answer");
      }
      return new String(response, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void start_servesS3OnLoopback_andRefusesUnsignedRequests() throws Exception {
    assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(s3.isAlive()).isTrue();

    HttpResponse<String> response = get(s3.endpoint(), "/b/");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("AccessDenied");
  }

  @Test
  void startTls_servesHttpsWithACertificateFromTheGivenCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("S3 test CA");
    try (S3Server tls = S3Server.startTls(ca)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      HttpClient trusting = HttpClient.newBuilder().sslContext(context).build();

      assertThat(tls.endpoint().getScheme()).isEqualTo("https");
      HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(tls.endpoint().resolve("/b/"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(404); // no such bucket, but TLS worked
      assertThatThrownBy(() -> get(tls.endpoint(), "/b/")).isInstanceOf(IOException.class); // default trust
    }
  }

  @Test
  void close_stopsTheProcessAndFreesThePort() throws Exception {
    S3Server other = S3Server.start();
    int port = other.port();
    other.close();

    assertThat(other.isAlive()).isFalse();
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void faultyProxy_injectsStatusResetAndDelay_forTheNextRequestsOnly() throws Exception {
    try (FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      proxy.inject(Fault.status(503), 1);
      proxy.inject(Fault.reset(), 1);
      proxy.inject(Fault.delay(Duration.ofMillis(700)), 1);

      HttpResponse<String> first = get(proxy.endpoint(), "/b/");
      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(first.body()).contains("<Code>SlowDown</Code>");
      assertThatThrownBy(() -> rawGet(proxy.endpoint(), "/b/")).isInstanceOf(IOException.class);
      long before = System.nanoTime();
      assertThat(get(proxy.endpoint(), "/b/").statusCode()).isEqualTo(403);
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(get(proxy.endpoint(), "/b/").statusCode()).isEqualTo(403);

      assertThat(proxy.pendingFaults()).isZero();
      assertThat(proxy.requestLines()).hasSize(4).allMatch(l -> l.startsWith("GET /b/"));
      assertThat(proxy.faultedRequestLines()).hasSize(3);
    }
  }

  @Test
  void faultyProxy_appliesFaultsOnlyToMatchingRequests() throws Exception {
    try (FaultyProxy proxy = FaultyProxy.start(s3.endpoint())) {
      proxy.inject(Fault.status(500), 1, line -> line.startsWith("PUT "));

      assertThat(get(proxy.endpoint(), "/b/").statusCode()).isEqualTo(403);
      assertThat(proxy.pendingFaults()).isEqualTo(1);
    }
  }
}
