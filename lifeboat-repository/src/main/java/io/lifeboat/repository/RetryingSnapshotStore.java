package io.lifeboat.repository;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Retries whole store operations that failed with a {@link StoreException#retryable() retryable}
 * error (the backend's own per-request retries were exhausted, or the endpoint was briefly
 * unreachable), with exponential backoff and a bounded number of attempts. Uploads are retried only
 * when their source is {@link ObjectSource#replayable() replayable}. Non-retryable errors (missing
 * bucket, bad credentials, already exists, ...) pass through at once. The failure guarantees of the
 * wrapped store hold for every attempt.
 */
public final class RetryingSnapshotStore implements SnapshotStore {
  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  @FunctionalInterface
  private interface Operation<T> {
    T run() throws StoreException;
  }

  private final SnapshotStore delegate;
  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;

  public RetryingSnapshotStore(SnapshotStore delegate, int maxAttempts, Duration baseDelay, Duration maxDelay,
      Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
    this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** 3 attempts, 1 s then 2 s apart, sleeping for real. */
  public static RetryingSnapshotStore withDefaults(SnapshotStore delegate) {
    return new RetryingSnapshotStore(delegate, 3, Duration.ofSeconds(1), Duration.ofSeconds(30),
        d -> Thread.sleep(d.toMillis()));
  }

  private <T> T retry(boolean retryable, Operation<T> operation) throws StoreException {
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.run();
      } catch (StoreException e) {
        if (!retryable || !e.retryable() || attempt >= maxAttempts) {
          if (attempt > 1) {
            e.addSuppressed(new StoreException(e.reason(), String.format(Locale.ROOT,
                "gave up after %d attempts", attempt)));
          }
          throw e;
        }
        long millis = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
        try {
          sleeper.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public void check() throws StoreException {
    retry(true, () -> {
      delegate.check();
      return null;
    });
  }

  @Override
  public void put(SnapshotName name, ObjectKind kind, ObjectSource source) throws StoreException {
    retry(source.replayable(), () -> {
      delegate.put(name, kind, source);
      return null;
    });
  }

  @Override
  public InputStream get(SnapshotName name, ObjectKind kind) throws StoreException {
    return retry(true, () -> delegate.get(name, kind));
  }

  @Override
  public boolean exists(SnapshotName name, ObjectKind kind) throws StoreException {
    return retry(true, () -> delegate.exists(name, kind));
  }

  @Override
  public List<StoredObject> list() throws StoreException {
    return retry(true, delegate::list);
  }

  @Override
  public boolean delete(SnapshotName name, ObjectKind kind) throws StoreException {
    return retry(true, () -> delegate.delete(name, kind));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
