package io.lifeboat.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ({@code 300ms}, {@code 2s}, {@code 1h30m}, {@code 5m0s}), as etcdctl and RKE write them. */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new UsageException(option + ": empty duration");
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
      throw new UsageException(String.format(Locale.ROOT,
          "%s: invalid duration '%s' (use Go syntax such as 500ms, 2s, 5m, 1h30m)", option, text));
    }
    return Duration.ofNanos((long) nanos);
  }
}
