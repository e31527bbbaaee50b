package io.lifeboat.server;

import io.lifeboat.server.config.LogFormat;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The server's log: one line per event, as logfmt ({@code time=… level=info msg="Created backup"
 * name=… runtime=…}, the shape of RKE's logrus lines) or as one JSON object per line. Callers pass
 * values that are never secrets; the log has no way to print a configuration object.
 */
public final class EventLog {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final LogFormat format;
  private final PrintStream out;
  private final Clock clock;
  private final boolean debug;

  public EventLog(LogFormat format, PrintStream out, Clock clock, boolean debug) {
    this.format = Objects.requireNonNull(format, "format");
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.debug = debug;
  }

  public void debug(String message, Object... keyValues) {
    if (debug) {
      log(Level.DEBUG, message, keyValues);
    }
  }

  public void info(String message, Object... keyValues) {
    log(Level.INFO, message, keyValues);
  }

  public void warn(String message, Object... keyValues) {
    log(Level.WARN, message, keyValues);
  }

  public void error(String message, Object... keyValues) {
    log(Level.ERROR, message, keyValues);
  }

  /** @param keyValues alternating keys (strings) and values (printed with {@code String.valueOf}) */
  public void log(Level level, String message, Object... keyValues) {
    Objects.requireNonNull(message, "message");
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    StringBuilder line = new StringBuilder(128);
    if (format == LogFormat.JSON) {
      line.append("{\"time\":");
      json(line, now.toString());
      line.append(",\"level\":");
      json(line, level.label());
      line.append(",\"msg\":");
      json(line, message);
      for (int i = 0; i < keyValues.length; i += 2) {
        line.append(',');
        json(line, String.valueOf(keyValues[i]));
        line.append(':');
        Object v = keyValues[i + 1];
        if (v instanceof Number || v instanceof Boolean) {
          line.append(v);
        } else {
          json(line, String.valueOf(v));
        }
      }
      line.append('}');
    } else {
      line.append("time=").append(now).append(" level=").append(level.label()).append(" msg=");
      logfmt(line, message);
      for (int i = 0; i < keyValues.length; i += 2) {
        line.append(' ').append(keyValues[i]).append('=');
        logfmt(line, String.valueOf(keyValues[i + 1]));
      }
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void logfmt(StringBuilder line, String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f;
    }
    if (!quote) {
      line.append(value);
      return;
    }
    json(line, value);
  }

  /** A JSON string literal (also logfmt's quoted form). */
  private static void json(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            line.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
