package io.lifeboat.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random cron expressions against a reference that knows, for each generated field, the set of
 * values it stands for, and checks {@link Schedule.Cron#next} by brute force. Seeded, so a failure
 * names its case and reproduces.
 */
class CronPropertiesTest {
  private static final long SEED = 0x11FEB0A7L;
  private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"),
      ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("America/Sao_Paulo"),
      ZoneId.of("Pacific/Chatham"), ZoneId.of("Asia/Kolkata"));
  private static final String[] MONTHS =
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** A generated field: its text and the values it means (day of week 7 already folded to 0). */
  private record Field(String text, Set<Integer> values) {
    boolean unrestricted() {
      return text.startsWith("*") || text.startsWith("?");
    }
  }

  /** The generated expression and an independent matcher for it. */
  private record Reference(Field minute, Field hour, Field dom, Field month, Field dow) {
    String expression() {
      return String.join(" ", minute.text, hour.text, dom.text, month.text, dow.text);
    }

    boolean dayMatches(LocalDate d) {
      boolean byDom = dom.values.contains(d.getDayOfMonth());
      boolean byDow = dow.values.contains(d.getDayOfWeek().getValue() % 7);
      boolean day = dom.unrestricted() || dow.unrestricted() ? byDom && byDow : byDom || byDow;
      return day && month.values.contains(d.getMonthValue());
    }

    boolean matches(LocalDateTime t) {
      return minute.values.contains(t.getMinute()) && hour.values.contains(t.getHour()) && dayMatches(t.toLocalDate());
    }
  }

  /** Whether {@code instant} is a slot: its local time matches and this is that time's first occurrence. */
  private static boolean fires(Reference ref, Instant instant, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
    return local.getSecond() == 0 && local.getNano() == 0 && ref.matches(local)
        && ZonedDateTime.ofLocal(local, zone, null).toInstant().equals(instant);
  }

  @Test
  void next_denseExpressionsInDstZones_isTheFirstSlotStrictlyAfter() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 1_500; i++) {
      // Day fields unrestricted, so a slot comes at least daily and every minute between can be checked.
      Reference ref = new Reference(field(random, 0, 59, 59, null, 0), field(random, 0, 23, 23, null, 0),
          random.nextBoolean() ? star(1, 31) : new Field("?", range(1, 31)), star(1, 12), random.nextBoolean()
              ? star(0, 6) : new Field("?", range(0, 6)));
      ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
      Instant after = randomInstant(random, zone);
      String context = ref.expression() + " in " + zone + " after " + after;

      Instant next = new Schedule.Cron(ref.expression(), zone).next(after);

      assertThat(next).as(context).isAfter(after);
      assertThat(fires(ref, next, zone)).as(context + ": " + next + " is a slot").isTrue();
      assertThat(Duration.between(after, next)).as(context).isLessThanOrEqualTo(Duration.ofHours(26));
      for (Instant t = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES); t.isBefore(next);
          t = t.plus(1, ChronoUnit.MINUTES)) {
        if (fires(ref, t, zone)) {
          fail("%s: returned %s but %s is an earlier slot", context, next, t);
        }
      }
    }
  }

  @Test
  void next_anyExpressionInUtc_isTheFirstSlotStrictlyAfter() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    int valid = 0;
    for (int i = 0; i < 1_500; i++) {
      Reference ref = new Reference(field(random, 0, 59, 59, null, 0), field(random, 0, 23, 23, null, 0),
          field(random, 1, 31, 31, null, 0), field(random, 1, 12, 12, MONTHS, 1), field(random, 0, 7, 6, DAYS, 0));
      Instant after = randomInstant(random, ZoneOffset.UTC);
      String context = ref.expression() + " after " + after;
      Schedule.Cron cron;
      try {
        cron = new Schedule.Cron(ref.expression(), ZoneOffset.UTC);
      } catch (IllegalArgumentException e) {
        // Only an expression that matches no date in a whole 400-year calendar cycle may be refused.
        assertThat(e).as(context).hasMessageContaining("never fires");
        for (LocalDate d = LocalDate.of(2000, 1, 1); d.getYear() < 2400; d = d.plusDays(1)) {
          if (ref.dayMatches(d)) {
            fail("%s: refused as never firing, but %s matches", context, d);
          }
        }
        continue;
      }
      valid++;
      Instant next = cron.next(after);
      assertThat(next).as(context).isAfter(after);
      LocalDateTime local = LocalDateTime.ofInstant(next, ZoneOffset.UTC);
      assertThat(ref.matches(local)).as(context + ": " + next + " matches").isTrue();
      // No matching date strictly between the two days, and no earlier matching minute on either day.
      LocalDate first = LocalDateTime.ofInstant(after, ZoneOffset.UTC).toLocalDate();
      for (LocalDate d = first.plusDays(1); d.isBefore(local.toLocalDate()); d = d.plusDays(1)) {
        if (ref.dayMatches(d)) {
          fail("%s: returned %s but %s matches", context, next, d);
        }
      }
      Instant dayStart = first.atStartOfDay().toInstant(ZoneOffset.UTC);
      for (Instant t = dayStart; t.isBefore(next) && t.isBefore(dayStart.plus(1, ChronoUnit.DAYS));
          t = t.plus(1, ChronoUnit.MINUTES)) {
        if (t.isAfter(after) && fires(ref, t, ZoneOffset.UTC)) {
          fail("%s: returned %s but %s is an earlier slot", context, next, t);
        }
      }
      Instant lastDay = local.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
      for (Instant t = lastDay.isAfter(after) ? lastDay : next; t.isBefore(next); t = t.plus(1, ChronoUnit.MINUTES)) {
        if (fires(ref, t, ZoneOffset.UTC)) {
          fail("%s: returned %s but %s is an earlier slot", context, next, t);
        }
      }
    }
    assertThat(valid).as("most generated expressions fire").isGreaterThan(1_000);
  }

  @Test
  void next_repeatedly_givesIncreasingSlotsThatAllMatch() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int i = 0; i < 300; i++) {
      Reference ref = new Reference(field(random, 0, 59, 59, null, 0), field(random, 0, 23, 23, null, 0),
          field(random, 1, 31, 31, null, 0), star(1, 12), field(random, 0, 7, 6, DAYS, 0));
      ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
      Schedule schedule = new Schedule.Cron(ref.expression(), zone);
      Instant t = randomInstant(random, zone);
      for (int k = 0; k < 50; k++) {
        Instant next = schedule.next(t);
        assertThat(next).as(ref.expression() + " in " + zone + " after " + t).isAfter(t);
        assertThat(fires(ref, next, zone)).as(ref.expression() + " in " + zone + ": " + next).isTrue();
        t = next;
      }
    }
  }

  private static Field star(int min, int max) {
    return new Field("*", range(min, max));
  }

  /**
   * One to three comma-separated parts, each a star, value, range or step.
   *
   * @param openMax where {@code *} and {@code a/n} end (6 for day of week, whose 7 is Sunday again)
   */
  private static Field field(SplittableRandom random, int min, int max, int openMax, String[] names, int nameBase) {
    int parts = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(2);
    List<String> texts = new ArrayList<>();
    Set<Integer> values = new TreeSet<>();
    for (int p = 0; p < parts; p++) {
      int kind = random.nextInt(p == 0 ? 6 : 5) + (p == 0 ? 0 : 1);
      int a = min + random.nextInt(max - min + 1);
      int b = a + random.nextInt(max - a + 1);
      int step = 1 + random.nextInt(random.nextBoolean() ? 3 : max);
      switch (kind) {
        case 0 -> {
          texts.add("*");
          values.addAll(range(min, openMax));
        }
        case 1 -> {
          texts.add(name(random, a, names, nameBase));
          values.add(a);
        }
        case 2 -> {
          texts.add(name(random, a, names, nameBase) + "-" + name(random, b, names, nameBase));
          values.addAll(range(a, b));
        }
        case 3 -> {
          texts.add(name(random, a, names, nameBase) + "-" + name(random, b, names, nameBase) + "/" + step);
          for (int v = a; v <= b; v += step) {
            values.add(v);
          }
        }
        case 4 -> {
          texts.add(a + "/" + step);
          for (int v = a; v <= Math.max(a, openMax); v += step) {
            values.add(v);
          }
        }
        default -> {
          texts.add("*/" + step);
          for (int v = min; v <= openMax; v += step) {
            values.add(v);
          }
        }
      }
    }
    if (max == 7 && values.remove(7)) {
      values.add(0);
    }
    String text = String.join(",", texts);
    return new Field(text, Set.copyOf(values));
  }

  private static String name(SplittableRandom random, int value, String[] names, int nameBase) {
    int index = value - nameBase;
    if (names == null || index >= names.length || random.nextInt(3) != 0) {
      return Integer.toString(value);
    }
    String name = names[index];
    return random.nextBoolean() ? name : name.toLowerCase(Locale.ROOT);
  }

  private static Set<Integer> range(int from, int to) {
    Set<Integer> values = new TreeSet<>();
    for (int v = from; v <= to; v++) {
      values.add(v);
    }
    return values;
  }

  /** Uniform over 1990-2040 half the time; otherwise within three hours of a DST change in {@code zone}. */
  private static Instant randomInstant(SplittableRandom random, ZoneId zone) {
    Instant uniform = Instant.ofEpochSecond(random.nextLong(631_152_000L, 2_208_988_800L), random.nextInt(3) == 0
        ? random.nextInt(1_000_000_000) : 0);
    if (random.nextBoolean()) {
      return uniform;
    }
    ZoneOffsetTransition transition = zone.getRules().nextTransition(uniform);
    if (transition == null) {
      return uniform;
    }
    return transition.getInstant().plusSeconds(random.nextLong(-3 * 3600, 3 * 3600)).truncatedTo(
        random.nextBoolean() ? ChronoUnit.MINUTES : ChronoUnit.SECONDS);
  }
}
