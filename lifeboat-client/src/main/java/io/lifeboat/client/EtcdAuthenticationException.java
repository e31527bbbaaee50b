package io.lifeboat.client;

/** etcd rejected the user name or password, or the user lacks the role the operation needs. */
public final class EtcdAuthenticationException extends EtcdClientException {
  public EtcdAuthenticationException(String message) {
    super(message);
  }

  public EtcdAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
