package io.lifeboat.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on a terminal: bytes, rate and ETA, redrawn at most 5 times a
 * second. Not used when the output is not a terminal, so logs and pipes stay clean.
 */
public final class ProgressBar {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter out;
  private final String label;
  private final long expected;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  /** @param expected the expected total in bytes, 0 when unknown */
  public ProgressBar(PrintWriter out, String label, long expected) {
    this.out = out;
    this.label = label;
    this.expected = expected;
  }

  public void update(long bytes) {
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    double rate = bytes / seconds;
    StringBuilder line = new StringBuilder("\r").append(label).append(' ').append(Sizes.human(bytes));
    if (expected > 0) {
      int percent = (int) Math.min(100, bytes * 100 / expected);
      int filled = percent / 5;
      line.append(" / ").append(Sizes.human(expected))
          .append(" [").append("#".repeat(filled)).append(" ".repeat(20 - filled)).append("] ")
          .append(percent).append('%');
      if (rate > 0 && bytes < expected) {
        line.append(String.format(Locale.ROOT, " ETA %ds", (long) Math.ceil((expected - bytes) / rate)));
      }
    }
    line.append(String.format(Locale.ROOT, " %s/s ", Sizes.human((long) rate)));
    out.print(line);
    out.flush();
    drawn = true;
  }

  /** Clears the line, so the summary that follows starts clean. */
  public void finish() {
    if (drawn) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
