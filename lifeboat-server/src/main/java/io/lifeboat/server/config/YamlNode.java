package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import io.lifeboat.repository.retention.GoDuration;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML file, with the file name and key path it was reached by, so that every
 * conversion error names file, line and key. Values are converted on demand and never echoed for
 * callers that read secrets ({@link #text()} reports only the node's kind).
 */
final class YamlNode {
  // Config files have no business with alias bombs; a few aliases are plenty for real files.
  private static final int MAX_ALIASES = 20;
  private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  private final Node node;
  private final String file;
  private final String path;

  private YamlNode(Node node, String file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
  }

  /**
   * Composes the single document of {@code file}; an empty file is an empty mapping.
   *
   * @throws ConfigException for unreadable files and YAML syntax errors, with the line
   */
  static YamlNode read(Path file) throws ConfigException {
    requireNonNull(file, "file");
    String name = file.toString();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_CODE_POINTS);
    Yaml yaml = new Yaml(options);
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = yaml.compose(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read: " + e.getClass().getSimpleName());
    } catch (MarkedYAMLException e) {
      // getProblem() only: the full message quotes the offending line, which may hold a secret.
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw ConfigException.at(name, line, "", "invalid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new ConfigException(name + ": not UTF-8 text");
      }
      if (e.getCause() instanceof IOException io) {
        throw new ConfigException(name + ": cannot read: " + ConfigException.shown(String.valueOf(io.getMessage())));
      }
      throw new ConfigException(name + ": invalid YAML: " + ConfigException.shown(String.valueOf(e.getMessage())));
    }
    if (root == null) {
      root = new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO);
    }
    YamlNode top = new YamlNode(root, name, "");
    if (!(root instanceof MappingNode)) {
      throw top.error("the top level must be a mapping of keys, not a " + top.kind());
    }
    return top;
  }

  int line() {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  String path() {
    return path;
  }

  ConfigException error(String problem) {
    return new ConfigException(describe(problem));
  }

  /** {@code problem} with this node's file, line and key. */
  String describe(String problem) {
    return ConfigException.where(file, line(), path, problem);
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  boolean isSequence() {
    return node instanceof SequenceNode;
  }

  /** Whether this is a single value that is empty or blank ({@code ""}). */
  boolean isBlank() {
    return node instanceof ScalarNode s && s.getValue().isBlank();
  }

  /**
   * The entries of a mapping whose keys are in {@code known}; keys given with no value are left
   * out. Each unknown key is recorded with a suggestion and left out too; empty (recorded) when this
   * is not a mapping.
   */
  Optional<Map<String, YamlNode>> mapping(Collection<String> known, Problems problems) {
    Optional<Map<String, YamlNode>> entries = entries(problems);
    if (entries.isEmpty()) {
      return entries;
    }
    Map<String, YamlNode> result = entries.get();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && !known.contains(k.getValue())) {
        result.remove(k.getValue());
        String hint = Suggestions.closest(k.getValue(), known).map(c -> "did you mean '" + c + "'? ").orElse("");
        problems.add(child(k.getValue(), k), "unknown key; " + hint + "known: " + String.join(", ", known));
      }
    }
    return Optional.of(result);
  }

  /**
   * The entries of a mapping, whatever the keys (for files with many keys Lifeboat does not read).
   * Keys that are not plain names and repeated keys are recorded and left out (the first one
   * counts); empty (recorded) when this is not a mapping.
   */
  Optional<Map<String, YamlNode>> entries(Problems problems) {
    if (!(node instanceof MappingNode m)) {
      problems.add(this, "expected a mapping of keys, got a " + kind());
      return Optional.empty();
    }
    Map<String, YamlNode> result = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        YamlNode key = new YamlNode(t.getKeyNode(), file, path);
        problems.add(key, "keys must be plain names, not a " + key.kind());
        continue;
      }
      YamlNode child = child(k.getValue(), t.getKeyNode());
      Integer before = firstLine.putIfAbsent(k.getValue(), child.line());
      if (before != null) {
        problems.add(child, "duplicate key (first given on line " + before + ")");
      } else if (!isNull(t.getValueNode())) {
        result.put(k.getValue(), new YamlNode(t.getValueNode(), file, child.path));
      }
    }
    return Optional.of(result);
  }

  private YamlNode child(String key, Node n) {
    return new YamlNode(n, file, path.isEmpty() ? key : path + "." + key);
  }

  /** The items of a sequence, null items left out. */
  List<YamlNode> list() throws ConfigException {
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list, got a " + kind());
    }
    List<YamlNode> items = new ArrayList<>();
    for (int i = 0; i < s.getValue().size(); i++) {
      Node item = s.getValue().get(i);
      if (!isNull(item)) {
        items.add(new YamlNode(item, file, path + "[" + i + "]"));
      }
    }
    return items;
  }

  /** A scalar's text as written. Safe for secrets: errors name only the kind of node found. */
  String text() throws ConfigException {
    if (!(node instanceof ScalarNode s)) {
      throw error("expected a single value, got a " + kind());
    }
    return s.getValue();
  }

  /** A scalar's text, stripped, that must not be empty. */
  String nonEmptyText() throws ConfigException {
    String t = text().strip();
    if (t.isEmpty()) {
      throw error("must not be empty");
    }
    return t;
  }

  int integer() throws ConfigException {
    String t = text().strip();
    if (!t.matches("[+-]?\\d{1,10}")) {
      throw error("expected an integer, got '" + ConfigException.shown(t) + "'");
    }
    long v = Long.parseLong(t);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw error("integer " + t + " is out of range");
    }
    return (int) v;
  }

  /** An integer of at least 1; {@code rule} is the error's wording ("must be at least 1"). */
  int positiveInteger(String rule) throws ConfigException {
    int v = integer();
    if (v < 1) {
      throw error(rule + ", got " + v);
    }
    return v;
  }

  boolean bool() throws ConfigException {
    String t = text();
    return ConfigValues.bool(t).orElseThrow(() -> error("expected true or false, got '" + ConfigException.shown(t) + "'"));
  }

  /** A Go duration ({@code 500ms}, {@code 5m0s}, {@code 12h}) at least {@code min}. */
  Duration duration(Duration min) throws ConfigException {
    String t = text().strip();
    Duration d;
    try {
      d = GoDuration.parse(t);
    } catch (IllegalArgumentException e) {
      throw error("expected a duration such as 5s, 15m or 12h, got '" + ConfigException.shown(t) + "'");
    }
    if (d.compareTo(min) < 0) {
      throw error("must be at least " + GoDuration.format(min) + ", got " + ConfigException.shown(t));
    }
    return d;
  }

  Path filePath() throws ConfigException {
    String t = nonEmptyText();
    try {
      return Path.of(t);
    } catch (InvalidPathException e) {
      throw error("not a valid path: '" + ConfigException.shown(t) + "'");
    }
  }

  /** A list of values, or one comma-separated value. */
  List<String> strings() throws ConfigException {
    List<String> result = new ArrayList<>();
    if (node instanceof SequenceNode) {
      for (YamlNode item : list()) {
        result.add(item.nonEmptyText());
      }
    } else {
      for (String part : text().split(",")) {
        if (!part.isBlank()) {
          result.add(part.strip());
        }
      }
    }
    if (result.isEmpty()) {
      throw error("must list at least one value");
    }
    return result;
  }

  private String kind() {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "value";
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s:%d %s", file, line(), path);
  }
}
