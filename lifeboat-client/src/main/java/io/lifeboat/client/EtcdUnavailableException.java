package io.lifeboat.client;

/** No usable member: unreachable, timed out, or died mid-stream. Names the endpoint(s); retrying elsewhere may help. */
public final class EtcdUnavailableException extends EtcdClientException {
  public EtcdUnavailableException(String message) {
    super(message);
  }

  public EtcdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
