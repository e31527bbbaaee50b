package io.lifeboat.repository.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which snapshots of one location to keep: the newest {@code N}; those younger than an age (RKE's
 * and Rancher's {@code 24h}); or tiers, the newest snapshot of each of the last hours, days, ISO
 * weeks and months (UTC). Whatever the policy, the newest snapshot is always kept.
 */
public sealed interface RetentionPolicy {
  /**
   * Parses {@code 6} (count), {@code 24h} / {@code 1h30m} (Go duration: age), or
   * {@code hourly=24,daily=7,weekly=4,monthly=12} (tiers, any subset).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static RetentionPolicy parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    if (t.matches("\\d+")) {
      long n;
      try {
        n = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("retention " + t + " is too large");
      }
      if (n < 1) {
        throw new IllegalArgumentException("retention must keep at least 1 snapshot (or give an age such as 24h)");
      }
      return new Count((int) Math.min(n, Integer.MAX_VALUE));
    }
    if (t.contains("=")) {
      return Tiered.parse(t);
    }
    Duration d;
    try {
      d = GoDuration.parse(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("retention '" + t + "' is neither a count (6), an age (24h) nor tiers"
          + " (hourly=24,daily=7,weekly=4,monthly=12)");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("retention must be a positive count or a positive age such as 24h");
    }
    return new MaxAge(d);
  }

  /**
   * The snapshots to delete from one location's list, at time {@code now}; never the first.
   *
   * @param newestFirst the location's snapshots, newest first
   * @param createdAt their creation times, in the same order
   */
  <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now);

  /** Keep the newest {@code keep}. */
  record Count(int keep) implements RetentionPolicy {
    public Count {
      if (keep < 1) {
        throw new IllegalArgumentException("keep must be at least 1");
      }
    }

    @Override
    public <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now) {
      requireSameSize(newestFirst, createdAt);
      return newestFirst.size() <= keep ? List.of() : List.copyOf(newestFirst.subList(keep, newestFirst.size()));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "keep the newest %d", keep);
    }
  }

  /** Keep those created at most {@code age} before now (and the newest in any case). */
  record MaxAge(Duration age) implements RetentionPolicy {
    public MaxAge {
      Objects.requireNonNull(age, "age");
      if (age.isZero() || age.isNegative()) {
        throw new IllegalArgumentException("age must be positive");
      }
    }

    @Override
    public <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now) {
      requireSameSize(newestFirst, createdAt);
      Instant cutoff = now.minus(age);
      List<T> result = new ArrayList<>();
      for (int i = 1; i < newestFirst.size(); i++) {
        if (createdAt.get(i).isBefore(cutoff)) {
          result.add(newestFirst.get(i));
        }
      }
      return result;
    }

    @Override
    public String toString() {
      return "keep those created within " + GoDuration.format(age);
    }
  }

  /**
   * Keep, per tier, the newest snapshot of each of the last {@code n} periods that have one
   * (restic's and Velero's scheme): {@code hourly=24} keeps one snapshot per hour for the 24 most
   * recent hours that have snapshots. A snapshot kept by any tier stays. A tier of 0 is off.
   */
  record Tiered(int hourly, int daily, int weekly, int monthly) implements RetentionPolicy {
    public Tiered {
      if (hourly < 0 || daily < 0 || weekly < 0 || monthly < 0) {
        throw new IllegalArgumentException("tier counts must not be negative");
      }
      // Summed as longs: as ints, four large counts could wrap around to exactly 0.
      if ((long) hourly + daily + weekly + monthly == 0) {
        throw new IllegalArgumentException("at least one tier must keep something");
      }
    }

    static Tiered parse(String text) {
      Map<String, Integer> tiers = new LinkedHashMap<>();
      for (String part : text.split(",")) {
        String[] kv = part.strip().split("=", -1);
        if (kv.length != 2 || !kv[1].strip().matches("\\d{1,6}")) {
          throw new IllegalArgumentException("retention tiers look like hourly=24,daily=7,weekly=4,monthly=12, not '"
              + text + "'");
        }
        String tier = kv[0].strip().toLowerCase(Locale.ROOT);
        if (!Set.of("hourly", "daily", "weekly", "monthly").contains(tier)) {
          throw new IllegalArgumentException("unknown retention tier '" + kv[0].strip()
              + "' (hourly, daily, weekly, monthly)");
        }
        if (tiers.put(tier, Integer.parseInt(kv[1].strip())) != null) {
          throw new IllegalArgumentException("retention tier '" + tier + "' given twice");
        }
      }
      return new Tiered(tiers.getOrDefault("hourly", 0), tiers.getOrDefault("daily", 0),
          tiers.getOrDefault("weekly", 0), tiers.getOrDefault("monthly", 0));
    }

    @Override
    public <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now) {
      requireSameSize(newestFirst, createdAt);
      Set<Integer> kept = new HashSet<>();
      kept.add(0);
      keepNewestPerPeriod(createdAt, hourly, t -> t.truncatedTo(ChronoUnit.HOURS), kept);
      keepNewestPerPeriod(createdAt, daily, t -> t.truncatedTo(ChronoUnit.DAYS), kept);
      keepNewestPerPeriod(createdAt, weekly, t -> {
        LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
        return d.get(IsoFields.WEEK_BASED_YEAR) * 100L + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      }, kept);
      keepNewestPerPeriod(createdAt, monthly, t -> {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return z.getYear() * 100L + z.getMonthValue();
      }, kept);
      List<T> result = new ArrayList<>();
      for (int i = 0; i < newestFirst.size(); i++) {
        if (!kept.contains(i)) {
          result.add(newestFirst.get(i));
        }
      }
      return result;
    }

    /** Walks newest first and keeps the first snapshot seen in each new period, up to {@code periods}. */
    private static void keepNewestPerPeriod(List<Instant> createdAt, int periods, Function<Instant, Object> period,
        Set<Integer> kept) {
      Set<Object> seen = new HashSet<>();
      for (int i = 0; i < createdAt.size() && seen.size() < periods; i++) {
        if (seen.add(period.apply(createdAt.get(i)))) {
          kept.add(i);
        }
      }
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      if (hourly > 0) {
        parts.add(hourly + " hourly");
      }
      if (daily > 0) {
        parts.add(daily + " daily");
      }
      if (weekly > 0) {
        parts.add(weekly + " weekly");
      }
      if (monthly > 0) {
        parts.add(monthly + " monthly");
      }
      return "keep " + String.join(", ", parts);
    }
  }

  private static void requireSameSize(List<?> items, List<Instant> createdAt) {
    if (items.size() != createdAt.size()) {
      throw new IllegalArgumentException("one creation time per snapshot: " + items.size() + " vs " + createdAt.size());
    }
  }
}
