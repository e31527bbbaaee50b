package io.lifeboat.cli;

import io.lifeboat.golden.GoldenSnapshots;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** Puts Lifeboat snapshots (a golden snapshot, encoded, plus metadata) into a store, as a save would. */
final class StoredSnapshots {
  static final String GOLDEN = "etcd-3.5-k8s";

  private StoredSnapshots() {}

  static SnapshotMetadata put(SnapshotStore store, String name, Instant createdAt) {
    return put(store, name, createdAt, Compression.NONE, Optional.empty());
  }

  static SnapshotMetadata put(SnapshotStore store, String name, Instant createdAt, Compression compression,
      Optional<EncryptionKey> key) {
    SnapshotName n = new SnapshotName(name);
    SnapshotEncoding encoding = SnapshotEncoding.forSave(compression, key);
    byte[] stored = encode(encoding, n, key);
    SnapshotMetadata metadata = metadata(n, createdAt, encoding, sha256(stored), stored.length);
    try {
      store.put(n, encoding.objectKind(), ObjectSource.ofBytes(stored));
      store.put(n, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(metadata)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return metadata;
  }

  static SnapshotMetadata metadata(SnapshotName name, Instant createdAt, SnapshotEncoding encoding, String sha256,
      long size) {
    String status = GoldenSnapshots.statusJson(GOLDEN);
    return new SnapshotMetadata(SnapshotMetadata.FORMAT, name.value(), createdAt, encoding.objectKind().fileName(name),
        size, sha256, encoding.compression().value(), encoding.encryption().value(),
        new SnapshotMetadata.EtcdFacts("http://127.0.0.1:2379", "8e9e05c52164694d", "cdf818194e3a8c32", "3.5.21",
            GoldenSnapshots.jsonNumber(status, "revision"), GoldenSnapshots.jsonNumber(status, "totalKey"),
            GoldenSnapshots.jsonNumber(status, "hash"), GoldenSnapshots.jsonNumber(status, "totalSize")));
  }

  static byte[] encode(SnapshotEncoding encoding, SnapshotName name, Optional<EncryptionKey> key) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream o = encoding.encode(bytes, name, key)) {
      o.write(GoldenSnapshots.bytes(GOLDEN));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
