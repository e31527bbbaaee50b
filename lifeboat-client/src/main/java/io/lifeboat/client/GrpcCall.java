package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import io.lifeboat.client.http2.Header;
import io.lifeboat.client.http2.Http2Connection;
import io.lifeboat.client.http2.Http2Connection.DataEvent;
import io.lifeboat.client.http2.Http2Connection.Event;
import io.lifeboat.client.http2.Http2Connection.HeadersEvent;
import io.lifeboat.client.http2.Http2Connection.ResetEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One gRPC call (gRPC over HTTP/2: a request message, then length-prefixed response messages and
 * trailers carrying grpc-status) on a connection that runs nothing else meanwhile. Messages come
 * out one at a time as views of a reused buffer, so a stream of any length needs one message's
 * memory.
 */
final class GrpcCall {
  /** The largest response message accepted; etcd's snapshot chunks are 32 KiB. */
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private static final int PREFIX = 5;

  private final Http2Connection connection;
  private final String method;
  private final byte[] prefix = new byte[PREFIX];
  private byte[] message = new byte[64 << 10];
  private ByteBuffer pending = ByteBuffer.allocate(0);
  private int prefixHave;
  private int messageLength = -1;
  private int messageHave;
  private boolean headersSeen;
  private boolean dataEnded;
  private boolean over;

  private GrpcCall(Http2Connection connection, String method) {
    this.connection = connection;
    this.method = method;
  }

  /**
   * Sends the request: {@code path} is the method ("/etcdserverpb.Maintenance/Status"); the
   * timeout, when given, is sent as grpc-timeout so the server gives up too.
   */
  static GrpcCall start(
      Http2Connection connection,
      String path,
      byte[] request,
      Optional<String> token,
      Optional<Duration> timeout)
      throws IOException {
    requireNonNull(connection, "connection");
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("content-type", "application/grpc"));
    headers.add(new Header("te", "trailers"));
    headers.add(new Header("user-agent", "lifeboat"));
    timeout.ifPresent(t -> headers.add(new Header("grpc-timeout", Math.max(1, t.toMillis()) + "m")));
    token.ifPresent(t -> headers.add(new Header("token", t)));
    ByteArrayOutputStream body = new ByteArrayOutputStream(PREFIX + request.length);
    body.write(0);
    body.write(request.length >>> 24);
    body.write(request.length >>> 16);
    body.write(request.length >>> 8);
    body.write(request.length);
    body.writeBytes(request);
    connection.startStream("POST", path, headers, body.toByteArray());
    return new GrpcCall(connection, path);
  }

  /**
   * The next response message, valid until the next call; empty when the call ended with OK.
   *
   * @param deadline a {@link System#nanoTime()} value, or {@link Long#MAX_VALUE} for none
   * @throws GrpcException for a status other than OK, or a response that breaks gRPC's rules
   * @throws IOException when the connection fails (the call is over)
   */
  Optional<ByteBuffer> nextMessage(long deadline) throws IOException, GrpcException {
    while (true) {
      if (pending.hasRemaining()) {
        Optional<ByteBuffer> complete = take();
        if (complete.isPresent()) {
          return complete;
        }
        continue;
      }
      if (over) {
        return Optional.empty();
      }
      if (dataEnded) {
        over = true;
        throw new GrpcException(GrpcCode.INTERNAL, method + ": the response ended without trailers");
      }
      connection.consumed();
      Event event = connection.next(deadline);
      if (event instanceof DataEvent data) {
        if (!headersSeen) {
          throw new GrpcException(GrpcCode.INTERNAL, method + ": data before response headers");
        }
        pending = data.data();
        dataEnded = data.endStream();
      } else if (event instanceof HeadersEvent headers) {
        if (!headersSeen) {
          headersSeen = true;
          checkResponseHeaders(headers.headers());
          if (!headers.endStream()) {
            continue;
          }
        } else if (!headers.endStream()) {
          throw new GrpcException(GrpcCode.INTERNAL, method + ": a third header block");
        }
        over = true;
        finish(headers.headers());
        return Optional.empty();
      } else if (event instanceof ResetEvent reset) {
        over = true;
        throw new GrpcException(
            code(reset),
            String.format(Locale.ROOT, "%s: stream reset by the server (HTTP/2 error %d)", method, reset.errorCode()));
      }
    }
  }

  /** Tells the server we gave up the call (when it is not already over). */
  void cancel() throws IOException {
    if (!over) {
      over = true;
      connection.cancel();
    }
  }

  boolean isOver() {
    return over;
  }

  /** Whether the server has answered at all (its response headers arrived). */
  boolean answered() {
    return headersSeen;
  }

  private Optional<ByteBuffer> take() throws GrpcException {
    if (messageLength < 0) {
      int n = Math.min(PREFIX - prefixHave, pending.remaining());
      pending.get(prefix, prefixHave, n);
      prefixHave += n;
      if (prefixHave < PREFIX) {
        return Optional.empty();
      }
      prefixHave = 0;
      if (prefix[0] != 0) {
        throw new GrpcException(
            GrpcCode.INTERNAL,
            String.format(
                Locale.ROOT, "%s: a message with flags %d; we asked for none compressed", method, prefix[0]));
      }
      long length = ByteBuffer.wrap(prefix, 1, 4).getInt() & 0xffffffffL;
      if (length > MAX_MESSAGE) {
        throw new GrpcException(
            GrpcCode.RESOURCE_EXHAUSTED,
            String.format(
                Locale.ROOT, "%s: a message of %d bytes, more than the %d allowed", method, length, MAX_MESSAGE));
      }
      messageLength = (int) length;
      messageHave = 0;
      if (message.length < messageLength) {
        message = new byte[messageLength];
      }
    }
    int n = Math.min(messageLength - messageHave, pending.remaining());
    pending.get(message, messageHave, n);
    messageHave += n;
    if (messageHave < messageLength) {
      return Optional.empty();
    }
    int length = messageLength;
    messageLength = -1;
    return Optional.of(ByteBuffer.wrap(message, 0, length));
  }

  private void checkResponseHeaders(List<Header> headers) throws GrpcException {
    String status = value(headers, ":status").orElse("");
    if (!status.equals("200")) {
      throw new GrpcException(
          httpStatusCode(status),
          String.format(Locale.ROOT, "%s: HTTP status %s instead of 200", method, status.isEmpty() ? "missing" : status));
    }
    String contentType = value(headers, "content-type").orElse("");
    if (!contentType.startsWith("application/grpc")) {
      throw new GrpcException(
          GrpcCode.UNKNOWN,
          String.format(Locale.ROOT, "%s: content-type '%s' is not gRPC's", method, contentType));
    }
  }

  private void finish(List<Header> trailers) throws GrpcException {
    if (messageLength >= 0 || prefixHave > 0) {
      throw new GrpcException(GrpcCode.INTERNAL, method + ": the response ended inside a message");
    }
    Optional<String> status = value(trailers, "grpc-status");
    if (status.isEmpty()) {
      throw new GrpcException(GrpcCode.UNKNOWN, method + ": trailers without grpc-status");
    }
    int number;
    try {
      number = Integer.parseInt(status.get());
    } catch (NumberFormatException e) {
      throw new GrpcException(GrpcCode.UNKNOWN, method + ": grpc-status '" + status.get() + "'");
    }
    GrpcCode code = GrpcCode.of(number);
    if (code != GrpcCode.OK) {
      throw new GrpcException(code, percentDecode(value(trailers, "grpc-message").orElse("")));
    }
  }

  private static GrpcCode code(ResetEvent reset) {
    // REFUSED_STREAM: not processed, safe to retry elsewhere; CANCEL: the server gave up.
    return switch (reset.errorCode()) {
      case 0x7 -> GrpcCode.UNAVAILABLE;
      case 0x8 -> GrpcCode.CANCELLED;
      case 0xb -> GrpcCode.RESOURCE_EXHAUSTED;
      default -> GrpcCode.INTERNAL;
    };
  }

  /** gRPC's mapping of HTTP statuses from a server (or proxy) that did not answer in gRPC. */
  private static GrpcCode httpStatusCode(String status) {
    return switch (status) {
      case "400" -> GrpcCode.INTERNAL;
      case "401" -> GrpcCode.UNAUTHENTICATED;
      case "403" -> GrpcCode.PERMISSION_DENIED;
      case "404" -> GrpcCode.UNIMPLEMENTED;
      case "429", "502", "503", "504" -> GrpcCode.UNAVAILABLE;
      default -> GrpcCode.UNKNOWN;
    };
  }

  private static Optional<String> value(List<Header> headers, String name) {
    for (Header header : headers) {
      if (header.name().equals(name)) {
        return Optional.of(header.value());
      }
    }
    return Optional.empty();
  }

  /** grpc-message is percent-encoded UTF-8; a malformed escape is kept as it is. */
  static String percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      bytes.write((byte) c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
