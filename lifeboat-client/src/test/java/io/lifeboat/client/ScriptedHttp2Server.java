package io.lifeboat.client;

import io.lifeboat.client.http2.HpackDecoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 server on loopback that plays a script per connection: for the protocol corners real
 * etcd does not produce on demand. Records the frames the client sent ("type/stream/flags").
 */
final class ScriptedHttp2Server implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int END_STREAM = 1;
  static final int END_HEADERS = 4;

  /** What the server does once the client's preface and first request have arrived. */
  interface Script {
    void play(Peer peer) throws Exception;
  }

  private final ServerSocket server;
  final List<String> framesFromClient = new CopyOnWriteArrayList<>();
  final AtomicInteger accepted = new AtomicInteger();

  ScriptedHttp2Server() throws IOException {
    server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Accepts one connection, reads the preface, sends empty settings, waits for the request on
   * stream {@code stream}, runs the script, then keeps the connection until the client closes it
   * (or the script did).
   */
  CompletableFuture<Void> serve(int stream, Script script) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket socket = server.accept()) {
            accepted.incrementAndGet();
            Peer peer = new Peer(socket, stream);
            peer.in.readFully(new byte[24]);
            peer.frame(SETTINGS, 0, 0, new byte[0]);
            peer.awaitFrame(DATA, stream);
            script.play(peer);
            socket.setSoTimeout(5000);
            while (socket.getInputStream().read() >= 0) {}
          } catch (Exception e) {
            // One side closed; what the client saw is what the test checks.
          }
        });
  }

  CompletableFuture<Void> serve(Script script) {
    return serve(1, script);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** The server side of one connection: reads the client's frames, writes scripted ones. */
  final class Peer {
    final DataInputStream in;
    private final Socket socket;
    private final OutputStream out;
    /** The stream answers go to: the last one whose request arrived. */
    private int stream;

    Peer(Socket socket, int stream) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
      this.stream = stream;
    }

    /** Reads client frames until one of {@code type} on {@code onStream} arrives; its payload. */
    byte[] awaitFrame(int type, int onStream) throws IOException {
      while (true) {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int frameType = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int frameStream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        framesFromClient.add(frameType + "/" + frameStream + "/" + flags);
        if (frameType == type && frameStream == onStream) {
          if (type == DATA) {
            stream = onStream;
          }
          return payload;
        }
      }
    }

    void frame(int type, int flags, int onStream, byte[] payload) throws IOException {
      int length = payload.length;
      out.write(new byte[] {
        (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
        (byte) (onStream >>> 24), (byte) (onStream >>> 16), (byte) (onStream >>> 8), (byte) onStream
      });
      out.write(payload);
      out.flush();
    }

    void headers(int flags, String... nameValues) throws IOException {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      for (int i = 0; i < nameValues.length; i += 2) {
        HpackDecoder.encodeLiteral(block, nameValues[i], nameValues[i + 1]);
      }
      frame(HEADERS, flags | END_HEADERS, stream, block.toByteArray());
    }

    void okHeaders() throws IOException {
      headers(0, ":status", "200", "content-type", "application/grpc");
    }

    void trailers(int status, String message) throws IOException {
      headers(END_STREAM, "grpc-status", Integer.toString(status), "grpc-message", message);
    }

    void data(int flags, byte[] payload) throws IOException {
      frame(DATA, flags, stream, payload);
    }

    /** A whole OK answer: headers, one message, trailers. */
    void answer(byte[] body) throws IOException {
      okHeaders();
      data(0, message(body));
      trailers(0, "");
    }

    /** Bytes as they are, for frames cut short. */
    void rawBytes(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void close() throws IOException {
      socket.close();
    }
  }

  /** A gRPC message: not compressed, 4-byte length, body. */
  static byte[] message(byte[] body) {
    ByteBuffer framed = ByteBuffer.allocate(5 + body.length);
    framed.put((byte) 0).putInt(body.length).put(body);
    return framed.array();
  }
}
