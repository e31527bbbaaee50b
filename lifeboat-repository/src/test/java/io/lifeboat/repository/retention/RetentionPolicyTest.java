package io.lifeboat.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionPolicyTest {
  /** Wednesday 2026-11-25, 23:05 UTC. */
  private static final Instant NEWEST = Instant.parse("2026-11-25T23:05:00Z");

  /** One snapshot an hour for {@code hours} hours, newest first: snapshot {@code i} is {@code i} hours old. */
  private static List<Instant> hourly(int hours) {
    return IntStream.range(0, hours).mapToObj(i -> NEWEST.minus(i, ChronoUnit.HOURS)).toList();
  }

  /** Indices of the snapshots the policy keeps. */
  private static Set<Integer> kept(RetentionPolicy policy, List<Instant> createdAt, Instant now) {
    List<Integer> indices = IntStream.range(0, createdAt.size()).boxed().toList();
    Set<Integer> keep = new TreeSet<>(indices);
    policy.expired(indices, createdAt, now).forEach(keep::remove);
    return keep;
  }

  @Nested
  class Parse {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "6 | keep the newest 6",
        "' 1 ' | keep the newest 1",
        "24h | keep those created within 24h0m0s",
        "1h30m | keep those created within 1h30m0s",
        "90s | keep those created within 1m30s",
        "hourly=24,daily=7,weekly=4,monthly=12 | keep 24 hourly, 7 daily, 4 weekly, 12 monthly",
        "daily=7 | keep 7 daily",
        "Monthly=12, weekly = 4 | keep 4 weekly, 12 monthly",
        "hourly=0,daily=1 | keep 1 daily"})
    void parse_describesWhatItKeeps(String text, String description) {
      assertThat(RetentionPolicy.parse(text)).hasToString(description);
    }

    @Test
    void parse_givesTheMatchingPolicy() {
      assertThat(RetentionPolicy.parse("6")).isEqualTo(new RetentionPolicy.Count(6));
      assertThat(RetentionPolicy.parse("24h")).isEqualTo(new RetentionPolicy.MaxAge(Duration.ofHours(24)));
      assertThat(RetentionPolicy.parse("weekly=4,hourly=24"))
          .isEqualTo(new RetentionPolicy.Tiered(24, 0, 4, 0));
      assertThat(RetentionPolicy.parse("99999999999")).isEqualTo(new RetentionPolicy.Count(Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 | retention must keep at least 1 snapshot (or give an age such as 24h)",
        "99999999999999999999999 | retention 99999999999999999999999 is too large",
        "0s | retention must be a positive count or a positive age such as 24h",
        "-1 | retention '-1' is neither a count (6), an age (24h) nor tiers (hourly=24,daily=7,weekly=4,monthly=12)",
        "7d | retention '7d' is neither a count (6), an age (24h) nor tiers",
        "'' | retention '' is neither a count (6), an age (24h) nor tiers",
        "yearly=2 | unknown retention tier 'yearly' (hourly, daily, weekly, monthly)",
        "daily=7,daily=3 | retention tier 'daily' given twice",
        "daily=x | retention tiers look like hourly=24,daily=7,weekly=4,monthly=12, not 'daily=x'",
        "daily=-1 | retention tiers look like hourly=24,daily=7,weekly=4,monthly=12, not 'daily=-1'",
        "daily=7,,weekly=4 | retention tiers look like",
        "daily=1=2 | retention tiers look like",
        "daily=0,weekly=0 | at least one tier must keep something"})
    void parse_badText_saysWhatIsWrong(String text, String message) {
      assertThatThrownBy(() -> RetentionPolicy.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(message);
    }

    @Test
    void constructors_rejectNothingToKeep() {
      assertThatThrownBy(() -> new RetentionPolicy.Count(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("keep must be at least 1");
      assertThatThrownBy(() -> new RetentionPolicy.MaxAge(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("age must be positive");
      assertThatThrownBy(() -> new RetentionPolicy.Tiered(0, -1, 1, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("tier counts must not be negative");
      // As ints these four sum to exactly 2^32, which wraps to 0.
      assertThat(new RetentionPolicy.Tiered(Integer.MAX_VALUE, Integer.MAX_VALUE, 2, 0).weekly()).isEqualTo(2);
    }
  }

  @Nested
  class Count {
    @Test
    void expired_isEverythingAfterTheNewestN() {
      List<String> names = List.of("e", "d", "c", "b", "a");
      List<Instant> times = hourly(5);
      assertThat(new RetentionPolicy.Count(2).expired(names, times, NEWEST)).containsExactly("c", "b", "a");
      assertThat(new RetentionPolicy.Count(5).expired(names, times, NEWEST)).isEmpty();
      assertThat(new RetentionPolicy.Count(9).expired(names, times, NEWEST)).isEmpty();
      assertThat(new RetentionPolicy.Count(1).expired(List.of(), List.of(), NEWEST)).isEmpty();
    }
  }

  @Nested
  class MaxAge {
    @Test
    void expired_isWhatIsOlderThanTheAge_keepingOneExactlyAtTheCutoff() {
      RetentionPolicy policy = RetentionPolicy.parse("24h");
      Instant now = NEWEST.plus(5, ChronoUnit.MINUTES);
      // Snapshot 24 is 24h05m old at `now`; snapshot 23 is exactly 23h05m old.
      assertThat(kept(policy, hourly(48), now)).isEqualTo(range(0, 24));
      assertThat(kept(policy, hourly(48), NEWEST)).as("24h old exactly is kept").isEqualTo(range(0, 25));
    }

    @Test
    void expired_allTooOld_stillKeepsTheNewest() {
      RetentionPolicy policy = RetentionPolicy.parse("1h");
      assertThat(kept(policy, hourly(10), NEWEST.plus(30, ChronoUnit.DAYS))).containsExactly(0);
    }
  }

  @Nested
  class Tiered {
    private final List<Instant> fortyDays = hourly(40 * 24);
    private final RetentionPolicy policy = RetentionPolicy.parse("hourly=24,daily=7,weekly=4,monthly=12");

    @Test
    void hourlySnapshotsForFortyDays_keepsExactlyTheTiers() {
      Set<Integer> expected = new TreeSet<>(range(0, 24)); // the last 24 hours: 00:05 to 23:05 on Nov 25
      // Newest of each UTC day, Nov 25 back to Nov 19: 23:05 each day.
      expected.addAll(List.of(0, 24, 48, 72, 96, 120, 144));
      // Newest of each ISO week: this week (from Mon Nov 23), then Sundays Nov 22, 15 and 8 at 23:05.
      expected.addAll(List.of(0, 72, 240, 408));
      // Newest of each month that has snapshots: November, then Oct 31 23:05 (the series starts Oct 17).
      expected.addAll(List.of(0, 600));

      Set<Integer> kept = kept(policy, fortyDays, NEWEST);

      assertThat(kept).isEqualTo(expected).hasSize(33);
      assertThat(fortyDays.get(959)).isEqualTo("2026-10-17T00:05:00Z");
      assertThat(fortyDays.get(600)).isEqualTo("2026-10-31T23:05:00Z");
      assertThat(fortyDays.get(408)).isEqualTo("2026-11-08T23:05:00Z");
    }

    @Test
    void keptOlderThanADay_areOnePerUtcDayAndTheLastOfIt() {
      Set<Integer> kept = kept(policy, fortyDays, NEWEST);
      List<Instant> olderThanADay = kept.stream().filter(i -> i >= 24).map(fortyDays::get).toList();
      assertThat(olderThanADay).allSatisfy(t -> assertThat(t.atOffset(ZoneOffset.UTC).getHour()).isEqualTo(23));
      assertThat(olderThanADay.stream().map(t -> t.truncatedTo(ChronoUnit.DAYS)).distinct())
          .hasSameSizeAs(olderThanADay);
    }

    @Test
    void eachTierAlone_keepsItsCountOfPeriods() {
      assertThat(kept(RetentionPolicy.parse("hourly=24"), fortyDays, NEWEST)).isEqualTo(range(0, 24));
      assertThat(kept(RetentionPolicy.parse("daily=7"), fortyDays, NEWEST))
          .containsExactly(0, 24, 48, 72, 96, 120, 144);
      assertThat(kept(RetentionPolicy.parse("weekly=4"), fortyDays, NEWEST)).containsExactly(0, 72, 240, 408);
      assertThat(kept(RetentionPolicy.parse("monthly=12"), fortyDays, NEWEST)).containsExactly(0, 600);
      assertThat(kept(RetentionPolicy.parse("weekly=99"), fortyDays, NEWEST))
          .as("the seven ISO weeks with snapshots, from the week of Oct 12 to the week of Nov 23")
          .containsExactly(0, 72, 240, 408, 576, 744, 912);
    }

    @Test
    void gapsInTheSeries_countOnlyPeriodsThatHaveSnapshots() {
      // One snapshot a day at noon, but days 3 to 9 missing: daily=5 reaches back past the gap.
      List<Instant> times = new ArrayList<>();
      for (int day = 0; day < 20; day++) {
        if (day < 3 || day > 9) {
          times.add(Instant.parse("2026-11-25T12:00:00Z").minus(day, ChronoUnit.DAYS));
        }
      }
      assertThat(kept(RetentionPolicy.parse("daily=5"), times, NEWEST)).containsExactly(0, 1, 2, 3, 4);
      assertThat(times.get(4)).isEqualTo("2026-11-14T12:00:00Z");
    }

    @Test
    void severalSnapshotsInAnHour_keepsTheNewestOfIt() {
      List<Instant> times = List.of(Instant.parse("2026-11-25T10:50:00Z"), Instant.parse("2026-11-25T10:20:00Z"),
          Instant.parse("2026-11-25T09:59:59Z"), Instant.parse("2026-11-25T09:00:00Z"));
      assertThat(RetentionPolicy.parse("hourly=2").expired(List.of("a", "b", "c", "d"), times, NEWEST))
          .containsExactly("b", "d");
    }

    @Test
    void isoWeeks_spanTheTurnOfTheYear() {
      // Thu 2026-12-31 and Fri 2027-01-01 are in ISO week 2026-W53; Mon 2027-01-04 starts 2027-W01.
      List<Instant> times = List.of(Instant.parse("2027-01-04T01:00:00Z"), Instant.parse("2027-01-01T01:00:00Z"),
          Instant.parse("2026-12-31T01:00:00Z"), Instant.parse("2026-12-27T01:00:00Z"));
      assertThat(LocalDate.of(2027, 1, 1).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)).isEqualTo(53);
      assertThat(RetentionPolicy.parse("weekly=3").expired(List.of("w1", "w53-fri", "w53-thu", "w52"), times,
          NEWEST)).containsExactly("w53-thu");
    }
  }

  @Test
  void expired_listsOfDifferentSizes_areRejected() {
    for (RetentionPolicy policy : List.of(RetentionPolicy.parse("3"), RetentionPolicy.parse("1h"),
        RetentionPolicy.parse("daily=3"))) {
      assertThatThrownBy(() -> policy.expired(List.of("a", "b"), hourly(3), NEWEST))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("one creation time per snapshot: 2 vs 3");
    }
  }

  /** Properties over random series and policies, seeded so that a failure reproduces. */
  @Nested
  class Properties {
    private final SplittableRandom random = new SplittableRandom(0x5EED);

    private List<Instant> randomSeries() {
      int size = random.nextInt(0, 400);
      List<Instant> times = new ArrayList<>(size);
      Instant t = Instant.parse("2026-11-25T12:00:00Z").minusSeconds(random.nextLong(0, 3600));
      for (int i = 0; i < size; i++) {
        times.add(t);
        // Mostly regular, sometimes bursts (same second) and long gaps.
        long step = switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> random.nextLong(1, 600);
          case 2 -> 3600;
          default -> random.nextLong(3600, 10 * 86_400);
        };
        t = t.minusSeconds(step);
      }
      return times;
    }

    private RetentionPolicy randomPolicy() {
      return switch (random.nextInt(3)) {
        case 0 -> new RetentionPolicy.Count(random.nextInt(1, 50));
        case 1 -> new RetentionPolicy.MaxAge(Duration.ofSeconds(random.nextLong(1, 90L * 86_400)));
        default -> {
          int[] tiers = {random.nextInt(0, 30), random.nextInt(0, 10), random.nextInt(0, 6), random.nextInt(0, 14)};
          if (IntStream.of(tiers).sum() == 0) {
            tiers[random.nextInt(4)] = 1;
          }
          yield new RetentionPolicy.Tiered(tiers[0], tiers[1], tiers[2], tiers[3]);
        }
      };
    }

    @Test
    void expired_neverTheNewest_andAnOrderedSubsetWithoutDuplicates() {
      for (int i = 0; i < 2_000; i++) {
        List<Instant> times = randomSeries();
        RetentionPolicy policy = randomPolicy();
        List<Integer> indices = IntStream.range(0, times.size()).boxed().toList();
        Instant now = times.isEmpty() ? NEWEST : times.get(0).plusSeconds(random.nextLong(0, 86_400));

        List<Integer> expired = policy.expired(indices, times, now);

        String context = policy + " over " + times.size();
        assertThat(expired).as(context).doesNotContain(0).isSorted().doesNotHaveDuplicates();
        assertThat(indices).as(context).containsAll(expired);
      }
    }

    @Test
    void count_keepsExactlyTheNewestMinOfNAndSize() {
      for (int i = 0; i < 1_000; i++) {
        List<Instant> times = randomSeries();
        int n = random.nextInt(1, 500);
        Set<Integer> kept = kept(new RetentionPolicy.Count(n), times, NEWEST);
        assertThat(kept).as("keep %d of %d", n, times.size()).isEqualTo(range(0, Math.min(n, times.size())));
      }
    }

    @Test
    void maxAge_keepsTheNewestAndEverythingWithinTheAge() {
      for (int i = 0; i < 1_000; i++) {
        List<Instant> times = randomSeries();
        Duration age = Duration.ofSeconds(random.nextLong(1, 30L * 86_400));
        Instant now = NEWEST.plusSeconds(random.nextLong(0, 10L * 86_400));
        Set<Integer> expected = IntStream.range(0, times.size())
            .filter(j -> j == 0 || !times.get(j).isBefore(now.minus(age)))
            .boxed().collect(Collectors.toCollection(TreeSet::new));
        assertThat(kept(new RetentionPolicy.MaxAge(age), times, now)).as("within %s", age).isEqualTo(expected);
      }
    }

    @Test
    void tiered_keepsAtMostOnePerPeriodPerTier_andIsStableWhenAppliedAgain() {
      for (int i = 0; i < 1_000; i++) {
        List<Instant> times = randomSeries();
        RetentionPolicy.Tiered policy = (RetentionPolicy.Tiered) RetentionPolicy.parse(String.format(Locale.ROOT,
            "hourly=%d,daily=%d,weekly=%d,monthly=%d", random.nextInt(0, 30), random.nextInt(0, 10),
            random.nextInt(0, 6), 1 + random.nextInt(0, 14)));
        Set<Integer> kept = kept(policy, times, NEWEST);
        String context = policy + " over " + times.size();
        if (!times.isEmpty()) {
          assertThat(kept).as(context).contains(0)
              .hasSizeLessThanOrEqualTo(1 + policy.hourly() + policy.daily() + policy.weekly() + policy.monthly());
        }
        // Every period of the series' last `monthly` months keeps its newest snapshot.
        Set<Instant> newestPerMonth = new HashSet<>();
        Set<String> months = new HashSet<>();
        for (Instant t : times) {
          String month = t.atOffset(ZoneOffset.UTC).getYear() + "-" + t.atOffset(ZoneOffset.UTC).getMonthValue();
          if (months.size() < policy.monthly() && months.add(month)) {
            newestPerMonth.add(t);
          }
        }
        assertThat(kept.stream().map(times::get).collect(Collectors.toSet())).as(context)
            .containsAll(newestPerMonth);
        // Pruning again what survived prunes nothing more.
        List<Instant> survivors = kept.stream().map(times::get).toList();
        assertThat(policy.expired(survivors, survivors, NEWEST)).as(context).isEmpty();
      }
    }
  }

  private static Set<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
  }
}
