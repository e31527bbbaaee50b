package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {
  @Test
  void parseEndpoints_withoutSchemeMeansHttp() throws Exception {
    assertThat(ConnectionSettings.parseEndpoints("127.0.0.1:2379, localhost:22379"))
        .containsExactly(URI.create("http://127.0.0.1:2379"), URI.create("http://localhost:22379"));
  }

  @Test
  void parseEndpoints_withoutSchemeMeansHttpsWhenTlsFilesGiven() throws Exception {
    TlsSettings tls =
        new TlsSettings(Optional.of(Path.of("ca.pem")), Optional.empty(), Optional.empty(), false);
    assertThat(ConnectionSettings.parseEndpoints("127.0.0.1:2379", tls))
        .containsExactly(URI.create("https://127.0.0.1:2379"));
  }

  @Test
  void parseEndpoints_keepsExplicitSchemeDefaultsPortAndDropsDuplicates() throws Exception {
    assertThat(
            ConnectionSettings.parseEndpoints(
                "https://10.0.0.1:2379,http://etcd-0/,https://10.0.0.1:2379,"))
        .containsExactly(URI.create("https://10.0.0.1:2379"), URI.create("http://etcd-0:2379"));
  }

  @Test
  void parseEndpoints_garbageIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> ConnectionSettings.parseEndpoints("127.0.0.1:2379,ftp://x:1"))
        .isInstanceOf(ConnectionException.class)
        .hasMessage(
            "--endpoints: 'ftp://x:1' is not a valid endpoint (scheme must be http or https);"
                + " expected [http[s]://]host:port");
    assertThatThrownBy(() -> ConnectionSettings.parseEndpoints("not a host"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("--endpoints: 'not a host' is not a valid endpoint");
    assertThatThrownBy(() -> ConnectionSettings.parseEndpoints("http://h:2379/v3/kv"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("only scheme://host:port is allowed");
    assertThatThrownBy(() -> ConnectionSettings.parseEndpoints("h:99999"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("'h:99999'");
  }

  @Test
  void parseEndpoints_emptyIsRejected() {
    assertThatThrownBy(() -> ConnectionSettings.parseEndpoints(" "))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--endpoints is empty: give host:port[,host:port...]");
  }

  @Test
  void secret_toStringIsRedacted() {
    Secret secret = new Secret("hunter2");
    assertThat(secret.toString()).isEqualTo("***");
    assertThat(secret.value()).isEqualTo("hunter2");
    ConnectionSettings settings =
        ConnectionSettings.of(java.util.List.of(URI.create("http://h:2379")))
            .withCredentials("root", secret);
    assertThat(settings.toString()).doesNotContain("hunter2").contains("***");
  }

  @Test
  void defaults_matchEtcdctl() {
    ConnectionSettings settings = ConnectionSettings.of(java.util.List.of(URI.create("http://h:2379")));
    assertThat(settings.dialTimeout()).hasSeconds(2);
    assertThat(settings.commandTimeout()).hasSeconds(5);
    assertThat(settings.tls()).isEqualTo(TlsSettings.none());
  }
}
