package io.lifeboat.server.config;

import java.util.Locale;

/** How the server writes its log lines: logfmt ({@code key=value}) or one JSON object per line. */
public enum LogFormat {
  LOGFMT,
  JSON;

  public static LogFormat parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "logfmt", "text" -> LOGFMT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("log format must be logfmt or json, not '" + text + "'");
    };
  }
}
