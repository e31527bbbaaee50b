package io.lifeboat.client.http2;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A client HTTP/2 connection (RFC 9113) that runs one stream at a time, on the calling thread,
 * over a blocking socket: what a gRPC client needs for etcd's unary calls and its snapshot stream,
 * without a framework's threads and start-up cost. Server push is disabled; the window we grant is
 * {@link #WINDOW} per stream and for the connection, refilled as the caller consumes data, so a
 * slow reader stops the server instead of growing memory.
 *
 * <p>Reads poll every {@link #POLL}: an interrupt ends a read with {@link InterruptedIOException}
 * within that time, and a silent peer is pinged after {@link #KEEPALIVE_TIME} and given up after
 * another {@link #KEEPALIVE_TIMEOUT} without a frame.
 */
public final class Http2Connection implements AutoCloseable {
  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final int FRAME_HEADER_LENGTH = 9;
  static final int TYPE_DATA = 0x0;
  static final int TYPE_HEADERS = 0x1;
  static final int TYPE_RST_STREAM = 0x3;
  static final int TYPE_SETTINGS = 0x4;
  static final int TYPE_PUSH_PROMISE = 0x5;
  static final int TYPE_PING = 0x6;
  static final int TYPE_GOAWAY = 0x7;
  static final int TYPE_WINDOW_UPDATE = 0x8;
  static final int TYPE_CONTINUATION = 0x9;
  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;
  static final int SETTINGS_ENABLE_PUSH = 0x2;
  static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;
  /** The frame size every peer must accept; we never announce a larger one. */
  static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
  static final int DEFAULT_WINDOW = 65_535;
  static final int HEADER_TABLE_SIZE = 4_096;
  static final int MAX_HEADER_LIST_SIZE = 65_536;
  /** The error code (RFC 9113 §7) of our RST_STREAM when we give a stream up. */
  static final int CANCEL = 0x8;

  /**
   * Bytes the server may send ahead of what the caller has consumed, per stream and for the
   * connection: bounds memory whatever the reader's speed, large enough to keep the link busy.
   */
  public static final int WINDOW = 4 * 1024 * 1024;

  static final Duration POLL = Duration.ofMillis(200);
  static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
  static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

  /** What a stream delivered: its headers (or trailers), a chunk of data, or its reset. */
  public sealed interface Event permits HeadersEvent, DataEvent, ResetEvent {}

  /** A complete header block; {@code endStream} marks trailers (or a trailers-only answer). */
  public record HeadersEvent(List<Header> headers, boolean endStream) implements Event {}

  /**
   * Data of the current stream, valid until the next call to {@link #next}; the caller reports
   * it with {@link #consumed} once processed.
   */
  public record DataEvent(ByteBuffer data, boolean endStream) implements Event {}

  /** The server reset the stream with this HTTP/2 error code. */
  public record ResetEvent(int errorCode) implements Event {}

  private final String authority;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final HpackDecoder hpack = new HpackDecoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST_SIZE);
  private final byte[] frameHeader = new byte[FRAME_HEADER_LENGTH];
  private byte[] payload = new byte[DEFAULT_MAX_FRAME_SIZE];
  private int peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private int nextStreamId = 1;
  private int streamId;
  private boolean streamOpen;
  private long unacknowledged;
  private boolean goingAway;
  private volatile boolean closed;

  private Http2Connection(String authority, Socket socket) throws IOException {
    this.authority = authority;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 << 10);
    this.out = socket.getOutputStream();
  }

  /**
   * Connects within {@code dialTimeout}, negotiates TLS with ALPN "h2" when {@code tls} is given
   * (checking the host name unless {@code verifyHost} is false), and sends the preface and our
   * settings; waits for the server's settings before returning.
   *
   * @throws IOException naming what failed; the socket is closed
   */
  public static Http2Connection open(
      String host, int port, Optional<SSLContext> tls, boolean verifyHost, Duration dialTimeout)
      throws IOException {
    requireNonNull(host, "host");
    requireNonNull(tls, "tls");
    requireNonNull(dialTimeout, "dialTimeout");
    long deadline = System.nanoTime() + dialTimeout.toNanos();
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setReceiveBufferSize(1 << 20);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis(dialTimeout));
      if (tls.isPresent()) {
        socket = handshake(socket, tls.get(), host, port, verifyHost, deadline);
      }
      Http2Connection connection = new Http2Connection(host + ":" + port, socket);
      connection.start(deadline);
      return connection;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private static Socket handshake(
      Socket plain, SSLContext context, String host, int port, boolean verifyHost, long deadline)
      throws IOException {
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    if (verifyHost) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (!isIpLiteral(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(remainingMillis(deadline));
    ssl.startHandshake();
    String protocol = ssl.getApplicationProtocol();
    if (!"h2".equals(protocol)) {
      throw new Http2ProtocolException(
          String.format(
              Locale.ROOT,
              "the server did not agree to HTTP/2 in the TLS handshake (ALPN: %s), as gRPC needs",
              protocol == null || protocol.isEmpty() ? "none" : protocol));
    }
    return ssl;
  }

  private void start(long deadline) throws IOException {
    // Every read polls (see readFrameHeader); the handshake had the dial deadline instead.
    socket.setSoTimeout((int) POLL.toMillis());
    ByteArrayOutputStream settings = new ByteArrayOutputStream();
    setting(settings, SETTINGS_ENABLE_PUSH, 0);
    setting(settings, SETTINGS_INITIAL_WINDOW_SIZE, WINDOW);
    setting(settings, SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_SIZE);
    // A server that rejects us (a TLS alert for our certificate, an HTTP/1 answer from the wrong
    // port) may close the connection before reading all we send: its answer, read next, says why
    // better than our broken pipe.
    IOException writeFailure = null;
    try {
      out.write(PREFACE);
      writeFrame(TYPE_SETTINGS, 0, 0, settings.toByteArray());
      writeFrame(TYPE_WINDOW_UPDATE, 0, 0, int32(WINDOW - DEFAULT_WINDOW));
      out.flush();
    } catch (IOException e) {
      writeFailure = e;
    }
    // The server's first frame must be SETTINGS (RFC 9113 §3.4); anything else is not HTTP/2.
    try {
      readFrameHeader(deadline);
    } catch (InterruptedIOException | SSLException e) {
      // Our deadline or interrupt; or a TLS alert, which says more than "not HTTP/2".
      if (writeFailure != null) {
        e.addSuppressed(writeFailure);
      }
      throw e;
    } catch (EOFException e) {
      throw new NotHttp2Exception(authority, "it closed the connection", e);
    } catch (IOException e) {
      String reason = Optional.ofNullable(e.getMessage()).orElse("").toLowerCase(Locale.ROOT);
      throw new NotHttp2Exception(
          authority,
          reason.contains("reset") ? "it reset the connection" : "the connection failed: " + e.getMessage(),
          e);
    }
    if (frameType() != TYPE_SETTINGS || (frameFlags() & FLAG_ACK) != 0) {
      throw new NotHttp2Exception(authority, "it answered with " + printable(frameHeader), null);
    }
    if (writeFailure != null) {
      throw writeFailure;
    }
    readPayload(deadline);
    applySettings();
  }

  /** Whether a new stream may be started: not closed, and the server has not said goodbye. */
  public boolean reusable() {
    return !closed && !goingAway && !streamOpen;
  }

  /**
   * Starts a stream: one header block (our request headers, literal) and the whole request body,
   * which ends our side. The body must fit the initial stream window every peer grants.
   */
  public void startStream(String method, String path, List<Header> headers, byte[] body)
      throws IOException {
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    if (streamOpen) {
      throw new IllegalStateException("a stream is already open on this connection");
    }
    if (body.length > DEFAULT_WINDOW) {
      throw new IllegalArgumentException("request body of " + body.length + " bytes is too large");
    }
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    HpackDecoder.encodeLiteral(block, ":method", method);
    HpackDecoder.encodeLiteral(block, ":scheme", socket instanceof SSLSocket ? "https" : "http");
    HpackDecoder.encodeLiteral(block, ":path", path);
    HpackDecoder.encodeLiteral(block, ":authority", authority);
    for (Header header : headers) {
      HpackDecoder.encodeLiteral(block, header.name(), header.value());
    }
    byte[] encoded = block.toByteArray();
    if (encoded.length > peerMaxFrameSize) {
      throw new IllegalArgumentException(
          "request headers of " + encoded.length + " bytes do not fit one frame");
    }
    streamId = nextStreamId;
    nextStreamId += 2;
    streamOpen = true;
    unacknowledged = 0;
    writeFrame(TYPE_HEADERS, FLAG_END_HEADERS, streamId, encoded);
    int offset = 0;
    do {
      int n = Math.min(peerMaxFrameSize, body.length - offset);
      boolean last = offset + n == body.length;
      writeFrame(TYPE_DATA, last ? FLAG_END_STREAM : 0, streamId, body, offset, n);
      offset += n;
    } while (offset < body.length);
    out.flush();
  }

  /**
   * The next event of the open stream, reading (and answering) connection frames in between.
   * After an event with end of stream, or a reset, the stream is over.
   *
   * @param deadline {@link System#nanoTime()} by which something must arrive, or {@link
   *     Long#MAX_VALUE} for none (keepalive pings still detect a dead peer)
   * @throws SocketTimeoutException at the deadline, or when the peer stops answering pings
   * @throws InterruptedIOException when the thread is interrupted (the interrupt stays set)
   * @throws Http2ProtocolException for frames that break the protocol
   */
  public Event next(long deadline) throws IOException {
    if (!streamOpen) {
      throw new IllegalStateException("no stream is open");
    }
    while (true) {
      readFrameHeader(deadline);
      int type = frameType();
      int flags = frameFlags();
      int stream = frameStream();
      int length = frameLength();
      if (length > DEFAULT_MAX_FRAME_SIZE) {
        // We never raised SETTINGS_MAX_FRAME_SIZE.
        throw protocolError("a frame of " + length + " bytes, more than the 16384 we allow");
      }
      readPayload(deadline);
      switch (type) {
        case TYPE_DATA -> {
          unacknowledged += length;
          if (stream != streamId) {
            // Data of a stream we gave up: still counts against the connection window.
            consumed();
            continue;
          }
          ByteBuffer data = unpad(flags, length);
          boolean end = (flags & FLAG_END_STREAM) != 0;
          if (end) {
            streamOpen = false;
          }
          return new DataEvent(data, end);
        }
        case TYPE_HEADERS -> {
          List<Header> headers = headerBlock(flags, length, stream, deadline);
          if (stream != streamId) {
            continue;
          }
          boolean end = (flags & FLAG_END_STREAM) != 0;
          if (end) {
            streamOpen = false;
          }
          return new HeadersEvent(headers, end);
        }
        case TYPE_RST_STREAM -> {
          if (length != 4) {
            throw protocolError("RST_STREAM of " + length + " bytes, expected 4");
          }
          if (stream == streamId) {
            streamOpen = false;
            return new ResetEvent(ByteBuffer.wrap(payload, 0, 4).getInt());
          }
        }
        case TYPE_SETTINGS -> {
          if ((flags & FLAG_ACK) == 0) {
            applySettings();
          }
        }
        case TYPE_PING -> {
          if (length != 8) {
            throw protocolError("PING of " + length + " bytes, expected 8");
          }
          if ((flags & FLAG_ACK) == 0) {
            writeFrame(TYPE_PING, FLAG_ACK, 0, payload, 0, 8);
            out.flush();
          }
        }
        case TYPE_GOAWAY -> {
          if (length < 8) {
            throw protocolError("GOAWAY of " + length + " bytes, expected at least 8");
          }
          goingAway = true;
          int lastStream = ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7fffffff;
          int errorCode = ByteBuffer.wrap(payload, 4, 4).getInt();
          if (lastStream < streamId) {
            // The server will not process our stream; it is as if it had been reset.
            streamOpen = false;
            String debug = new String(payload, 8, length - 8, StandardCharsets.UTF_8);
            throw new EOFException(
                String.format(
                    Locale.ROOT,
                    "the server closed the connection (GOAWAY, error code %d%s)",
                    errorCode,
                    debug.isBlank() ? "" : ": " + debug.strip()));
          }
        }
        case TYPE_PUSH_PROMISE -> throw protocolError("PUSH_PROMISE, though we disabled push");
        case TYPE_CONTINUATION -> throw protocolError("CONTINUATION without HEADERS");
        default -> {
          // PRIORITY, WINDOW_UPDATE (our requests fit the initial window) and unknown types.
        }
      }
    }
  }

  /**
   * Gives the data received so far back to the server's windows, once the caller has processed
   * it: until then the server can send at most {@link #WINDOW} bytes more. Updates go out in
   * batches of half a window.
   */
  public void consumed() throws IOException {
    if (unacknowledged >= WINDOW / 2) {
      byte[] increment = int32((int) unacknowledged);
      writeFrame(TYPE_WINDOW_UPDATE, 0, 0, increment);
      if (streamOpen) {
        writeFrame(TYPE_WINDOW_UPDATE, 0, streamId, increment);
      }
      out.flush();
      unacknowledged = 0;
    }
  }

  /** Ends the open stream from our side (RST_STREAM CANCEL); the connection stays usable. */
  public void cancel() throws IOException {
    if (streamOpen) {
      streamOpen = false;
      writeFrame(TYPE_RST_STREAM, 0, streamId, int32(CANCEL));
      out.flush();
    }
  }

  /** Closes the socket; safe from any thread, and unblocks a read in progress. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
  }

  private List<Header> headerBlock(int flags, int length, int stream, long deadline) throws IOException {
    int offset = 0;
    int end = length;
    if ((flags & FLAG_PADDED) != 0) {
      if (length < 1) {
        throw protocolError("a padded HEADERS frame without its pad length");
      }
      offset = 1;
      end = length - (payload[0] & 0xff);
    }
    if ((flags & FLAG_PRIORITY) != 0) {
      offset += 5;
    }
    if (end < offset) {
      throw protocolError("a HEADERS frame whose padding and priority exceed its length");
    }
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(payload, offset, end - offset);
    while ((flags & FLAG_END_HEADERS) == 0) {
      readFrameHeader(deadline);
      if (frameType() != TYPE_CONTINUATION || frameStream() != stream) {
        throw protocolError("a header block interrupted by another frame");
      }
      if (frameLength() > DEFAULT_MAX_FRAME_SIZE || block.size() > MAX_HEADER_LIST_SIZE) {
        throw protocolError("a header block larger than " + MAX_HEADER_LIST_SIZE + " bytes");
      }
      readPayload(deadline);
      flags = frameFlags();
      block.write(payload, 0, frameLength());
    }
    // Decoded even for a stream we left: the HPACK table is shared by the connection.
    return hpack.decode(ByteBuffer.wrap(block.toByteArray()));
  }

  private ByteBuffer unpad(int flags, int length) throws Http2ProtocolException {
    if ((flags & FLAG_PADDED) == 0) {
      return ByteBuffer.wrap(payload, 0, length);
    }
    if (length < 1 || (payload[0] & 0xff) > length - 1) {
      throw protocolError("a DATA frame whose padding exceeds its length");
    }
    return ByteBuffer.wrap(payload, 1, length - 1 - (payload[0] & 0xff));
  }

  private void applySettings() throws IOException {
    int length = frameLength();
    if (length % 6 != 0) {
      throw protocolError("SETTINGS of " + length + " bytes, not a multiple of 6");
    }
    ByteBuffer settings = ByteBuffer.wrap(payload, 0, length);
    while (settings.hasRemaining()) {
      int id = settings.getShort() & 0xffff;
      long value = settings.getInt() & 0xffffffffL;
      if (id == SETTINGS_MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
          throw protocolError("SETTINGS_MAX_FRAME_SIZE " + value + " out of range");
        }
        peerMaxFrameSize = (int) value;
      }
    }
    writeFrame(TYPE_SETTINGS, FLAG_ACK, 0, new byte[0]);
    out.flush();
  }

  /** Reads the next frame header (see {@link #readFully}). */
  private void readFrameHeader(long deadline) throws IOException {
    readFully(frameHeader, FRAME_HEADER_LENGTH, deadline);
  }

  /** Reads the payload of the frame whose header was read last (see {@link #readFully}). */
  private void readPayload(long deadline) throws IOException {
    int length = frameLength();
    if (length > payload.length) {
      if (length > DEFAULT_MAX_FRAME_SIZE) {
        throw protocolError("a frame of " + length + " bytes, more than the 16384 we allow");
      }
      payload = new byte[length];
    }
    readFully(payload, length, deadline);
  }

  /**
   * Reads {@code length} bytes, polling so that interrupts, the deadline and a silent peer are
   * noticed, between frames and within one alike (a network can stop in the middle of a frame).
   */
  private void readFully(byte[] buffer, int length, long deadline) throws IOException {
    long lastHeard = System.nanoTime();
    boolean pinged = false;
    int have = 0;
    while (have < length) {
      int n;
      try {
        n = in.read(buffer, have, length - have);
      } catch (SocketTimeoutException e) {
        long now = System.nanoTime();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("interrupted while waiting for the server");
        }
        if (now - deadline >= 0) {
          throw new DeadlineExceededException();
        }
        if (!pinged && now - lastHeard >= KEEPALIVE_TIME.toNanos()) {
          writeFrame(TYPE_PING, 0, 0, new byte[8]);
          out.flush();
          pinged = true;
        } else if (pinged && now - lastHeard >= KEEPALIVE_TIME.plus(KEEPALIVE_TIMEOUT).toNanos()) {
          throw new SocketTimeoutException(
              String.format(
                  Locale.ROOT,
                  "the server sent nothing for %ds and did not answer a ping",
                  KEEPALIVE_TIME.plus(KEEPALIVE_TIMEOUT).toSeconds()));
        }
        continue;
      }
      if (n < 0) {
        throw new EOFException(
            have == 0 && buffer == frameHeader
                ? "the server closed the connection"
                : "the server closed the connection in the middle of a frame");
      }
      have += n;
      lastHeard = System.nanoTime();
    }
  }

  private Http2ProtocolException protocolError(String what) {
    return new Http2ProtocolException("HTTP/2 protocol error from " + authority + ": " + what);
  }

  private int frameLength() {
    return ((frameHeader[0] & 0xff) << 16) | ((frameHeader[1] & 0xff) << 8) | (frameHeader[2] & 0xff);
  }

  private int frameType() {
    return frameHeader[3] & 0xff;
  }

  private int frameFlags() {
    return frameHeader[4] & 0xff;
  }

  private int frameStream() {
    return ByteBuffer.wrap(frameHeader, 5, 4).getInt() & 0x7fffffff;
  }

  private void writeFrame(int type, int flags, int stream, byte[] body) throws IOException {
    writeFrame(type, flags, stream, body, 0, body.length);
  }

  private void writeFrame(int type, int flags, int stream, byte[] body, int offset, int length)
      throws IOException {
    byte[] header = {
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      (byte) type,
      (byte) flags,
      (byte) (stream >>> 24),
      (byte) (stream >>> 16),
      (byte) (stream >>> 8),
      (byte) stream
    };
    byte[] frame = new byte[FRAME_HEADER_LENGTH + length];
    System.arraycopy(header, 0, frame, 0, FRAME_HEADER_LENGTH);
    System.arraycopy(body, offset, frame, FRAME_HEADER_LENGTH, length);
    // One write per frame: TLS makes one record of it.
    out.write(frame);
  }

  private static void setting(ByteArrayOutputStream out, int id, int value) {
    out.write(id >>> 8);
    out.write(id);
    out.writeBytes(int32(value));
  }

  private static byte[] int32(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  private static String printable(byte[] bytes) {
    StringBuilder text = new StringBuilder("\"");
    for (byte b : bytes) {
      text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return text.append("...\"").toString();
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static int timeoutMillis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException("no answer within the dial timeout");
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort: the connection is being abandoned.
    }
  }
}
