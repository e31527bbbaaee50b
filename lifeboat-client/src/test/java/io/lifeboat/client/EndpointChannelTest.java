package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection reuse against a scripted server; the calls themselves are tested against etcd. */
@Timeout(30)
class EndpointChannelTest {
  private static final byte[] ANSWER = {0x12, 0x06, '3', '.', '5', '.', '1', '6'};

  private ScriptedHttp2Server server;
  private EndpointChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttp2Server();
    URI endpoint = URI.create("http://127.0.0.1:" + server.port());
    channel = EndpointChannel.open(endpoint, Optional.empty(), ConnectionSettings.of(List.of(endpoint)));
  }

  @AfterEach
  void stop() throws Exception {
    channel.close();
    server.close();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.get(copy);
    return copy;
  }

  @Test
  void unary_twoCalls_shareOneConnection() throws Exception {
    server.serve(peer -> {
      peer.answer(ANSWER);
      peer.awaitFrame(ScriptedHttp2Server.DATA, 3);
      peer.answer(ANSWER);
    });

    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    assertThat(server.accepted.get()).isEqualTo(1);
  }

  @Test
  void unary_keptConnectionClosedByTheServer_isMadeAgainOnANewOne() throws Exception {
    CompletableFuture<Void> first = server.serve(peer -> {
      peer.answer(ANSWER);
      // A restart or an idle timeout: the connection goes while the client keeps it.
      peer.close();
    });
    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    first.get(5, TimeUnit.SECONDS);
    server.serve(peer -> peer.answer(ANSWER));

    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    assertThat(server.accepted.get()).isEqualTo(2);
  }

  @Test
  void stream_keptConnectionClosedByTheServer_startsAgainOnANewOne() throws Exception {
    CompletableFuture<Void> first = server.serve(peer -> {
      peer.answer(ANSWER);
      peer.close();
    });
    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    first.get(5, TimeUnit.SECONDS);
    server.serve(peer -> {
      peer.okHeaders();
      peer.data(0, ScriptedHttp2Server.message(new byte[] {1, 2}));
      peer.data(0, ScriptedHttp2Server.message(new byte[] {3}));
      peer.trailers(0, "");
    });

    try (EndpointChannel.StreamingCall call = channel.stream(EtcdMessages.SNAPSHOT, EtcdMessages.EMPTY_REQUEST)) {
      assertThat(bytes(call.next().orElseThrow())).containsExactly(1, 2);
      assertThat(bytes(call.next().orElseThrow())).containsExactly(3);
      assertThat(call.next()).isEmpty();
    }
    assertThat(server.accepted.get()).isEqualTo(2);
  }

  @Test
  void stream_keptConnectionClosedAfterTheRequestArrived_startsAgainOnANewOne() throws Exception {
    server.serve(peer -> {
      peer.answer(ANSWER);
      // The server goes down between reading the stream's request and answering it.
      peer.awaitFrame(ScriptedHttp2Server.DATA, 3);
      peer.close();
    });
    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);
    server.serve(peer -> {
      peer.okHeaders();
      peer.data(0, ScriptedHttp2Server.message(new byte[] {4}));
      peer.trailers(0, "");
    });

    try (EndpointChannel.StreamingCall call = channel.stream(EtcdMessages.SNAPSHOT, EtcdMessages.EMPTY_REQUEST)) {
      assertThat(bytes(call.next().orElseThrow())).containsExactly(4);
      assertThat(call.next()).isEmpty();
    }
    assertThat(server.accepted.get()).isEqualTo(2);
  }

  @Test
  void unary_newConnectionLostBeforeAnAnswer_failsWithoutRepeating() throws Exception {
    server.serve(ScriptedHttp2Server.Peer::close);

    assertThatThrownBy(() -> channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))
        .isInstanceOfSatisfying(GrpcException.class, e -> assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE))
        .hasMessageContaining("the server closed the connection");
    assertThat(server.accepted.get()).isEqualTo(1);
  }

  @Test
  void unary_answeredThenLostOnAKeptConnection_isNotRepeated() throws Exception {
    CompletableFuture<Void> first = server.serve(peer -> {
      peer.answer(ANSWER);
      peer.awaitFrame(ScriptedHttp2Server.DATA, 3);
      // The second call was answered in part: repeating it could do its work twice.
      peer.headers(0, ":status", "200", "content-type", "application/grpc");
      peer.close();
    });
    assertThat(bytes(channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))).isEqualTo(ANSWER);

    assertThatThrownBy(() -> channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST))
        .isInstanceOf(GrpcException.class)
        .hasMessageContaining("the server closed the connection");
    first.get(5, TimeUnit.SECONDS);
    assertThat(server.accepted.get()).isEqualTo(1);
  }

  @Test
  void connect_portAnsweringInHttp1_isASettingToFix() throws Exception {
    try (java.net.ServerSocket http1 = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture.runAsync(() -> {
        try (java.net.Socket socket = http1.accept()) {
          socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          socket.getInputStream().readNBytes(24);
        } catch (java.io.IOException e) {
          // The client gave up first.
        }
      });
      URI wrongPort = URI.create("http://127.0.0.1:" + http1.getLocalPort());

      assertThatThrownBy(() -> EtcdClient.connect(ConnectionSettings.of(List.of(wrongPort))))
          .isInstanceOf(ConnectionException.class)
          .hasMessage(wrongPort + " did not answer in HTTP/2 as etcd's client port does (it answered with"
              + " \"HTTP/1.1 ...\"): is it a TLS port? use https://");
    }
  }

  @Test
  void connect_credentialsLongerThanOneFrame_areRefusedBeforeDialing() {
    ConnectionSettings settings =
        ConnectionSettings.of(List.of(URI.create("http://127.0.0.1:" + server.port())))
            .withCredentials("root", new Secret("x".repeat(9000)));

    assertThatThrownBy(() -> EtcdClient.connect(settings))
        .isInstanceOf(ConnectionException.class)
        .hasMessage("--user and --password together are 9004 bytes, more than the 8192 allowed");
    assertThat(server.accepted.get()).isZero();
  }
}
