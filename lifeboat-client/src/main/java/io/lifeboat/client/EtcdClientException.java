package io.lifeboat.client;

import java.io.IOException;

/**
 * Why talking to etcd failed, in one line a user can act on. Messages never contain passwords or
 * key material.
 */
public abstract sealed class EtcdClientException extends IOException
    permits ConnectionException,
        EtcdUnavailableException,
        EtcdAuthenticationException,
        SnapshotIntegrityException {
  EtcdClientException(String message) {
    super(message);
  }

  EtcdClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
