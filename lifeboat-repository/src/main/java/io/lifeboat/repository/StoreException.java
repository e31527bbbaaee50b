package io.lifeboat.repository;

import java.io.IOException;

/**
 * A snapshot store operation that failed. The {@link Reason} says what kind of failure it was (the
 * message says where and what to do); {@link #retryable()} whether trying again later may help.
 * Messages never contain secrets.
 */
public final class StoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the store can tell. */
  public enum Reason {
    /** The named object does not exist. */
    NOT_FOUND(false),
    /** The named object exists and snapshots are never overwritten. */
    ALREADY_EXISTS(false),
    /** The bucket (or base directory) does not exist. */
    BUCKET_MISSING(false),
    /** The access key is unknown or the secret key does not match it. */
    BAD_CREDENTIALS(false),
    /** The credentials are valid but not allowed this operation. */
    ACCESS_DENIED(false),
    /** The bucket lives in another region than the one configured. */
    WRONG_REGION(false),
    /** The endpoint could not be reached (DNS, connection refused, TLS). */
    UNREACHABLE(true),
    /** Server errors, throttling, resets or timeouts that outlasted the retry budget. */
    TRANSIENT(true),
    /** The source delivered other bytes than announced, or failed while being read. */
    SOURCE_FAILED(false),
    /** Anything else the server or file system refused. */
    OTHER(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public boolean retryable() {
    return reason.retryable;
  }
}
