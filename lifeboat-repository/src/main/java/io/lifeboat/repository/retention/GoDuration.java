package io.lifeboat.repository.retention;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration syntax ({@code 300ms}, {@code 2s}, {@code 1h30m}, {@code 5m0s}), as etcdctl, RKE and
 * Rancher write them, both ways.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

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
    double nanos = 0;
    while (m.find() && m.start() == at) {
      double amount = Double.parseDouble(m.group(1));
      nanos += amount * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      at = m.end();
    }
    if (at != text.length() || at == 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "invalid duration '%s' (use Go syntax such as 500ms, 2s, 5m, 1h30m)", text));
    }
    if (nanos >= Long.MAX_VALUE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "duration '%s' is too long", text));
    }
    return Duration.ofNanos((long) nanos);
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
