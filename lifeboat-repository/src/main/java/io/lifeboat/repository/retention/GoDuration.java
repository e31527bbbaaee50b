package io.lifeboat.repository.retention;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration syntax ({@code 300ms}, {@code 2s}, {@code 1h30m}, {@code 5m0s}), as etcdctl, RKE and
 * Rancher write them, both ways.
 */
public final class GoDuration {
  // Go also accepts "1.s" and ".5s", and U+03BC (Greek mu) as well as U+00B5 (micro sign) in "µs".
  private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** @throws IllegalArgumentException naming the text and the expected syntax */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    // Exact decimal arithmetic: doubles turned 1.001s into 1.000999999s and refused Go's largest
    // duration, 2562047h47m16.854775807s. Fractions below a nanosecond are dropped, as Go does.
    BigInteger nanos = BigInteger.ZERO;
    while (m.find() && m.start() == at) {
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "\u00b5s", "\u03bcs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit))
          .setScale(0, RoundingMode.DOWN).toBigIntegerExact());
      at = m.end();
    }
    if (at != text.length() || at == 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "invalid duration '%s' (use Go syntax such as 500ms, 2s, 5m, 1h30m)", text));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "duration '%s' is too long (at most 2562047h47m16.854775807s)", text));
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /** Go's {@code Duration.String()}: {@code 24h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code 500ms}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    String sign = d.isNegative() ? "-" : "";
    Duration a = d.abs();
    if (a.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = a.toNanos();
      if (nanos < 1_000) {
        return sign + nanos + "ns";
      }
      if (nanos < 1_000_000) {
        return sign + decimal(nanos, 1_000) + "µs";
      }
      return sign + decimal(nanos, 1_000_000) + "ms";
    }
    long hours = a.toHours();
    int minutes = a.toMinutesPart();
    String seconds = decimal(a.toSecondsPart() * 1_000_000_000L + a.toNanosPart(), 1_000_000_000L) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    if (minutes > 0) {
      return sign + minutes + "m" + seconds;
    }
    return sign + seconds;
  }

  private static String decimal(long value, long unit) {
    long whole = value / unit;
    long fraction = value % unit;
    if (fraction == 0) {
      return Long.toString(whole);
    }
    String digits = String.format(Locale.ROOT, "%0" + Long.toString(unit).length() + "d", fraction)
        .substring(1).replaceAll("0+$", "");
    return whole + "." + digits;
  }
}
