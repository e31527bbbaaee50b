package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testkit.CertificateAuthority;
import io.lifeboat.testkit.CertificateUsage;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdLogsOnFailure;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.IssuedCertificate;
import io.lifeboat.testkit.TlsFiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EtcdLogsOnFailure.class)
class ConnectionFailureIT {
  private static EtcdCluster cluster;
  private static TlsFiles files;
  private static URI endpoint;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    cluster = EtcdCluster.builder().version(EtcdVersion.V3_5).tls(true).name("connectionFailure").start();
    files = cluster.tls().orElseThrow();
    endpoint = cluster.members().get(0).clientUrl();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static ConnectionSettings settings(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
    return ConnectionSettings.of(List.of(endpoint)).withTls(new TlsSettings(ca, cert, key, false));
  }

  @Test
  @Timeout(30)
  void connect_serverCertificateFromAnotherCa_namesCacert() throws Exception {
    Path otherCa = CertificateAuthority.create("other").writeCertificate(dir.resolve("other-ca.crt"));
    assertThatThrownBy(
            () -> EtcdClient.connect(settings(Optional.of(otherCa), Optional.of(files.clientCert()), Optional.of(files.clientKey()))))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("server certificate of " + endpoint + " is not signed by --cacert " + otherCa + " (unknown authority)");
  }

  @Test
  @Timeout(30)
  void connect_expiredClientCertificate_namesFileAndDate() throws Exception {
    IssuedCertificate expired =
        CertificateAuthority.create("other").issueExpired(dir, "expired", CertificateUsage.CLIENT);
    assertThatThrownBy(
            () -> EtcdClient.connect(settings(Optional.of(files.caCert()), Optional.of(expired.cert()), Optional.of(expired.key()))))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cert " + expired.cert() + " expired on " + expired.certificate().getNotAfter().toInstant());
  }

  @Test
  @Timeout(30)
  void connect_keyOfAnotherCertificate_isRejectedBeforeDialing() throws Exception {
    assertThatThrownBy(
            () -> EtcdClient.connect(settings(Optional.of(files.caCert()), Optional.of(files.clientCert()), Optional.of(files.serverKey()))))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cert " + files.clientCert() + " and --key " + files.serverKey()
            + " do not match: the key is not the private key of the certificate");
  }

  @Test
  @Timeout(30)
  void connect_plainTextToTheTlsPort_saysUseHttps() {
    URI plain = URI.create("http://" + endpoint.getAuthority());

    // etcd resets the connection, as a member going down would: unavailable, with the hint.
    assertThatThrownBy(() -> EtcdClient.connect(ConnectionSettings.of(List.of(plain))))
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith(plain + " did not answer in HTTP/2 as etcd's client port does (")
        .hasMessageEndingWith("): is it a TLS port? use https://");
  }

  @Test
  @Timeout(30)
  void connect_withoutClientCertificate_saysServerRequiresOne() throws Exception {
    assertThatThrownBy(() -> EtcdClient.connect(settings(Optional.of(files.caCert()), Optional.empty(), Optional.empty())))
        .isInstanceOf(ConnectionException.class)
        .hasMessage(endpoint + " requires a client certificate: give --cert and --key");
  }

  @Test
  @Timeout(30)
  void connect_certWithoutKey_isUsageError() {
    assertThatThrownBy(() -> EtcdClient.connect(settings(Optional.of(files.caCert()), Optional.of(files.clientCert()), Optional.empty())))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--cert given without --key: give both or neither");
  }

  @Test
  @Timeout(30)
  void connect_clientCertificateFromAnotherCa_isRejectedByServer() throws Exception {
    IssuedCertificate foreign = CertificateAuthority.create("other").issue(dir, "foreign", CertificateUsage.CLIENT);
    assertThatThrownBy(
            () -> EtcdClient.connect(settings(Optional.of(files.caCert()), Optional.of(foreign.cert()), Optional.of(foreign.key()))))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith(endpoint + " rejected the client certificate --cert " + foreign.cert());
  }

  @Test
  @Timeout(30)
  void connect_unreachableEndpoint_failsWithinDialTimeout() throws Exception {
    URI nobody = ClusterFixture.unusedEndpoint("https");
    ConnectionSettings unreachable =
        ConnectionSettings.of(List.of(nobody))
            .withTls(new TlsSettings(Optional.of(files.caCert()), Optional.of(files.clientCert()), Optional.of(files.clientKey()), false))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    long start = System.nanoTime();
    assertThatThrownBy(() -> EtcdClient.connect(unreachable))
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessage(nobody + ": unreachable after 2s dial timeout (connection refused)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  @Timeout(30)
  void probeAll_oneUnreachableEndpoint_isReportedNextToHealthyOne() throws Exception {
    URI nobody = ClusterFixture.unusedEndpoint("https");
    ConnectionSettings both =
        new ConnectionSettings(List.of(endpoint, nobody),
            new TlsSettings(Optional.of(files.caCert()), Optional.of(files.clientCert()), Optional.of(files.clientKey()), false),
            Optional.empty(), Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    try (EtcdClient client = EtcdClient.connect(both)) {
      long start = System.nanoTime();
      List<EndpointProbe> probes = client.probeAll();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(probes.get(0).status()).isPresent();
      assertThat(probes.get(1).failure()).contains(nobody + ": unreachable after 2s dial timeout (connection refused)");
      assertThat(EtcdClient.chooseSource(probes).chosen().endpoint()).isEqualTo(endpoint);
    }
  }
}
