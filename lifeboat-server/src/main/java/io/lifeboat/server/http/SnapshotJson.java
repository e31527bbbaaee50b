package io.lifeboat.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.server.ListedSnapshot;
import io.lifeboat.server.TakenSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * The API's JSON bodies. A snapshot is its metadata exactly as {@link MetadataCodec} writes the
 * {@code <name>.json} file, plus {@code locations} (and {@code failedUploads} for one just taken), so
 * the API and the repository format cannot drift apart.
 */
final class SnapshotJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SnapshotJson() {}

  static byte[] list(List<ListedSnapshot> snapshots) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("snapshots");
    for (ListedSnapshot s : snapshots) {
      array.add(listed(s));
    }
    return bytes(root);
  }

  static byte[] one(ListedSnapshot s) {
    return bytes(listed(s));
  }

  static byte[] taken(TakenSnapshot t) {
    ObjectNode node = metadata(t.metadata());
    strings(node.putArray("locations"), t.storedIn());
    ObjectNode failed = node.putObject("failedUploads");
    new TreeMap<>(t.failedUploads()).forEach(failed::put);
    return bytes(node);
  }

  static byte[] error(String message) {
    return bytes(MAPPER.createObjectNode().put("error", message));
  }

  private static ObjectNode listed(ListedSnapshot s) {
    ObjectNode node = metadata(s.metadata());
    strings(node.putArray("locations"), s.locations());
    return node;
  }

  private static ObjectNode metadata(SnapshotMetadata m) {
    try {
      JsonNode node = MAPPER.readTree(MetadataCodec.encode(m));
      return (ObjectNode) node;
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("MetadataCodec.encode writes a JSON object", e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }
}
