package io.lifeboat.client.http2;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * The peer did not answer in HTTP/2 at all: it closed or reset the connection, or answered
 * something else (often a TLS port reached with plain text, or the wrong port).
 */
public final class NotHttp2Exception extends IOException {
  private static final long serialVersionUID = 1L;

  private final String answer;

  public NotHttp2Exception(String authority, String answer, Throwable cause) {
    super(requireNonNull(authority, "authority") + " did not answer in HTTP/2 (" + requireNonNull(answer, "answer") + ")", cause);
    this.answer = answer;
  }

  /**
   * Whether the peer answered, in another protocol: proof of the wrong port or scheme, where a
   * closed or reset connection may also be a member going down.
   */
  public boolean answeredInAnotherProtocol() {
    return getCause() == null;
  }

  /** What the peer did instead, e.g. {@code it reset the connection}. */
  public String answer() {
    return answer;
  }
}
