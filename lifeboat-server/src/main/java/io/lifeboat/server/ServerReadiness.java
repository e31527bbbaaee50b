package io.lifeboat.server;

import io.lifeboat.repository.retention.GoDuration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ready when etcd answers and the newest snapshot (taken by any replica, as the repository shows
 * it) is younger than the limit. A server that started less than the limit ago is not faulted for
 * having no snapshot yet. Answers are cached briefly: probes must not hammer etcd or the bucket.
 */
final class ServerReadiness implements Readiness {
  private static final Duration CACHE = Duration.ofSeconds(5);

  private final SnapshotService service;
  private final Supplier<Optional<Instant>> lastTakenHere;
  private final Optional<Duration> maxAge;
  private final Clock clock;
  private final Instant started;
  private Instant checkedAt = Instant.MIN;
  private Report cached = new Report(List.of("not checked yet"));

  /** @param maxAge empty when scheduled snapshots are off: then only etcd is checked */
  ServerReadiness(SnapshotService service, Supplier<Optional<Instant>> lastTakenHere, Optional<Duration> maxAge,
      Clock clock) {
    this.service = Objects.requireNonNull(service, "service");
    this.lastTakenHere = Objects.requireNonNull(lastTakenHere, "lastTakenHere");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.started = clock.instant();
  }

  @Override
  public synchronized Report check() {
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(CACHE))) {
      return cached;
    }
    List<String> problems = new ArrayList<>();
    try {
      service.checkEtcd();
    } catch (IOException | RuntimeException e) {
      problems.add("etcd: " + e.getMessage());
    }
    if (maxAge.isPresent()) {
      freshness(now, maxAge.get()).ifPresent(problems::add);
    }
    cached = new Report(problems);
    checkedAt = now;
    return cached;
  }

  private Optional<String> freshness(Instant now, Duration limit) {
    Optional<Instant> newest = lastTakenHere.get();
    if (newest.isEmpty() || now.isAfter(newest.get().plus(limit))) {
      try {
        List<ListedSnapshot> all = service.list();
        if (!all.isEmpty()) {
          Instant listed = all.get(0).metadata().createdAt();
          newest = newest.isEmpty() || listed.isAfter(newest.get()) ? Optional.of(listed) : newest;
        }
      } catch (IOException | RuntimeException e) {
        return Optional.of("listing snapshots failed: " + e.getMessage());
      }
    }
    if (newest.isPresent()) {
      Duration age = Duration.between(newest.get(), now);
      return age.compareTo(limit) <= 0 ? Optional.empty() : Optional.of(String.format(java.util.Locale.ROOT,
          "the newest snapshot is %s old, more than %s", GoDuration.format(age.truncatedTo(ChronoUnit.SECONDS)),
          GoDuration.format(limit)));
    }
    return now.isAfter(started.plus(limit))
        ? Optional.of("no snapshot since the server started " + GoDuration.format(
            Duration.between(started, now).truncatedTo(ChronoUnit.SECONDS)) + " ago")
        : Optional.empty();
  }
}
