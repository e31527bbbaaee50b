package io.lifeboat.client.http2;

import java.io.IOException;

/**
 * The peer broke the HTTP/2 (or HPACK) protocol: a frame or header block that cannot be decoded.
 * The message says where in the input and what was expected; the connection cannot be used after.
 */
public final class Http2ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public Http2ProtocolException(String message) {
    super(message);
  }
}
