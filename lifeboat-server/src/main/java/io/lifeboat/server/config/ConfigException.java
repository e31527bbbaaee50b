package io.lifeboat.server.config;

import java.util.Locale;

/**
 * A configuration the server cannot run with. The message is one line that names the file, the
 * line (1-based) and the key when known ({@code lifeboat.yml:12: key 'etcd.endpoint': unknown
 * key ...}) or the environment variable ({@code LIFEBOAT_RETENTION: ...}); it never contains a
 * secret's value.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 80;

  public ConfigException(String message) {
    super(oneLine(message));
  }

  /** {@code file:line: key 'path': problem}; the key part is left out when {@code keyPath} is empty. */
  static ConfigException at(String file, int line, String keyPath, String problem) {
    String where = keyPath.isEmpty() ? "" : " key '" + keyPath + "':";
    return new ConfigException(String.format(Locale.ROOT, "%s:%d:%s %s", file, line, where, problem));
  }

  /** A user's value for a message: on one line and at most 80 characters. Never pass secrets. */
  static String shown(String value) {
    String v = oneLine(value);
    return v.length() <= MAX_SHOWN ? v : v.substring(0, MAX_SHOWN) + "...";
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\t]+", " ");
  }
}
