package io.lifeboat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Log directories handed out in this JVM, in order. Global on purpose: two clusters must never
 * share a log directory, and {@link EtcdLogsOnFailure} finds the logs of the clusters a failed
 * test started without the test passing them around.
 */
final class EtcdLogDirs {
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();
  private static final List<Path> IN_ORDER = new CopyOnWriteArrayList<>();

  private EtcdLogDirs() {}

  /**
   * A fresh directory {@code root/<name>}, or {@code root/<name>-2} and so on when this JVM already
   * used that name. Logs left there by an earlier JVM are deleted: next to this run's they would
   * mislead.
   */
  static Path claim(Path root, String name) {
    String base = name.replaceAll("[^A-Za-z0-9._-]+", "_");
    if (base.isEmpty() || base.startsWith(".")) {
      base = "etcd" + base;
    }
    Path dir = root.resolve(base).toAbsolutePath().normalize();
    for (int n = 2; !CLAIMED.add(dir); n++) {
      dir = root.resolve(base + "-" + n).toAbsolutePath().normalize();
    }
    try {
      deleteRecursively(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the etcd log directory " + dir, e);
    }
    IN_ORDER.add(dir);
    return dir;
  }

  /** How many directories were claimed so far; a position for {@link #since}. */
  static int count() {
    return IN_ORDER.size();
  }

  /** The directories claimed after position {@code start}. */
  static List<Path> since(int start) {
    return between(start, Integer.MAX_VALUE);
  }

  /** The directories claimed from position {@code start} up to, not including, {@code end}. */
  static List<Path> between(int start, int end) {
    List<Path> all = List.copyOf(IN_ORDER);
    int to = Math.min(end, all.size());
    return all.subList(Math.min(start, to), to);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
