package io.lifeboat.etcd.snapshot;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers recorded beside each golden snapshot when real etcd made it. */
record GoldenFacts(SnapshotStatus etcdctlStatus, long revision, long liveKeys, long compactRevision) {
  static GoldenFacts of(String name) {
    String status = GoldenSnapshots.statusJson(name);
    String facts = resource(name + ".snapshot-facts.json");
    return new GoldenFacts(
        new SnapshotStatus(number(status, "hash"), number(status, "revision"), number(status, "totalKey"),
            number(status, "totalSize")),
        number(facts, "revision"), number(facts, "liveKeys"), number(facts, "compactRevision"));
  }

  static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + field + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  private static String resource(String name) {
    try (InputStream in = GoldenSnapshots.class.getResourceAsStream("/io/lifeboat/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
