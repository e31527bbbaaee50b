package io.lifeboat.client;

import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.TlsFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Settings and output parsing shared by the integration tests. */
final class ClusterFixture {
  private ClusterFixture() {}

  static ConnectionSettings settings(EtcdCluster cluster) {
    List<URI> endpoints = cluster.members().stream().map(m -> m.clientUrl()).toList();
    ConnectionSettings settings = ConnectionSettings.of(endpoints);
    if (cluster.tls().isPresent()) {
      TlsFiles files = cluster.tls().get();
      settings =
          settings.withTls(
              new TlsSettings(
                  Optional.of(files.caCert()),
                  Optional.of(files.clientCert()),
                  Optional.of(files.clientKey()),
                  false));
    }
    return settings;
  }

  static ConnectionSettings only(ConnectionSettings settings, URI endpoint) {
    return new ConnectionSettings(
        List.of(endpoint),
        settings.tls(),
        settings.user(),
        settings.password(),
        settings.dialTimeout(),
        settings.commandTimeout());
  }

  static List<Long> longs(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    List<Long> values = new ArrayList<>();
    while (m.find()) {
      values.add(Long.parseUnsignedLong(m.group(1)));
    }
    return values;
  }

  static URI unusedEndpoint(String scheme) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create(scheme + "://127.0.0.1:" + socket.getLocalPort());
    }
  }

  static final Duration SHORT_DIAL = Duration.ofSeconds(2);
}
