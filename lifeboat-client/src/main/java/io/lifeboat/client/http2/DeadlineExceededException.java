package io.lifeboat.client.http2;

import java.net.SocketTimeoutException;

/**
 * The caller's deadline passed while waiting for the server: the call took too long, the
 * connection may be fine. (A silent connection that also ignored our ping is a plain
 * {@link SocketTimeoutException}.)
 */
public final class DeadlineExceededException extends SocketTimeoutException {
  private static final long serialVersionUID = 1L;

  public DeadlineExceededException() {
    super("no answer before the deadline");
  }
}
