package io.lifeboat.server.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed five-field cron expression, matched against local (wall-clock) date-times; time zones
 * are {@link Schedule.Cron}'s business. Each field is a bit set, so finding the next match jumps by
 * month, day, hour and minute instead of testing minute after minute.
 */
final class CronExpression {
  /**
   * The Gregorian calendar, weekdays included, repeats exactly every 400 years (146,097 days, a
   * whole number of weeks), so an expression that matches nothing in 400 years matches nothing ever.
   * A shorter window is wrong: <code>0 0 *&#47;31 2 MON</code> (1 February when it is a Monday) is 10
   * years away from 2000-01-01.
   */
  static final long CYCLE_YEARS = 400;

  private static final LocalDateTime CYCLE_START = LocalDateTime.of(2000, 1, 1, 0, 0);

  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");

  private static final String[] MONTH_NAMES =
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  /** Bits 0 (Sunday) to 6 (Saturday); a 7 in the expression sets bit 0. */
  private final long daysOfWeek;
  /** Vixie's rule: when both day fields are restricted, a day matching either one matches. */
  private final boolean eitherDay;

  private CronExpression(long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
      boolean eitherDay) {
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
    this.eitherDay = eitherDay;
  }

  /**
   * Parses five fields or a macro.
   *
   * @throws IllegalArgumentException whose message says what is wrong, without repeating the
   *     expression (the caller names it)
   */
  static CronExpression parse(String expression) {
    String text = expression.strip();
    if (text.startsWith("@")) {
      String fields = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (fields == null) {
        throw new IllegalArgumentException("unknown macro " + text
            + " (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)");
      }
      text = fields;
    }
    String[] f = text.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "expected 5 fields (minute hour day-of-month month day-of-week), got %d%s", f.length,
          f.length == 6 ? " (a seconds field is not supported)" : ""));
    }
    long dow = field(f[4], "day-of-week", 0, 7, 6, DAY_NAMES, 0);
    if ((dow & (1L << 7)) != 0) {
      dow = (dow & ~(1L << 7)) | 1L;
    }
    CronExpression cron = new CronExpression(
        field(f[0], "minute", 0, 59, 59, null, 0),
        field(f[1], "hour", 0, 23, 23, null, 0),
        field(f[2], "day-of-month", 1, 31, 31, null, 0),
        field(f[3], "month", 1, 12, 12, MONTH_NAMES, 1),
        dow,
        !isStar(f[2]) && !isStar(f[4]));
    if (cron.nextMatch(CYCLE_START).isEmpty()) {
      throw new IllegalArgumentException("never fires: no date matches its day-of-month, month and day-of-week fields");
    }
    return cron;
  }

  /** <code>*</code>, <code>*&#47;2</code>, <code>?</code>: the field counts as unrestricted for Vixie's rule. */
  private static boolean isStar(String field) {
    return field.startsWith("*") || field.startsWith("?");
  }

  /**
   * @param max the largest value the field accepts
   * @param openMax where {@code *} and {@code a/n} end (6 for day-of-week, where 7 is only an alias
   *     for Sunday, as in robfig/cron which Kubernetes uses)
   * @param names the names of the values from {@code nameBase} on, or null
   */
  private static long field(String text, String name, int min, int max, int openMax, String[] names,
      int nameBase) {
    long bits = 0;
    for (String part : text.split(",", -1)) {
      bits |= part(part, text, name, min, max, openMax, names, nameBase);
    }
    return bits;
  }

  private static long part(String part, String field, String name, int min, int max, int openMax,
      String[] names, int nameBase) {
    if (part.isEmpty()) {
      throw fieldError(name, field, "an empty list element");
    }
    String range = part;
    int step = 1;
    boolean stepped = false;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      range = part.substring(0, slash);
      String s = part.substring(slash + 1);
      if (!s.matches("\\d{1,4}")) {
        throw fieldError(name, field, "step '" + s + "' is not a number");
      }
      step = Integer.parseInt(s);
      if (step == 0) {
        throw fieldError(name, field, "a step of 0");
      }
      stepped = true;
    }
    int low;
    int high;
    if (range.equals("*") || range.equals("?")) {
      if (range.equals("?") && !(name.equals("day-of-month") || name.equals("day-of-week"))) {
        throw fieldError(name, field, "'?', which only the day fields accept");
      }
      low = min;
      high = openMax;
    } else {
      int dash = range.indexOf('-');
      if (dash >= 0) {
        low = value(range.substring(0, dash), field, name, min, max, names, nameBase);
        high = value(range.substring(dash + 1), field, name, min, max, names, nameBase);
        if (low > high) {
          throw fieldError(name, field, String.format(Locale.ROOT, "the reversed range %s", range));
        }
      } else {
        low = value(range, field, name, min, max, names, nameBase);
        // "a/n" means from a to the end, stepping n (as robfig/cron and cronie read it).
        high = stepped ? Math.max(low, openMax) : low;
      }
    }
    long bits = 0;
    for (int v = low; v <= high; v += step) {
      bits |= 1L << v;
    }
    return bits;
  }

  private static int value(String text, String field, String name, int min, int max, String[] names,
      int nameBase) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return i + nameBase;
        }
      }
    }
    if (!text.matches("\\d{1,9}")) {
      throw fieldError(name, field, "'" + text + "', which is not a number"
          + (names == null ? "" : " or a name such as " + names[0]));
    }
    int v = Integer.parseInt(text);
    if (v < min || v > max) {
      throw fieldError(name, field, String.format(Locale.ROOT, "%d, outside %d-%d", v, min, max));
    }
    return v;
  }

  private static IllegalArgumentException fieldError(String name, String field, String what) {
    return new IllegalArgumentException(String.format(Locale.ROOT, "%s field '%s' has %s", name, field, what));
  }

  boolean matches(LocalDateTime t) {
    return has(minutes, t.getMinute()) && has(hours, t.getHour()) && has(months, t.getMonthValue())
        && dayMatches(t.toLocalDate());
  }

  private boolean dayMatches(LocalDate d) {
    boolean dom = has(daysOfMonth, d.getDayOfMonth());
    boolean dow = has(daysOfWeek, d.getDayOfWeek().getValue() % 7);
    return eitherDay ? dom || dow : dom && dow;
  }

  /**
   * The first matching minute at or after {@code from} (truncated to the minute), within one
   * calendar cycle; empty only for an expression that never matches.
   */
  Optional<LocalDateTime> nextMatch(LocalDateTime from) {
    LocalDateTime start = from.truncatedTo(ChronoUnit.MINUTES);
    LocalDate date = start.toLocalDate();
    LocalDate end = date.plusYears(CYCLE_YEARS).plusDays(1);
    int hour = start.getHour();
    int minute = start.getMinute();
    while (date.isBefore(end)) {
      int month = next(months, date.getMonthValue());
      if (month < 0) {
        date = LocalDate.of(date.getYear() + 1, 1, 1);
        hour = 0;
        minute = 0;
        continue;
      }
      if (month != date.getMonthValue()) {
        date = LocalDate.of(date.getYear(), month, 1);
        hour = 0;
        minute = 0;
      }
      if (!dayMatches(date)) {
        date = date.plusDays(1);
        hour = 0;
        minute = 0;
        continue;
      }
      int h = next(hours, hour);
      if (h < 0) {
        date = date.plusDays(1);
        hour = 0;
        minute = 0;
        continue;
      }
      if (h != hour) {
        minute = 0;
      }
      int m = next(minutes, minute);
      if (m < 0) {
        hour = h + 1;
        minute = 0;
        if (hour > 23) {
          date = date.plusDays(1);
          hour = 0;
        }
        continue;
      }
      return Optional.of(date.atTime(h, m));
    }
    return Optional.empty();
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  /** The smallest set bit at or above {@code from}, or -1. */
  private static int next(long bits, int from) {
    if (from > 63) {
      return -1;
    }
    long rest = bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }
}
