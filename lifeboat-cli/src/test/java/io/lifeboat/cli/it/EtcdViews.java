package io.lifeboat.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** etcdctl's view of a cluster or a snapshot file, the reference every comparison is made against. */
final class EtcdViews {
  static final ObjectMapper JSON = new ObjectMapper();

  private EtcdViews() {}

  /** Every live key as etcdctl returns it: key, value, create/mod revision, version, lease (base64 as etcdctl prints). */
  static List<String> keyValues(EtcdCluster cluster, String... authArgs) {
    List<String> args = new ArrayList<>(List.of(authArgs));
    args.addAll(List.of("get", "", "--prefix", "-w", "json"));
    JsonNode root = parse(cluster.etcdctl(args.toArray(String[]::new)).requireSuccess().stdout());
    List<String> rows = new ArrayList<>();
    for (JsonNode kv : root.path("kvs")) {
      rows.add(kv.path("key").asText() + " " + kv.path("value").asText() + " c" + kv.path("create_revision").asLong()
          + " m" + kv.path("mod_revision").asLong() + " v" + kv.path("version").asLong() + " l" + kv.path("lease").asLong());
    }
    return rows;
  }

  /** The header revision of the cluster. */
  static long revision(EtcdCluster cluster, String... authArgs) {
    List<String> args = new ArrayList<>(List.of(authArgs));
    args.addAll(List.of("get", "lifeboat-no-such-key", "-w", "json"));
    return parse(cluster.etcdctl(args.toArray(String[]::new)).requireSuccess().stdout()).path("header").path("revision").asLong();
  }

  /** The leader's member ID as unsigned hex. */
  static String leaderIdHex(EtcdCluster cluster, String... authArgs) {
    List<String> args = new ArrayList<>(List.of(authArgs));
    args.addAll(List.of("endpoint", "status", "-w", "json"));
    JsonNode root = parse(cluster.etcdctl(args.toArray(String[]::new)).requireSuccess().stdout());
    return Long.toHexString(root.get(0).path("Status").path("leader").asLong());
  }

  /** {@code etcdctl snapshot status -w json} (etcdutl on 3.5) of a file. */
  static JsonNode snapshotStatus(EtcdCluster cluster, Path file) {
    CommandResult r = cluster.version() == EtcdVersion.V3_4
        ? cluster.etcdctl("snapshot", "status", "-w", "json", file.toString())
        : cluster.etcdutl("snapshot", "status", "-w", "json", file.toString());
    return parse(r.requireSuccess().stdout());
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
