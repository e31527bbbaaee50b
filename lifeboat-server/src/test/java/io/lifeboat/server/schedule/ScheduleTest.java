package io.lifeboat.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** The next {@code count} slots after {@code start} (UTC ISO text). */
  private static List<Instant> slots(String text, ZoneId zone, String start, int count) {
    Schedule schedule = Schedule.parse(text, zone);
    List<Instant> result = new ArrayList<>();
    Instant t = Instant.parse(start);
    for (int i = 0; i < count; i++) {
      t = schedule.next(t);
      result.add(t);
    }
    return result;
  }

  private static List<Instant> instants(String... texts) {
    return List.of(texts).stream().map(Instant::parse).toList();
  }

  private static Instant next(String text, ZoneId zone, String after) {
    return Schedule.parse(text, zone).next(Instant.parse(after));
  }

  @Nested
  class Intervals {
    @ParameterizedTest
    @CsvSource({"15m, PT15M", "5m0s, PT5M", "12h, PT12H", "1h30m, PT1H30M", "@every 5m, PT5M", "@every 1h, PT1H",
        "'  6h  ', PT6H", "1s, PT1S", "1.5s, PT1.5S"})
    void parse_goDurationOrEvery_isInterval(String text, Duration expected) {
      assertThat(Schedule.parse(text, UTC)).isEqualTo(new Schedule.Interval(expected));
    }

    @Test
    void next_addsThePeriodToAfter() {
      Schedule schedule = Schedule.parse("6h", UTC);
      assertThat(schedule.next(Instant.parse("2026-01-01T10:17:42.5Z"))).isEqualTo("2026-01-01T16:17:42.5Z");
    }

    @Test
    void describe_usesGoDurationSyntax() {
      assertThat(Schedule.parse("6h", UTC).describe()).isEqualTo("every 6h0m0s");
      assertThat(Schedule.parse("@every 90s", UTC).describe()).isEqualTo("every 1m30s");
    }

    @Test
    void parse_cronTzPrefixBeforeEvery_isStillAnInterval() {
      assertThat(Schedule.parse("CRON_TZ=Europe/Berlin @every 10m", UTC))
          .isEqualTo(new Schedule.Interval(Duration.ofMinutes(10)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "500ms | shorter than 1s",
        "0 | shorter than 1s",
        "@every 0s | shorter than 1s",
        "@every soon | invalid duration 'soon'",
        "@every | empty duration"})
    void parse_tooShortOrMalformedInterval_isRejected(String text, String problem) {
      assertThatThrownBy(() -> Schedule.parse(text, UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + text + "'")
          .hasMessageContaining(problem);
    }

    @Test
    void constructor_subSecondPeriod_isRejected() {
      assertThatThrownBy(() -> new Schedule.Interval(Duration.ofMillis(999)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("interval 999ms is shorter than 1s");
    }
  }

  @Nested
  class Examples {
    @Test
    void everyFifteenMinutes_firesOnQuarterHours() {
      assertThat(slots("*/15 * * * *", UTC, "2026-01-01T10:07:30Z", 4)).isEqualTo(instants(
          "2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z", "2026-01-01T11:00:00Z"));
    }

    @Test
    void next_afterExactlyASlot_isTheFollowingSlot() {
      assertThat(next("*/15 * * * *", UTC, "2026-01-01T10:15:00Z")).isEqualTo("2026-01-01T10:30:00Z");
      assertThat(next("*/15 * * * *", UTC, "2026-01-01T10:14:59.999999999Z")).isEqualTo("2026-01-01T10:15:00Z");
    }

    @Test
    void everySixHours_wrapsToTheNextDay() {
      assertThat(slots("0 */6 * * *", UTC, "2026-12-31T05:59:00Z", 5)).isEqualTo(instants(
          "2026-12-31T06:00:00Z", "2026-12-31T12:00:00Z", "2026-12-31T18:00:00Z", "2027-01-01T00:00:00Z",
          "2027-01-01T06:00:00Z"));
    }

    @Test
    void weekdayOfficeHours_skipFromFridayEveningToMonday() {
      // 2026-11-27 is a Friday.
      assertThat(slots("0 9-17 * * 1-5", UTC, "2026-11-27T16:30:00Z", 3)).isEqualTo(instants(
          "2026-11-27T17:00:00Z", "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z"));
    }

    @Test
    void firstOfTheMonth_atMidnight() {
      assertThat(slots("0 0 1 * *", UTC, "2026-01-31T12:00:00Z", 3)).isEqualTo(instants(
          "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "@hourly, 2026-11-25T10:20:00Z, 2026-11-25T11:00:00Z",
        "@daily, 2026-11-25T10:20:00Z, 2026-11-26T00:00:00Z",
        "@midnight, 2026-11-25T10:20:00Z, 2026-11-26T00:00:00Z",
        "@weekly, 2026-11-25T10:20:00Z, 2026-11-29T00:00:00Z",
        "@monthly, 2026-11-25T10:20:00Z, 2026-12-01T00:00:00Z",
        "@yearly, 2026-11-25T10:20:00Z, 2027-01-01T00:00:00Z",
        "@annually, 2026-11-25T10:20:00Z, 2027-01-01T00:00:00Z",
        "@DAILY, 2026-11-25T10:20:00Z, 2026-11-26T00:00:00Z"})
    void macros_meanTheirFiveFieldForms(String macro, Instant after, Instant expected) {
      assertThat(Schedule.parse(macro, UTC).next(after)).isEqualTo(expected);
    }

    @Test
    void bothDayFieldsRestricted_aDayMatchingEitherFires() {
      // The 13th or any Friday (Vixie cron); 2026-12-13 is a Sunday.
      assertThat(slots("0 0 13 * 5", UTC, "2026-11-25T00:00:00Z", 5)).isEqualTo(instants(
          "2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z",
          "2026-12-18T00:00:00Z"));
    }

    @Test
    void dayOfMonthStartingWithStar_bothDayFieldsMustMatch() {
      // Odd days that are Fridays: */2 counts as unrestricted for the either-day rule, as in Vixie cron.
      assertThat(slots("0 0 */2 * 5", UTC, "2026-11-25T00:00:00Z", 3)).isEqualTo(instants(
          "2026-11-27T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-25T00:00:00Z"));
    }

    @Test
    void questionMark_isAStarInTheDayFields() {
      assertThat(slots("0 0 ? * FRI", UTC, "2026-11-25T00:00:00Z", 2)).isEqualTo(instants(
          "2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z"));
      assertThat(next("0 0 1 * ?", UTC, "2026-11-25T00:00:00Z")).isEqualTo("2026-12-01T00:00:00Z");
    }

    @Test
    void namesOfMonthsAndDays_inAnyCase() {
      assertThat(Schedule.parse("0 12 * jan,JUL Mon-fri", UTC).next(Instant.parse("2026-02-01T00:00:00Z")))
          .isEqualTo("2026-07-01T12:00:00Z");
      assertThat(next("0 0 * * sat", UTC, "2026-11-25T00:00:00Z")).isEqualTo("2026-11-28T00:00:00Z");
    }

    @Test
    void sevenAndZero_bothMeanSunday() {
      Instant sunday = Instant.parse("2026-11-29T00:00:00Z");
      assertThat(next("0 0 * * 7", UTC, "2026-11-25T00:00:00Z")).isEqualTo(sunday);
      assertThat(next("0 0 * * 0", UTC, "2026-11-25T00:00:00Z")).isEqualTo(sunday);
      assertThat(next("0 0 * * SUN", UTC, "2026-11-25T00:00:00Z")).isEqualTo(sunday);
      assertThat(slots("0 0 * * 5-7", UTC, "2026-11-25T00:00:00Z", 4)).isEqualTo(instants(
          "2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z", "2026-12-04T00:00:00Z"));
    }

    @Test
    void stepsOverRangesAndFromAStart() {
      assertThat(slots("10-30/10 * * * *", UTC, "2026-01-01T00:00:00Z", 4)).isEqualTo(instants(
          "2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z", "2026-01-01T01:10:00Z"));
      assertThat(slots("5/20 * * * *", UTC, "2026-01-01T00:00:00Z", 4)).isEqualTo(instants(
          "2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"));
      assertThat(slots("0 0 * * 1/2", UTC, "2026-11-29T00:00:00Z", 4)).isEqualTo(instants(
          "2026-11-30T00:00:00Z", "2026-12-02T00:00:00Z", "2026-12-04T00:00:00Z", "2026-12-07T00:00:00Z"));
    }

    @Test
    void listsMixingValuesRangesAndSteps() {
      assertThat(slots("0,7-8,50/5 3 * * *", UTC, "2026-01-01T00:00:00Z", 6)).isEqualTo(instants(
          "2026-01-01T03:00:00Z", "2026-01-01T03:07:00Z", "2026-01-01T03:08:00Z", "2026-01-01T03:50:00Z",
          "2026-01-01T03:55:00Z", "2026-01-02T03:00:00Z"));
    }

    @Test
    void leapDay_nextFebruary29() {
      assertThat(slots("0 0 29 2 *", UTC, "2026-03-01T00:00:00Z", 3)).isEqualTo(instants(
          "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"));
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void rareSlot_isFoundYearsAheadQuickly() {
      // 1 February when it is a Monday (both day fields must match because */31 starts with a star).
      assertThat(next("0 0 */31 2 1", UTC, "2000-01-01T00:00:00Z")).isEqualTo("2010-02-01T00:00:00Z");
      // Not a leap year in 2100: Feb 29 on a Sunday after 2096 is in 2128.
      assertThat(next("0 0 29 2 */7", UTC, "2096-03-01T00:00:00Z")).isEqualTo("2128-02-29T00:00:00Z");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.SECONDS)
    void next_manyCalls_returnWithinMilliseconds() {
      Schedule schedule = Schedule.parse("0 0 29 2 */7", BERLIN);
      Instant t = Instant.parse("1990-01-01T00:00:00Z");
      for (int i = 0; i < 200; i++) {
        t = schedule.next(t);
      }
      assertThat(t).isAfter(Instant.parse("5000-01-01T00:00:00Z"));
    }
  }

  @Nested
  class Zones {
    @Test
    void berlinSpringGap_timeInTheGapIsSkippedThatDay() {
      // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist.
      assertThat(slots("30 2 * * *", BERLIN, "2026-03-27T12:00:00Z", 3)).isEqualTo(instants(
          "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"));
    }

    @Test
    void berlinSpringGap_everyHalfHourContinuesAfterTheJump() {
      assertThat(slots("*/30 * * * *", BERLIN, "2026-03-29T00:15:00Z", 3)).isEqualTo(instants(
          "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"));
      assertThat(ZonedDateTime.ofInstant(Instant.parse("2026-03-29T01:00:00Z"), BERLIN).toLocalTime())
          .hasToString("03:00");
    }

    @Test
    void berlinAutumnOverlap_repeatedTimeFiresOnce() {
      // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 02:30 happens twice.
      assertThat(slots("30 2 * * *", BERLIN, "2026-10-24T12:00:00Z", 2)).isEqualTo(instants(
          "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"));
    }

    @Test
    void berlinAutumnOverlap_hourlySkipsTheRepeatedHour() {
      assertThat(slots("0 * * * *", BERLIN, "2026-10-24T23:30:00Z", 3)).isEqualTo(instants(
          "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"));
    }

    @Test
    void berlinAutumnOverlap_afterInTheSecondPass_waitsForTheEndOfTheOverlap() {
      // 01:10Z is 02:10 CET, the second 02:10 of the night; 02:15 CET was already fired as 02:15 CEST.
      assertThat(next("*/15 * * * *", BERLIN, "2026-10-25T01:10:00Z")).isEqualTo("2026-10-25T02:00:00Z");
    }

    @Test
    void newYorkSpringGap_andAutumnOverlap() {
      // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
      assertThat(slots("30 2 * * *", NEW_YORK, "2026-03-07T12:00:00Z", 2)).isEqualTo(instants(
          "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"));
      assertThat(slots("30 1 * * *", NEW_YORK, "2026-10-31T12:00:00Z", 2)).isEqualTo(instants(
          "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"));
    }

    @Test
    void newYorkDailyMidnight_followsTheLocalClockAcrossDst() {
      assertThat(slots("@daily", NEW_YORK, "2026-03-07T00:00:00Z", 3)).isEqualTo(instants(
          "2026-03-07T05:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({"CRON_TZ=America/New_York 0 9 * * *", "TZ=America/New_York 0 9 * * *",
        "'  CRON_TZ=America/New_York    0 9 * * *  '"})
    void parse_timeZonePrefix_overridesTheDefaultZone(String text) {
      Schedule schedule = Schedule.parse(text, BERLIN);
      assertThat(schedule).isEqualTo(new Schedule.Cron("0 9 * * *", NEW_YORK));
      assertThat(schedule.next(Instant.parse("2026-07-01T00:00:00Z"))).isEqualTo("2026-07-01T13:00:00Z");
    }

    @Test
    void describe_namesExpressionAndZone() {
      assertThat(Schedule.parse("0 */6 * * *", UTC).describe()).isEqualTo("cron 0 */6 * * * (UTC)");
      assertThat(Schedule.parse("0 */6 * * *", ZoneId.of("UTC")).describe()).isEqualTo("cron 0 */6 * * * (UTC)");
      assertThat(Schedule.parse("CRON_TZ=Europe/Berlin @daily", UTC).describe())
          .isEqualTo("cron @daily (Europe/Berlin)");
    }
  }

  @Nested
  class CronRecord {
    @Test
    void expression_isStoredTrimmedAndMacrosAsGiven() {
      assertThat(new Schedule.Cron("  0 0 * * *\t", UTC).expression()).isEqualTo("0 0 * * *");
      assertThat(Schedule.parse(" @Daily ", UTC)).isEqualTo(new Schedule.Cron("@Daily", UTC));
    }

    @Test
    void equality_isByExpressionAndZone() {
      assertThat(new Schedule.Cron("0 0 * * *", UTC)).isEqualTo(new Schedule.Cron("0 0 * * * ", UTC))
          .isNotEqualTo(new Schedule.Cron("0 0 * * *", BERLIN))
          .isNotEqualTo(new Schedule.Cron("@daily", UTC));
    }

    @Test
    void constructor_rejectsPrefixesAndIntervals() {
      assertThatThrownBy(() -> new Schedule.Cron("CRON_TZ=UTC 0 0 * * *", UTC))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time zone prefix");
      assertThatThrownBy(() -> new Schedule.Cron("@every 5m", UTC))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is an interval");
      assertThatThrownBy(() -> new Schedule.Cron("61 * * * *", UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cron expression '61 * * * *': minute field '61' has 61, outside 0-59");
    }

    @Test
    void next_isStrictlyAfterEvenAtDstEdges() {
      Schedule schedule = Schedule.parse("* * * * *", BERLIN);
      for (String after : List.of("2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z",
          "2026-10-25T01:00:00Z", "2026-10-25T01:59:00Z")) {
        Instant t = Instant.parse(after);
        assertThat(schedule.next(t)).as(after).isAfter(t);
      }
      // Inside the repeated hour nothing fires until the clocks have passed 03:00 CET.
      assertThat(schedule.next(Instant.parse("2026-10-25T00:59:00Z"))).isEqualTo("2026-10-25T02:00:00Z");
      assertThat(LocalDateTime.ofInstant(schedule.next(Instant.parse("2026-03-29T00:59:00Z")), BERLIN))
          .hasToString("2026-03-29T03:00");
    }

    @Test
    void weeklyMacro_firesOnSunday() {
      Instant slot = Schedule.parse("@weekly", BERLIN).next(Instant.parse("2026-11-25T00:00:00Z"));
      assertThat(ZonedDateTime.ofInstant(slot, BERLIN).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "* * * * | expected 5 fields (minute hour day-of-month month day-of-week), got 4",
        "0 * * * * * | got 6 (a seconds field is not supported)",
        "60 * * * * | minute field '60' has 60, outside 0-59",
        "* 24 * * * | hour field '24' has 24, outside 0-23",
        "* * 0 * * | day-of-month field '0' has 0, outside 1-31",
        "* * 32 * * | day-of-month field '32' has 32, outside 1-31",
        "* * * 13 * | month field '13' has 13, outside 1-12",
        "* * * * 8 | day-of-week field '8' has 8, outside 0-7",
        "*/0 * * * * | minute field '*/0' has a step of 0",
        "*/x * * * * | step 'x' is not a number",
        "5-3 * * * * | minute field '5-3' has the reversed range 5-3",
        "* * * * FRI-MON | the reversed range FRI-MON",
        "1,,2 * * * * | minute field '1,,2' has an empty list element",
        "? * * * * | minute field '?' has '?', which only the day fields accept",
        "x * * * * | minute field 'x' has 'x', which is not a number",
        "0 0 * FOO * | month field 'FOO' has 'FOO', which is not a number or a name such as JAN",
        "-1 * * * * | minute field '-1' has '', which is not a number",
        "99999999999 * * * * | has '99999999999', which is not a number",
        "0 0 30 2 * | never fires",
        "0 0 31 4,6,9,11 * | never fires",
        "0 0 31 2 */7 | never fires",
        "@reboot | unknown macro @reboot",
        "@fortnightly | unknown macro @fortnightly",
        "daily | is neither a Go duration (15m, 6h, 1h30m) nor a cron expression",
        "5 | is neither a Go duration",
        "CRON_TZ=Mars/Olympus 0 * * * * | unknown time zone 'Mars/Olympus'",
        "CRON_TZ=UTC | has a time zone but no cron expression",
        "CRON_TZ=UTC 0 0 30 2 * | never fires"})
    void parse_badText_isRejectedNamingTextAndProblem(String text, String problem) {
      assertThatThrownBy(() -> Schedule.parse(text, UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("schedule '" + text + "'")
          .hasMessageContaining(problem)
          .message().doesNotContain("\n");
    }

    @Test
    void parse_blank_saysWhatToGive() {
      assertThatThrownBy(() -> Schedule.parse("  ", UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty schedule (give a duration such as 6h or a cron expression");
    }

    @Test
    void parse_longText_isCutInTheMessage() {
      String text = "0 ".repeat(200);
      assertThatThrownBy(() -> Schedule.parse(text, UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("...")
          .hasMessageContaining("got 200")
          .message().hasSizeLessThan(200);
    }

    @Test
    void parse_nulls_areRejected() {
      assertThatThrownBy(() -> Schedule.parse(null, UTC)).isInstanceOf(NullPointerException.class)
          .hasMessage("text");
      assertThatThrownBy(() -> Schedule.parse("1h", null)).isInstanceOf(NullPointerException.class)
          .hasMessage("zone");
    }
  }
}
