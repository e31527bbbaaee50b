package io.lifeboat.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  /** Expected strings are what Go's {@code time.Duration(nanos).String()} prints. */
  @ParameterizedTest
  @CsvSource({
      "0, 0s",
      "1, 1ns",
      "999, 999ns",
      "1000, 1µs",
      "1500, 1.5µs",
      "1000000, 1ms",
      "1000001, 1.000001ms",
      "500000000, 500ms",
      "999999999, 999.999999ms",
      "1000000000, 1s",
      "1500000000, 1.5s",
      "1000000001, 1.000000001s",
      "60000000000, 1m0s",
      "90000000000, 1m30s",
      "61500000000, 1m1.5s",
      "3600000000000, 1h0m0s",
      "5400000000000, 1h30m0s",
      "3605000000000, 1h0m5s",
      "86400000000000, 24h0m0s",
      "-90000000000, -1m30s",
      "-1500, -1.5µs",
      "9223372036854775807, 2562047h47m16.854775807s"})
  void format_matchesGoDurationString(long nanos, String go) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(go);
  }

  @ParameterizedTest
  @CsvSource({
      "0, PT0S",
      "0s, PT0S",
      "300ms, PT0.3S",
      "2s, PT2S",
      "5m, PT5M",
      "5m0s, PT5M",
      "90s, PT1M30S",
      "1h30m, PT1H30M",
      "24h, PT24H",
      "1.5h, PT1H30M",
      "1h0.5m, PT1H0M30S",
      "1.5s, PT1.5S",
      "1.001s, PT1.001S",
      "0.29s, PT0.29S",
      "1.s, PT1S",
      ".5s, PT0.5S",
      "1ns, PT0.000000001S",
      "1.9ns, PT0.000000001S",
      "2us, PT0.000002S",
      "2µs, PT0.000002S",
      "2μs, PT0.000002S",
      "1h1m1s1ms1us1ns, PT1H1M1.001001001S",
      "2562047h47m16.854775807s, PT2562047H47M16.854775807S"})
  void parse_goSyntax(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @Test
  void parse_largeDurations_keepEveryNanosecond() {
    assertThat(GoDuration.parse("100000h1ns")).isEqualTo(Duration.ofHours(100_000).plusNanos(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "00", "1d", "1w", "h", "5 m", " 5m", "5m ", "5m-3s", "-5m", "+5m", "5mm", "5.5.5s",
      "1h_30m", "fast"})
  void parse_notGoSyntax_isRejectedNamingTheText(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid duration '" + text + "' (use Go syntax such as 500ms, 2s, 5m, 1h30m)");
  }

  @Test
  void parse_emptyOrNull_saysEmpty() {
    for (String text : new String[] {null, "", "   "}) {
      assertThatThrownBy(() -> GoDuration.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("empty duration");
    }
  }

  @Test
  void parse_beyondGosLargestDuration_isTooLong() {
    assertThatThrownBy(() -> GoDuration.parse("2562047h47m16.854775808s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("duration '2562047h47m16.854775808s' is too long");
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is too long");
  }

  @Test
  void formatThenParse_givesTheSameDuration() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      // Spread over magnitudes: nanoseconds up to Go's whole range.
      long bound = 1L << (1 + random.nextInt(62));
      Duration d = Duration.ofNanos(random.nextLong(bound));
      String text = GoDuration.format(d);
      assertThat(GoDuration.parse(text)).as(text).isEqualTo(d);
    }
  }

  @Test
  void format_wholeUnits_haveNoFraction() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      Duration d = Duration.ofSeconds(random.nextLong(1, 10_000_000));
      assertThat(GoDuration.format(d)).as(d.toString()).doesNotContain(".").endsWith("s");
    }
  }
}
