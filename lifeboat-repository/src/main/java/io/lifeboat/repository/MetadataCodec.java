package io.lifeboat.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads and writes {@link SnapshotMetadata} as JSON; refuses formats it does not know. */
public final class MetadataCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private MetadataCodec() {}

  public static byte[] encode(SnapshotMetadata m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", m.format());
    root.put("name", m.name());
    root.put("createdAt", m.createdAt().toString());
    root.put("file", m.file());
    root.put("size", m.size());
    root.put("sha256", m.sha256());
    root.put("compression", m.compression());
    root.put("encryption", m.encryption());
    ObjectNode etcd = root.putObject("etcd");
    SnapshotMetadata.EtcdFacts e = m.etcd();
    etcd.put("endpoint", e.endpoint());
    etcd.put("memberId", e.memberId());
    etcd.put("clusterId", e.clusterId());
    etcd.put("serverVersion", e.serverVersion());
    etcd.put("revision", e.revision());
    etcd.put("totalKey", e.totalKey());
    etcd.put("hash", e.hash());
    etcd.put("dbSize", e.dbSize());
    try {
      return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e1) {
      throw new IllegalStateException("a tree of plain values always serialises", e1);
    }
  }

  /** A compact one-line form, for {@code -w json}. */
  public static String toJsonLine(SnapshotMetadata m) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(MAPPER.readTree(encode(m)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @throws MetadataException when the bytes are not metadata this version understands
   */
  public static SnapshotMetadata decode(String source, byte[] json) throws MetadataException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MetadataException(String.format(Locale.ROOT, "%s: not valid JSON (%s)", source, e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MetadataException(String.format(Locale.ROOT, "%s: not readable (%s)", source, e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new MetadataException(source + ": not a JSON object");
    }
    String format = text(source, root, "format");
    if (!format.equals(SnapshotMetadata.FORMAT)) {
      throw new MetadataException(String.format(Locale.ROOT,
          "%s: unknown metadata format '%s' (this Lifeboat reads %s); upgrade Lifeboat", source, format,
          SnapshotMetadata.FORMAT));
    }
    JsonNode etcd = root.get("etcd");
    if (etcd == null || !etcd.isObject()) {
      throw new MetadataException(source + ": missing object 'etcd'");
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(text(source, root, "createdAt"));
    } catch (DateTimeParseException e) {
      throw new MetadataException(source + ": 'createdAt' is not an RFC 3339 UTC time");
    }
    return new SnapshotMetadata(format, text(source, root, "name"), createdAt, text(source, root, "file"),
        number(source, root, "size"), text(source, root, "sha256"), text(source, root, "compression"),
        text(source, root, "encryption"),
        new SnapshotMetadata.EtcdFacts(text(source, etcd, "endpoint"), text(source, etcd, "memberId"),
            text(source, etcd, "clusterId"), text(source, etcd, "serverVersion"), number(source, etcd, "revision"),
            number(source, etcd, "totalKey"), number(source, etcd, "hash"), number(source, etcd, "dbSize")));
  }

  private static String text(String source, JsonNode node, String field) throws MetadataException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new MetadataException(String.format(Locale.ROOT, "%s: missing or non-text field '%s'", source, field));
    }
    return v.asText();
  }

  private static long number(String source, JsonNode node, String field) throws MetadataException {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new MetadataException(String.format(Locale.ROOT, "%s: missing or non-integer field '%s'", source, field));
    }
    return v.asLong();
  }
}
