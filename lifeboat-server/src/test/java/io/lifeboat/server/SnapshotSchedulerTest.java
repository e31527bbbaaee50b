package io.lifeboat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.retention.RetentionPolicy;
import io.lifeboat.server.config.LogFormat;
import io.lifeboat.server.config.NameStyle;
import io.lifeboat.server.config.ScheduleSettings;
import io.lifeboat.server.metrics.ServerMetrics;
import io.lifeboat.server.schedule.Schedule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduling logic with a fake snapshot service (the real service is exercised end to end by
 * the CLI's ServerIT): retries with backoff before the next slot, counting, no overlap, leadership.
 */
@Timeout(30)
class SnapshotSchedulerTest {
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final EventLog log = new EventLog(LogFormat.LOGFMT, new PrintStream(logBytes, true, StandardCharsets.UTF_8),
      Clock.systemUTC(), false);
  private final ServerMetrics metrics = new ServerMetrics(List.of("local"));
  private final List<SnapshotScheduler> schedulers = new ArrayList<>();

  /** Fails the first {@code failures} takes, then succeeds; can block inside take. */
  private static final class FakeService implements SnapshotService {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> names = Collections.synchronizedList(new ArrayList<>());
    final int failures;
    volatile CountDownLatch block = new CountDownLatch(0);
    /** When interrupted while blocked: clean up for a while, then fail as a real save does. */
    volatile boolean stopWhenInterrupted;
    final AtomicBoolean cleanedUp = new AtomicBoolean();
    final CountDownLatch entered = new CountDownLatch(1);
    final AtomicInteger retentionRuns = new AtomicInteger();

    FakeService(int failures) {
      this.failures = failures;
    }

    @Override
    public TakenSnapshot take(SnapshotName name) throws IOException {
      entered.countDown();
      try {
        block.await();
      } catch (InterruptedException e) {
        if (stopWhenInterrupted) {
          try {
            Thread.sleep(300);
          } catch (InterruptedException again) {
            throw new AssertionError("interrupted twice", again);
          }
          cleanedUp.set(true);
          throw new InterruptedIOException("snapshot interrupted");
        }
        Thread.currentThread().interrupt();
      }
      if (calls.incrementAndGet() <= failures) {
        throw new IOException("etcd said no (" + calls.get() + ")");
      }
      names.add(name.value());
      SnapshotMetadata m = new SnapshotMetadata(SnapshotMetadata.FORMAT, name.value(), Instant.now(),
          name.value() + ".db", 100, "00", "none", "none",
          new SnapshotMetadata.EtcdFacts("http://127.0.0.1:2379", "1", "2", "3.5.16", 42, 7, 9, 100));
      return new TakenSnapshot(m, List.of("local"), Map.of(), 0, Duration.ofMillis(5));
    }

    @Override
    public List<ListedSnapshot> list() {
      return List.of();
    }

    @Override
    public Optional<ListedSnapshot> find(SnapshotName name) {
      return Optional.empty();
    }

    @Override
    public List<Deletion> applyRetention(RetentionPolicy policy, Instant now) {
      retentionRuns.incrementAndGet();
      return List.of();
    }

    @Override
    public void checkEtcd() {}
  }

  private SnapshotScheduler scheduler(FakeService service, Duration every, int attempts, Duration backoff,
      AtomicBoolean leader) {
    ScheduleSettings settings = new ScheduleSettings(true, new Schedule.Interval(every), NameStyle.LIFEBOAT,
        attempts, backoff, Optional.empty());
    SnapshotScheduler s = new SnapshotScheduler(settings, new RetentionPolicy.Count(3), service, metrics, log,
        leader::get, Clock.systemUTC());
    schedulers.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    schedulers.forEach(s -> s.shutdown(Duration.ofSeconds(5)));
  }

  private String logText() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  private static double value(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElseThrow();
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aFailedSnapshot_isRetriedWithBackoff_countedEachTime_thenSucceedsAndPrunes() throws Exception {
    FakeService service = new FakeService(2);
    SnapshotScheduler s = scheduler(service, Duration.ofSeconds(1), 4, Duration.ofMillis(100), new AtomicBoolean(true));
    s.start();

    await(() -> !service.names.isEmpty(), Duration.ofSeconds(10));
    s.shutdown(Duration.ofSeconds(5));

    assertThat(service.calls.get()).isGreaterThanOrEqualTo(3);
    String scrape = metrics.scrape();
    assertThat(value(scrape, "lifeboat_snapshots_failed_total{location=\"local\"}")).isEqualTo(2.0);
    assertThat(value(scrape, "lifeboat_snapshots_taken_total{location=\"local\"}")).isEqualTo(service.names.size());
    assertThat(logText()).contains("msg=\"Failed to create backup\" attempt=1 attempts=4 err=\"etcd said no (1)\""
        + " retry=\"in 100ms\"");
    assertThat(logText()).contains("attempt=2 attempts=4 err=\"etcd said no (2)\" retry=\"in 200ms\"");
    assertThat(logText()).contains("msg=\"Created backup\" name=" + service.names.get(0) + " trigger=scheduled"
        + " attempt=3");
    assertThat(service.retentionRuns.get()).isEqualTo(service.names.size());
  }

  @Test
  void retries_neverRunIntoTheNextSlot() throws Exception {
    FakeService service = new FakeService(Integer.MAX_VALUE);
    // A 10 s backoff cannot fit before the next slot 1 s away: one attempt per slot, no retry.
    SnapshotScheduler s = scheduler(service, Duration.ofSeconds(1), 4, Duration.ofSeconds(10), new AtomicBoolean(true));
    s.start();

    await(() -> service.calls.get() >= 2, Duration.ofSeconds(10));
    s.shutdown(Duration.ofSeconds(5));

    assertThat(logText()).contains("attempt=1 attempts=4").contains("retry=no").doesNotContain("attempt=2 ");
  }

  @Test
  void aFollower_takesNoScheduledSnapshot_untilItLeads() throws Exception {
    FakeService service = new FakeService(0);
    AtomicBoolean leader = new AtomicBoolean(false);
    SnapshotScheduler s = scheduler(service, Duration.ofMillis(1000), 1, Duration.ZERO, leader);
    s.start();

    Thread.sleep(2500);
    assertThat(service.calls.get()).isZero();
    leader.set(true);
    await(() -> service.calls.get() >= 1, Duration.ofSeconds(5));
  }

  @Test
  void onDemand_whileASnapshotRuns_isRefused_andNothingOverlaps() throws Exception {
    FakeService service = new FakeService(0);
    service.block = new CountDownLatch(1);
    SnapshotScheduler s = scheduler(service, Duration.ofHours(1), 1, Duration.ZERO, new AtomicBoolean(true));
    Thread first = new Thread(() -> {
      try {
        s.takeNow();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    first.start();
    assertThat(service.entered.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(s::takeNow).isInstanceOf(SnapshotInProgressException.class);
    service.block.countDown();
    first.join(5000);
    assertThat(service.names).hasSize(1);
    TakenSnapshot second = s.takeNow();
    assertThat(second.metadata().name()).isNotEqualTo(service.names.get(0));
  }

  @Test
  void shutdown_letsTheRunningSnapshotFinish() throws Exception {
    FakeService service = new FakeService(0);
    service.block = new CountDownLatch(1);
    SnapshotScheduler s = scheduler(service, Duration.ofHours(1), 1, Duration.ZERO, new AtomicBoolean(true));
    Thread taking = new Thread(() -> {
      try {
        s.takeNow();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    taking.start();
    assertThat(service.entered.await(5, TimeUnit.SECONDS)).isTrue();
    new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      service.block.countDown();
    }).start();

    assertThat(s.shutdown(Duration.ofSeconds(10))).isTrue();
    assertThat(service.names).hasSize(1);
    assertThatThrownBy(s::takeNow).isInstanceOf(IOException.class).hasMessageContaining("shutting down");
  }

  @Test
  void shutdown_pastTheGrace_interruptsTheTake_andWaitsForItsCleanUp() throws Exception {
    FakeService service = new FakeService(0);
    service.block = new CountDownLatch(1);
    service.stopWhenInterrupted = true;
    SnapshotScheduler s = scheduler(service, Duration.ofHours(1), 1, Duration.ZERO, new AtomicBoolean(true));
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread taking = new Thread(() -> {
      try {
        s.takeNow();
      } catch (IOException e) {
        failure.set(e);
      }
    });
    taking.start();
    assertThat(service.entered.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(s.shutdown(Duration.ofMillis(100))).isFalse();

    // shutdown returned only once the interrupted take had cleaned up and failed
    assertThat(service.cleanedUp).isTrue();
    taking.join(5000);
    assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(service.names).isEmpty();
    assertThat(s.isTaking()).isFalse();
    assertThat(logText()).contains("Failed to create backup").contains("snapshot interrupted");
  }
}
