package io.lifeboat.server.schedule;

import io.lifeboat.repository.retention.GoDuration;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When to take snapshots: a fixed interval ({@code 6h}, as RKE's {@code interval_hours} and etcd
 * backup operators give it) or a cron expression read as Kubernetes CronJobs read them.
 */
public sealed interface Schedule permits Schedule.Interval, Schedule.Cron {
  /** The first slot strictly after {@code after}. */
  Instant next(Instant after);

  /** For logs: <code>every 6h0m0s</code> / <code>cron 0 *&#47;6 * * * (UTC)</code>. */
  String describe();

  /**
   * Parses a Go duration ({@code 15m}, {@code 5m0s}, {@code 12h}) or {@code @every 5m} into an
   * {@link Interval}; five cron fields or {@code @hourly}, {@code @daily}, {@code @midnight},
   * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually} into a {@link Cron}. A
   * leading {@code CRON_TZ=<zone> } or {@code TZ=<zone> } overrides {@code zone}.
   *
   * @throws IllegalArgumentException with a one-line message naming the text and what is wrong
   */
  static Schedule parse(String text, ZoneId zone) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(zone, "zone");
    String rest = text.strip();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(
          "empty schedule (give a duration such as 6h or a cron expression such as '0 */6 * * *')");
    }
    if (rest.startsWith("CRON_TZ=") || rest.startsWith("TZ=")) {
      String[] prefixAndRest = rest.split("\\s+", 2);
      String zoneName = prefixAndRest[0].substring(prefixAndRest[0].indexOf('=') + 1);
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "schedule '%s' names the unknown time zone '%s' (use an IANA name such as Europe/Berlin or UTC)",
            quote(text), quote(zoneName)), e);
      }
      if (prefixAndRest.length < 2) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "schedule '%s' has a time zone but no cron expression after it", quote(text)));
      }
      rest = prefixAndRest[1].strip();
    }
    if (rest.startsWith("@every")) {
      String period = rest.substring("@every".length()).strip();
      try {
        return new Interval(GoDuration.parse(period));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "schedule '%s': %s", quote(text), e.getMessage()), e);
      }
    }
    if (rest.startsWith("@") || rest.matches(".*\\s.*")) {
      try {
        CronExpression.parse(rest);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "schedule '%s': %s", quote(text), e.getMessage()), e);
      }
      return new Cron(rest, zone);
    }
    Duration period;
    try {
      period = GoDuration.parse(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "schedule '%s' is neither a Go duration (15m, 6h, 1h30m) nor a cron expression (0 */6 * * *, @daily)",
          quote(text)), e);
    }
    try {
      return new Interval(period);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "schedule '%s': %s", quote(text), e.getMessage()), e);
    }
  }

  /** User text for an error message, cut at 80 characters so that one bad line cannot flood a log. */
  private static String quote(String userText) {
    return userText.length() <= 80 ? userText : userText.substring(0, 80) + "...";
  }

  /** Every {@code period}, counted from the previous slot (or from start-up for the first). */
  record Interval(Duration period) implements Schedule {
    public Interval {
      Objects.requireNonNull(period, "period");
      // Snapshots take seconds at least; a sub-second interval is a typo (5 instead of 5m).
      if (period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "interval %s is shorter than 1s", GoDuration.format(period)));
      }
    }

    @Override
    public Instant next(Instant after) {
      Objects.requireNonNull(after, "after");
      return after.plus(period);
    }

    @Override
    public String describe() {
      return "every " + GoDuration.format(period);
    }
  }

  /**
   * A five-field cron expression (or a macro such as {@code @daily}) evaluated in {@code zone}, as
   * Vixie cron and Kubernetes CronJobs read it: minute, hour, day of month, month ({@code 1-12} or
   * {@code JAN-DEC}), day of week ({@code 0-7} or {@code SUN-SAT}, 0 and 7 both Sunday); lists,
   * ranges and steps; names in any case. When both day fields are restricted (neither starts with
   * {@code *} or {@code ?}) a day matching either one matches.
   *
   * <p>Daylight saving time: a local time that does not exist (the spring gap) is skipped, so
   * {@code 30 2 * * *} in Europe/Berlin does not fire on the day clocks jump from 02:00 to 03:00.
   * A local time that occurs twice (the autumn overlap) fires once, at its first occurrence; so
   * while the clock repeats an hour nothing fires, even for {@code *&#47;15 * * * *}. Give the
   * zone as UTC (the default) for slots that are evenly spaced all year.
   *
   * @param expression trimmed, without a {@code CRON_TZ=} prefix; macros as given
   */
  record Cron(String expression, ZoneId zone) implements Schedule {
    public Cron {
      Objects.requireNonNull(expression, "expression");
      Objects.requireNonNull(zone, "zone");
      expression = expression.strip();
      if (expression.isEmpty()) {
        throw new IllegalArgumentException("empty cron expression");
      }
      if (expression.startsWith("CRON_TZ=") || expression.startsWith("TZ=")) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "cron expression '%s' has a time zone prefix; give the zone separately or use Schedule.parse",
            quote(expression)));
      }
      if (expression.startsWith("@every")) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "cron expression '%s' is an interval; use Schedule.parse or Schedule.Interval", quote(expression)));
      }
      try {
        CronExpression.parse(expression);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "cron expression '%s': %s", quote(expression), e.getMessage()), e);
      }
    }

    @Override
    public Instant next(Instant after) {
      Objects.requireNonNull(after, "after");
      // Parsed again on each call so that the record stays a plain value with value equality;
      // parsing five short fields costs microseconds, and slots are at least a minute apart.
      CronExpression cron = CronExpression.parse(expression);
      ZoneRules rules = zone.getRules();
      LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      while (true) {
        LocalDateTime local = cron.nextMatch(from).orElseThrow(() -> new IllegalStateException(
            "cron expression '" + expression + "' matched nothing in a full calendar cycle"));
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
          // In the spring gap: this local time does not exist today; nothing in the gap does.
          from = rules.getTransition(local).getDateTimeAfter();
          continue;
        }
        // Two offsets in the autumn overlap: the first listed is the one before the change, the
        // earlier instant; the second occurrence never fires.
        Instant slot = local.toInstant(offsets.get(0));
        if (slot.isAfter(after)) {
          return slot;
        }
        // Only when `after` lies in the second pass through a repeated hour: the first occurrences
        // of the rest of that hour are already past, so continue from the end of the overlap.
        ZoneOffsetTransition overlap = rules.getTransition(local);
        from = overlap != null ? overlap.getDateTimeBefore() : local.plusMinutes(1);
      }
    }

    @Override
    public String describe() {
      return "cron " + expression + " (" + (zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId()) + ")";
    }
  }
}
