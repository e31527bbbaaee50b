package io.lifeboat.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Snapshots saved by real etcd (see {@code src/test/golden/make-golden.sh} in lifeboat-bbolt), shared with other
 * modules through lifeboat-bbolt's test-jar. For each name there are {@code name.db} (the snapshot, with its sha256
 * trailer), {@code name.status.json} (etcdctl/etcdutl {@code snapshot status -w json}) and
 * {@code name.snapshot-facts.json} ({@code revision}, {@code liveKeys}, {@code compactRevision} seen by etcdctl).
 */
public final class GoldenSnapshots {
  private static final String BASE = "/io/lifeboat/golden/";
  private static final List<String> NAMES = List.of(
      "etcd-3.4-small", "etcd-3.5-small", "etcd-3.4-k8s", "etcd-3.5-k8s", "etcd-3.5-auth");

  private GoldenSnapshots() {}

  /** Every golden snapshot name, without extension. */
  public static List<String> names() {
    return NAMES;
  }

  /** Copies {@code name.db} into {@code dir} and returns the copy. */
  public static Path copyTo(String name, Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path target = dir.resolve(name + ".db");
    try (InputStream in = open(name + ".db")) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** The bytes of {@code name.db}. */
  public static byte[] bytes(String name) {
    try (InputStream in = open(name + ".db")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exact one-line output of {@code snapshot status -w json} for {@code name.db}. */
  public static String statusJson(String name) {
    return text(name + ".status.json");
  }

  /** The facts etcdctl reported when the snapshot was taken: {"revision":…,"liveKeys":…,"compactRevision":…}. */
  public static String snapshotFactsJson(String name) {
    return text(name + ".snapshot-facts.json");
  }

  /** A numeric field of a flat JSON object such as {@link #statusJson}, e.g. {@code totalKey}. */
  public static long jsonNumber(String json, String field) {
    String quoted = "\"" + field + "\":";
    int at = json.indexOf(quoted);
    if (at < 0) {
      throw new IllegalArgumentException("no field " + field + " in " + json);
    }
    int start = at + quoted.length();
    int end = start;
    while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
      end++;
    }
    return Long.parseLong(json.substring(start, end));
  }

  private static String text(String resource) {
    try (InputStream in = open(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    Objects.requireNonNull(resource, "resource");
    InputStream in = GoldenSnapshots.class.getResourceAsStream(BASE + resource);
    if (in == null) {
      throw new IOException("no golden resource " + BASE + resource);
    }
    return in;
  }
}
