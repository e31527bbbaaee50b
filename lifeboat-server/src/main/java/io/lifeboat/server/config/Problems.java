package io.lifeboat.server.config;

import static java.util.Comparator.comparingInt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The problems one {@link ConfigLoader#load} finds, collected so that they are all reported at
 * once. Readers record a problem and go on, leaving the setting as the earlier layers had it.
 * {@link #throwIfAny} reports the file's problems in line order, then the others (environment
 * variables, checks across sources) sorted by text, which starts with the variable's name.
 */
final class Problems {
  /** Converts one node's value; throws, or an {@link IllegalArgumentException} about that value. */
  @FunctionalInterface
  interface Conversion<T> {
    T apply(YamlNode node) throws ConfigException;
  }

  private static final int NO_LINE = Integer.MAX_VALUE;

  private record Problem(int line, String text) {}

  private final List<Problem> problems = new ArrayList<>();

  /** A problem with {@code node}'s value or key, reported with its file, line and key. */
  void add(YamlNode node, String problem) {
    problems.add(new Problem(node.line(), node.describe(problem)));
  }

  /** A problem that has no line: an environment variable's, or one across sources. */
  void add(String problem) {
    problems.add(new Problem(NO_LINE, problem));
  }

  /** {@code node}'s value converted, or empty when the conversion failed and its problems were recorded. */
  <T> Optional<T> value(YamlNode node, Conversion<T> conversion) {
    try {
      return Optional.of(conversion.apply(node));
    } catch (ConfigException e) {
      e.problems().forEach(text -> problems.add(new Problem(node.line(), text)));
    } catch (IllegalArgumentException e) {
      add(node, String.valueOf(e.getMessage()));
    }
    return Optional.empty();
  }

  /** The value of {@code key} in {@code section}, converted; empty when absent or invalid (then recorded). */
  <T> Optional<T> value(Map<String, YamlNode> section, String key, Conversion<T> conversion) {
    YamlNode node = section.get(key);
    return node == null ? Optional.empty() : value(node, conversion);
  }

  void addAll(Problems other) {
    problems.addAll(other.problems);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.stream()
          .sorted(comparingInt(Problem::line).thenComparing(p -> p.line() == NO_LINE ? p.text() : ""))
          .map(Problem::text)
          .toList());
    }
  }
}
