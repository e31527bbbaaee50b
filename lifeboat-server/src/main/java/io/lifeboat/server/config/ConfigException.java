package io.lifeboat.server.config;

import java.util.List;
import java.util.Locale;

/**
 * A configuration the server cannot run with, with every problem one load found. Each problem is
 * one line that names the file, the line (1-based) and the key when known ({@code
 * lifeboat.yml:12: key 'etcd.endpoint': unknown key ...}) or the environment variable ({@code
 * LIFEBOAT_RETENTION: ...}); none contains a secret's value. The message is the problems, one a
 * line, so a single problem is a one-line message.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 80;

  private final List<String> problems;

  public ConfigException(String message) {
    this(List.of(message));
  }

  /**
   * @param problems at least one; each is made one line
   */
  public ConfigException(List<String> problems) {
    super(String.join("\n", oneLineEach(problems)));
    this.problems = oneLineEach(problems);
  }

  /** The problems, one line each, in the order they are reported. */
  public List<String> problems() {
    return problems;
  }

  /** {@code file:line: key 'path': problem}; the key part is left out when {@code keyPath} is empty. */
  static ConfigException at(String file, int line, String keyPath, String problem) {
    return new ConfigException(where(file, line, keyPath, problem));
  }

  /** The text of {@link #at}: one problem with its place. */
  static String where(String file, int line, String keyPath, String problem) {
    String key = keyPath.isEmpty() ? "" : " key '" + keyPath + "':";
    return String.format(Locale.ROOT, "%s:%d:%s %s", file, line, key, problem);
  }

  /** A user's value for a message: on one line and at most 80 characters. Never pass secrets. */
  static String shown(String value) {
    String v = oneLine(value);
    return v.length() <= MAX_SHOWN ? v : v.substring(0, MAX_SHOWN) + "...";
  }

  private static List<String> oneLineEach(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return problems.stream().map(ConfigException::oneLine).toList();
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\t]+", " ");
  }
}
