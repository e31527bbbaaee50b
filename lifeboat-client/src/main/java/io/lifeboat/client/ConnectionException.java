package io.lifeboat.client;

/** Bad connection settings or TLS files, or a TLS handshake the server refused; fix the flags and retry. */
public final class ConnectionException extends EtcdClientException {
  public ConnectionException(String message) {
    super(message);
  }

  public ConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
