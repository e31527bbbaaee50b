package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static io.lifeboat.client.ScriptedHttp2Server.END_STREAM;
import static io.lifeboat.client.ScriptedHttp2Server.GOAWAY;
import static io.lifeboat.client.ScriptedHttp2Server.PING;
import static io.lifeboat.client.ScriptedHttp2Server.RST_STREAM;
import static io.lifeboat.client.ScriptedHttp2Server.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.client.http2.Http2Connection;
import io.lifeboat.client.http2.Http2ProtocolException;
import io.lifeboat.client.http2.NotHttp2Exception;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC-over-HTTP/2 client against a scripted peer on loopback: the protocol corners real etcd
 * does not produce on demand (resets, goaways, split and malformed messages). The paths users run
 * are tested against real etcd in the ITs.
 */
@Timeout(30)
class GrpcCallTest {
  private ScriptedHttp2Server server;
  private List<String> framesFromClient;

  @BeforeEach
  void listen() throws IOException {
    server = new ScriptedHttp2Server();
    framesFromClient = server.framesFromClient;
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private CompletableFuture<Void> serve(ScriptedHttp2Server.Script script) {
    return server.serve(script);
  }

  private Http2Connection connect() throws IOException {
    return Http2Connection.open(
        "127.0.0.1", server.port(), Optional.empty(), true, Duration.ofSeconds(5));
  }

  private static byte[] message(byte[] body) {
    return ScriptedHttp2Server.message(body);
  }

  private List<byte[]> callAll(Http2Connection connection) throws Exception {
    GrpcCall call = GrpcCall.start(connection, "/etcdserverpb.Maintenance/Status", new byte[0], Optional.empty(), Optional.empty());
    List<byte[]> messages = new ArrayList<>();
    for (Optional<ByteBuffer> m; (m = call.nextMessage(Long.MAX_VALUE)).isPresent(); ) {
      byte[] copy = new byte[m.get().remaining()];
      m.get().get(copy);
      messages.add(copy);
    }
    return messages;
  }

  @Test
  void nextMessage_messagesSplitAndJoinedAcrossFrames_areReassembled() throws Exception {
    byte[] first = "first message".getBytes(StandardCharsets.UTF_8);
    byte[] second = new byte[40_000];
    Arrays.fill(second, (byte) 2);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.writeBytes(message(first));
    both.writeBytes(message(second));
    byte[] bytes = both.toByteArray();
    serve(peer -> {
      peer.okHeaders();
      // Frame boundaries inside the first prefix, inside the first body, and inside the second.
      int[] cuts = {0, 3, 10, 16_000, 32_000, bytes.length};
      for (int i = 0; i + 1 < cuts.length; i++) {
        peer.data(0, Arrays.copyOfRange(bytes, cuts[i], cuts[i + 1]));
      }
      peer.trailers(0, "");
    });

    try (Http2Connection connection = connect()) {
      List<byte[]> messages = callAll(connection);

      assertThat(messages).hasSize(2);
      assertThat(messages.get(0)).isEqualTo(first);
      assertThat(messages.get(1)).isEqualTo(second);
      assertThat(connection.reusable()).isTrue();
    }
  }

  @Test
  void nextMessage_trailersOnlyError_givesTheStatusAndDecodedMessage() throws Exception {
    serve(peer -> peer.headers(END_STREAM, ":status", "200", "content-type", "application/grpc",
        "grpc-status", "7", "grpc-message", "etcdserver:%20permission%20denied"));

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOfSatisfying(GrpcException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.PERMISSION_DENIED);
            assertThat(e.description()).isEqualTo("etcdserver: permission denied");
          });
    }
  }

  @Test
  void nextMessage_compressedMessage_isRefused() throws Exception {
    byte[] compressed = message(new byte[] {1, 2, 3});
    compressed[0] = 1;
    serve(peer -> {
      peer.okHeaders();
      peer.data(0, compressed);
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOf(GrpcException.class)
          .hasMessageContaining("a message with flags 1; we asked for none compressed");
    }
  }

  @Test
  void nextMessage_declaredLengthBeyondTheMaximum_isRefusedBeforeReading() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      peer.data(0, new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOfSatisfying(GrpcException.class, e -> assertThat(e.code()).isEqualTo(GrpcCode.RESOURCE_EXHAUSTED))
          .hasMessageContaining("a message of 2147483647 bytes, more than the 16777216 allowed");
    }
  }

  @Test
  void nextMessage_dataEndsWithoutTrailers_isInternal() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      peer.data(END_STREAM, message(new byte[] {9}));
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOf(GrpcException.class)
          .hasMessageContaining("the response ended without trailers");
    }
  }

  @Test
  void nextMessage_streamEndsInsideAMessage_isInternal() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      peer.data(0, Arrays.copyOf(message(new byte[100]), 50));
      peer.trailers(0, "");
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOf(GrpcException.class)
          .hasMessageContaining("the response ended inside a message");
    }
  }

  @Test
  void nextMessage_streamReset_isAStatusNamingTheHttp2Error() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      peer.frame(RST_STREAM, 0, 1, new byte[] {0, 0, 0, 7});
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOfSatisfying(GrpcException.class, e -> assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE))
          .hasMessageContaining("stream reset by the server (HTTP/2 error 7)");
    }
  }

  @Test
  void next_goAwayBeforeOurStream_endsTheCallWithTheServersReason() throws Exception {
    ByteBuffer goAway = ByteBuffer.allocate(8 + 11);
    goAway.putInt(0).putInt(0).put("restarting".getBytes(StandardCharsets.UTF_8)).put((byte) ' ');
    serve(peer -> peer.frame(GOAWAY, 0, 0, goAway.array()));

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOf(EOFException.class)
          .hasMessage("the server closed the connection (GOAWAY, error code 0: restarting)");
      assertThat(connection.reusable()).isFalse();
    }
  }

  @Test
  void next_frameLargerThanWeAllow_isAProtocolError() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      peer.data(0, new byte[16_385]);
    });

    try (Http2Connection connection = connect()) {
      assertThatThrownBy(() -> callAll(connection))
          .isInstanceOf(Http2ProtocolException.class)
          .hasMessageEndingWith("a frame of 16385 bytes, more than the 16384 we allow");
    }
  }

  @Test
  void next_serverPing_isAnsweredWithTheSamePayload() throws Exception {
    byte[] opaque = {1, 2, 3, 4, 5, 6, 7, 8};
    CompletableFuture<byte[]> answered = new CompletableFuture<>();
    serve(peer -> {
      peer.okHeaders();
      peer.frame(PING, 0, 0, opaque);
      answered.complete(peer.awaitFrame(PING, 0));
      peer.trailers(0, "");
    });

    try (Http2Connection connection = connect()) {
      assertThat(callAll(connection)).isEmpty();
      assertThat(answered.get(5, TimeUnit.SECONDS)).isEqualTo(opaque);
      assertThat(framesFromClient).contains(PING + "/0/1");
    }
  }

  @Test
  void consumed_afterHalfAWindow_grantsTheServerMoreOnStreamAndConnection() throws Exception {
    byte[] chunk = new byte[16_000];
    int chunks = Http2Connection.WINDOW / chunk.length + 8;
    serve(peer -> {
      peer.okHeaders();
      byte[] framed = message(new byte[chunks * chunk.length - 5]);
      for (int offset = 0; offset < framed.length; offset += chunk.length) {
        peer.data(0, Arrays.copyOfRange(framed, offset, Math.min(framed.length, offset + chunk.length)));
      }
      // More than one window was sent, which the client allowed only by window updates.
      peer.awaitFrame(WINDOW_UPDATE, 1);
      peer.trailers(0, "");
    });

    try (Http2Connection connection = connect()) {
      assertThat(callAll(connection)).singleElement().satisfies(m -> assertThat(m).hasSize(chunks * chunk.length - 5));
      assertThat(framesFromClient).contains(WINDOW_UPDATE + "/0/0", WINDOW_UPDATE + "/1/0");
    }
  }

  @Test
  void open_peerAnswersInHttp1_saysItIsNotHttp2() throws Exception {
    ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture.runAsync(() -> {
      try (plain; Socket socket = plain.accept()) {
        socket.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getInputStream().readNBytes(24);
      } catch (IOException e) {
        // The client gave up first.
      }
    });

    assertThatThrownBy(() -> Http2Connection.open("127.0.0.1", plain.getLocalPort(), Optional.empty(), true, Duration.ofSeconds(5)))
        .isInstanceOf(NotHttp2Exception.class)
        .hasMessage("127.0.0.1:" + plain.getLocalPort() + " did not answer in HTTP/2 (it answered with \"HTTP/1.0 ...\")");
  }

  @Test
  void open_peerClosesWithoutAWord_saysItIsNotHttp2() throws Exception {
    ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture.runAsync(() -> {
      try (silent; Socket socket = silent.accept()) {
        socket.getInputStream().readNBytes(24);
      } catch (IOException e) {
        // The client gave up first.
      }
    });

    assertThatThrownBy(() -> Http2Connection.open("127.0.0.1", silent.getLocalPort(), Optional.empty(), true, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(NotHttp2Exception.class, e -> assertThat(e.answer()).isEqualTo("it closed the connection"));
  }

  @Test
  void next_interrupted_endsTheWaitPromptly() throws Exception {
    serve(peer -> peer.okHeaders());
    Thread caller = Thread.currentThread();
    try (Http2Connection connection = connect()) {
      CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
        caller.interrupt();
      });
      long start = System.nanoTime();

      assertThatThrownBy(() -> callAll(connection))
          .isExactlyInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted while waiting for the server");
      assertThat(Thread.interrupted()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void next_deadlinePassed_timesOut() throws Exception {
    serve(peer -> peer.okHeaders());
    try (Http2Connection connection = connect()) {
      GrpcCall call = GrpcCall.start(connection, "/x/y", new byte[0], Optional.empty(), Optional.empty());
      long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();

      assertThatThrownBy(() -> call.nextMessage(deadline))
          .isInstanceOf(java.net.SocketTimeoutException.class)
          .hasMessage("no answer before the deadline");
    }
  }

  @Test
  void next_serverStallsInsideAFrame_stillHonoursTheDeadline() throws Exception {
    serve(peer -> {
      peer.okHeaders();
      // A DATA frame header announcing 1000 bytes, then only 10 of them, then silence.
      peer.frame(ScriptedHttp2Server.DATA, 0, 1, new byte[0]);
      peer.rawBytes(new byte[] {0, 3, (byte) 0xe8, 0, 0, 0, 0, 0, 1});
      peer.rawBytes(new byte[10]);
    });
    try (Http2Connection connection = connect()) {
      GrpcCall call = GrpcCall.start(connection, "/x/y", new byte[0], Optional.empty(), Optional.empty());
      long deadline = System.nanoTime() + Duration.ofMillis(800).toNanos();

      assertThatThrownBy(() -> call.nextMessage(deadline))
          .isInstanceOf(java.net.SocketTimeoutException.class)
          .hasMessage("no answer before the deadline");
    }
  }
}
