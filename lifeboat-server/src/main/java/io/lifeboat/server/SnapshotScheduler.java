package io.lifeboat.server;

import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.retention.GoDuration;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.server.config.ScheduleSettings;
import io.lifeboat.server.metrics.ServerMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Takes a snapshot at every slot of the schedule while this replica leads, retries a failed one
 * with backoff until the next slot, and applies retention after each success. One snapshot at a
 * time: a scheduled slot that finds an on-demand snapshot running is skipped, an on-demand request
 * that finds one running is refused.
 */
public final class SnapshotScheduler implements SnapshotTrigger, AutoCloseable {
  private final ScheduleSettings settings;
  private final RetentionPolicy retention;
  private final SnapshotService service;
  private final ServerMetrics metrics;
  private final EventLog log;
  private final BooleanSupplier leader;
  private final Clock clock;
  /** Held for the whole of a snapshot and its retention: runs never overlap. */
  private final ReentrantLock running = new ReentrantLock();
  /** The thread inside {@link SnapshotService#take} (the scheduler's or an API request's), if any. */
  private final Object takerLock = new Object();
  private Thread taker;
  /** Wakes the scheduling thread early on close. */
  private final ReentrantLock wake = new ReentrantLock();
  private final Condition stopped = wake.newCondition();
  private final Thread thread;
  /** How long an interrupted snapshot may take to clean up at shutdown. */
  static final Duration CLEAN_UP = Duration.ofSeconds(20);
  private volatile boolean closing;
  private volatile Optional<Instant> lastSuccess = Optional.empty();
  private volatile Optional<Instant> nextSlot = Optional.empty();
  private String lastName = "";

  public SnapshotScheduler(ScheduleSettings settings, RetentionPolicy retention, SnapshotService service,
      ServerMetrics metrics, EventLog log, BooleanSupplier leader, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.service = Objects.requireNonNull(service, "service");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.log = Objects.requireNonNull(log, "log");
    this.leader = Objects.requireNonNull(leader, "leader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread = new Thread(this::loop, "lifeboat-scheduler");
  }

  /** Starts the schedule; without {@code enabled} only on-demand snapshots are taken. */
  public void start() {
    if (settings.enabled()) {
      thread.start();
    }
  }

  /** The newest snapshot this process took, if any. */
  public Optional<Instant> lastSuccess() {
    return lastSuccess;
  }

  public Optional<Instant> nextSlot() {
    return nextSlot;
  }

  @Override
  public TakenSnapshot takeNow() throws IOException {
    if (closing) {
      throw new IOException("the server is shutting down");
    }
    if (!running.tryLock()) {
      throw new SnapshotInProgressException("a snapshot is being taken");
    }
    try {
      return takeAndPrune("on-demand", 1);
    } catch (IOException | RuntimeException e) {
      metrics.snapshotFailed("local", e.getClass().getSimpleName());
      log.error("Failed to create backup", "trigger", "on-demand", "err",
          reason(e));
      throw e;
    } finally {
      running.unlock();
    }
  }

  private void loop() {
    Instant slot = settings.schedule().next(clock.instant());
    while (!closing) {
      nextSlot = Optional.of(slot);
      metrics.scheduledNext(slot);
      if (!sleepUntil(slot)) {
        return;
      }
      Instant following = settings.schedule().next(slot);
      if (!following.isAfter(clock.instant())) {
        // The process was suspended or a run overran several slots: skip to the next one ahead.
        following = settings.schedule().next(clock.instant());
      }
      runSlot(following);
      slot = following;
    }
  }

  /** One scheduled slot: leader only, retries with backoff, never past the next slot. */
  private void runSlot(Instant nextSlotAt) {
    if (!leader.getAsBoolean()) {
      log.debug("Skipping backup: not the leader");
      return;
    }
    if (!running.tryLock()) {
      log.warn("Skipping backup: a snapshot is already being taken");
      return;
    }
    try {
      for (int attempt = 1; attempt <= settings.attempts() && !closing; attempt++) {
        try {
          takeAndPrune("scheduled", attempt);
          return;
        } catch (IOException | RuntimeException e) {
          metrics.snapshotFailed("local", e.getClass().getSimpleName());
          String reason = reason(e);
          Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
          boolean retry = attempt < settings.attempts()
              && clock.instant().plus(wait).isBefore(nextSlotAt);
          log.error("Failed to create backup", "attempt", attempt, "attempts", settings.attempts(),
              "err", reason, "retry", retry ? "in " + GoDuration.format(wait) : "no");
          if (!retry || !sleepUntil(clock.instant().plus(wait))) {
            return;
          }
          if (!leader.getAsBoolean()) {
            log.info("Not retrying backup: no longer the leader");
            return;
          }
        }
      }
    } finally {
      running.unlock();
    }
  }

  private TakenSnapshot takeAndPrune(String trigger, int attempt) throws IOException {
    SnapshotName name = uniqueName();
    metrics.snapshotInProgress(true);
    TakenSnapshot taken;
    synchronized (takerLock) {
      taker = Thread.currentThread();
    }
    try {
      taken = service.take(name);
    } finally {
      synchronized (takerLock) {
        taker = null;
        // Shutdown interrupts only a take: an interrupt that came as it ended must not cut pruning short.
        Thread.interrupted();
      }
      metrics.snapshotInProgress(false);
    }
    lastSuccess = Optional.of(taken.metadata().createdAt());
    metrics.snapshotTaken(taken);
    log.info("Created backup", "name", name, "trigger", trigger, "attempt", attempt, "runtime",
        GoDuration.format(taken.duration().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)),
        "size", taken.metadata().size(), "revision", taken.metadata().etcd().revision(),
        "member", taken.metadata().etcd().memberId(), "locations", String.join(",", taken.storedIn()));
    taken.failedUploads().forEach((location, reason) ->
        log.error("Failed to upload backup", "name", name, "location", location, "err", reason));
    try {
      for (Deletion d : service.applyRetention(retention, clock.instant())) {
        metrics.retentionDeleted(d);
        log.info("Removed expired backup", "name", d.name(), "location", d.location(), "created", d.createdAt(),
            "retention", retention);
      }
    } catch (IOException | RuntimeException e) {
      log.error("Failed to apply retention", "retention", retention, "err", e.getMessage());
    }
    return taken;
  }

  /** Names have one-second resolution: never reuse the previous one within the same second. */
  private SnapshotName uniqueName() {
    String name = settings.names().nameAt(clock.instant());
    while (name.equals(lastName)) {
      sleepUntil(clock.instant().plusMillis(100));
      name = settings.names().nameAt(clock.instant());
    }
    lastName = name;
    return new SnapshotName(name);
  }

  /** Sleeps until {@code when}; false when the scheduler is closing. */
  private boolean sleepUntil(Instant when) {
    wake.lock();
    try {
      while (!closing) {
        long millis = Duration.between(clock.instant(), when).toMillis();
        if (millis <= 0) {
          return true;
        }
        try {
          stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    } finally {
      wake.unlock();
    }
  }

  /**
   * Stops scheduling, and lets a running snapshot finish within {@code grace}. One still running
   * then is interrupted and given up to {@link #CLEAN_UP} to clean up after itself: its temporary
   * file removed, a multipart upload aborted (left alone, the bucket would keep its parts).
   *
   * @return false when a snapshot was cut short
   */
  public boolean shutdown(Duration grace) {
    closing = true;
    wake.lock();
    try {
      stopped.signalAll();
    } finally {
      wake.unlock();
    }
    try {
      if (running.tryLock(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        running.unlock();
        thread.join(1000);
        return true;
      }
      Optional<Instant> succeededBefore = lastSuccess;
      synchronized (takerLock) {
        if (taker != null) {
          taker.interrupt();
        }
      }
      if (running.tryLock(CLEAN_UP.toMillis(), TimeUnit.MILLISECONDS)) {
        running.unlock();
        // It may have been past the point of no return, and stored the snapshot after all.
        return !lastSuccess.equals(succeededBefore);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A failure in one line for the log: its message, else its type. */
  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Whether a snapshot is being taken right now (for tests: shutdown no longer needs to ask). */
  boolean isTaking() {
    return running.isLocked();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
