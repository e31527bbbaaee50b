package io.lifeboat.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sizes as etcdctl prints them (go-humanize {@code Bytes}: SI units, one decimal below 10, Go's
 * round-half-to-even on the exact binary value).
 */
public final class Sizes {
  private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  private Sizes() {}

  public static String human(long size) {
    if (size < 10) {
      return size + " B";
    }
    int exponent = (int) Math.floor(Math.log(size) / Math.log(1000));
    exponent = Math.min(exponent, SI.length - 1);
    double scaled = Math.floor(size / Math.pow(1000, exponent) * 10 + 0.5) / 10;
    int decimals = scaled < 10 ? 1 : 0;
    String number = new BigDecimal(scaled).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return number + " " + SI[exponent];
  }
}
