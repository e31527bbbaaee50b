package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lifeboat.client.http2.HpackDecoder;
import io.lifeboat.client.http2.Http2Connection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a server sends is untrusted input: a valid answer (settings, headers, three messages split
 * across frames, trailers) is mutated thousands of times, and the client must end every call with
 * a result, a {@link GrpcException} or an {@link IOException}, within its deadline: never another
 * exception, never a hang.
 */
class GrpcCallMutationTest {
  private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
    int length = payload.length;
    out.writeBytes(new byte[] {
      (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
      (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
    });
    out.writeBytes(payload);
  }

  private static byte[] headerBlock(String... nameValues) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < nameValues.length; i += 2) {
      HpackDecoder.encodeLiteral(block, nameValues[i], nameValues[i + 1]);
    }
    return block.toByteArray();
  }

  /** A whole answer to stream 1, as etcd would send it. */
  private static byte[] validAnswer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 4, 0, 0, new byte[] {0, 4, 0, 0, (byte) 0xff, (byte) 0xff});
    frame(out, 1, 4, 1, headerBlock(":status", "200", "content-type", "application/grpc"));
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    for (int size : new int[] {3, 40, 700}) {
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) size);
      messages.writeBytes(new byte[] {0, 0, 0, (byte) (size >>> 8), (byte) size});
      messages.writeBytes(body);
    }
    byte[] all = messages.toByteArray();
    frame(out, 0, 0, 1, Arrays.copyOfRange(all, 0, 20));
    frame(out, 6, 0, 0, new byte[8]);
    frame(out, 0, 0, 1, Arrays.copyOfRange(all, 20, all.length));
    frame(out, 1, 5, 1, headerBlock("grpc-status", "0", "grpc-message", ""));
    return out.toByteArray();
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = Arrays.copyOf(original, original.length);
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      switch (random.nextInt(4)) {
        case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        case 1 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes = Arrays.copyOf(bytes, 9 + random.nextInt(Math.max(1, bytes.length - 9)));
        default -> {
          int at = random.nextInt(bytes.length);
          byte[] longer = new byte[bytes.length + 4];
          System.arraycopy(bytes, 0, longer, 0, at);
          byte[] inserted = new byte[4];
          random.nextBytes(inserted);
          System.arraycopy(inserted, 0, longer, at, 4);
          System.arraycopy(bytes, at, longer, at + 4, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  @Test
  @Timeout(120)
  void call_mutatedServerAnswers_endInAResultOrAnIoOrGrpcFailure() throws Exception {
    byte[] valid = validAnswer();
    Random random = new Random(9113);
    AtomicReference<byte[]> answer = new AtomicReference<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture.runAsync(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            socket.getOutputStream().write(answer.get());
            socket.shutdownOutput();
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            while (in.read(new byte[4096]) >= 0) {}
          } catch (IOException e) {
            // The client gave up first, or the test is over.
          }
        }
      });
      int results = 0;
      for (int round = 0; round < 2_000; round++) {
        byte[] mutated = round == 0 ? valid : mutate(valid, random);
        answer.set(mutated);
        long start = System.nanoTime();
        try (Http2Connection connection =
            Http2Connection.open("127.0.0.1", server.getLocalPort(), Optional.empty(), true, Duration.ofSeconds(2))) {
          GrpcCall call = GrpcCall.start(connection, "/x/y", new byte[0], Optional.empty(), Optional.empty());
          long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
          int messages = 0;
          while (call.nextMessage(deadline).isPresent()) {
            messages++;
          }
          assertThat(messages).isLessThanOrEqualTo(3);
          results++;
        } catch (GrpcException | IOException expected) {
          // A clear failure is a right answer to a broken server.
        } catch (Throwable t) {
          fail("round " + round + ": " + Arrays.toString(mutated) + " threw " + t, t);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("round %d", round)
            .isLessThan(Duration.ofSeconds(5));
      }
      // The valid answer, and mutations of parts the client may ignore (padding of a ping), succeed.
      assertThat(results).isGreaterThan(0);
    }
  }
}
