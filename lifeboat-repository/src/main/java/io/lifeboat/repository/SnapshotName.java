package io.lifeboat.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The name of a stored snapshot: one path element, safe on every file system and as an S3 key
 * part. Checked, because a name like {@code ../../etc/x} must not escape the snapshot directory.
 */
public record SnapshotName(String value) {
  public static final int MAX_LENGTH = 200;
  private static final DateTimeFormatter DEFAULT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public SnapshotName {
    Objects.requireNonNull(value, "value");
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "invalid snapshot name '%s': %s",
          printable(value), problem));
    }
  }

  /** {@code etcd-snapshot-<UTC yyyy-MM-dd'T'HH-mm-ss'Z'>}: sorts by time, no ':' for Windows or S3 tools. */
  public static SnapshotName defaultAt(Instant time) {
    return new SnapshotName("etcd-snapshot-" + DEFAULT_TIME.format(time));
  }

  private static String problem(String v) {
    if (v.isEmpty()) {
      return "it is empty";
    }
    if (v.length() > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " characters";
    }
    if (v.equals(".") || v.equals("..") || v.contains("..")) {
      return "it contains '..'";
    }
    if (v.startsWith(".")) {
      return "it starts with '.' (reserved for temporary files)";
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '/' || c == '\\') {
        return "it contains a path separator; give the directory with --dir";
      }
      if (Character.isISOControl(c)) {
        return "it contains a control character";
      }
    }
    if (v.endsWith(".json")) {
      return "'.json' is the metadata file's suffix";
    }
    return null;
  }

  private static String printable(String v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length() && b.length() < 64; i++) {
      char c = v.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return value;
  }
}
