package io.lifeboat.cli;

import java.util.Locale;

/** {@code -w/--write-out}, with etcdctl's names. */
public enum OutputFormat {
  TABLE,
  JSON,
  SIMPLE;

  /** Parses etcdctl's spelling ({@code table}, {@code json}, {@code simple}). */
  public static OutputFormat parse(String value) {
    for (OutputFormat f : values()) {
      if (f.name().equalsIgnoreCase(value)) {
        return f;
      }
    }
    throw new UsageException(String.format(Locale.ROOT,
        "unsupported output format '%s' for -w/--write-out; use table, json or simple", value));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
