package io.lifeboat.etcd.restore;

import io.lifeboat.bbolt.BoltFile;
import io.lifeboat.bbolt.BoltWriter;
import io.lifeboat.bbolt.Bucket;
import io.lifeboat.bbolt.BucketWriter;
import io.lifeboat.bbolt.Cursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: copies a small snapshot with rows added or replaced, and appends a valid sha256 trailer. */
final class SnapshotEditor {
  private final Map<String, TreeMap<byte[], byte[]>> changes = new TreeMap<>();

  SnapshotEditor put(String bucket, byte[] key, byte[] value) {
    changes.computeIfAbsent(bucket, b -> new TreeMap<>(Arrays::compareUnsigned)).put(key, value);
    return this;
  }

  SnapshotEditor put(String bucket, String key, String value) {
    return put(bucket, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  Path write(Path source, Path target) throws IOException {
    TreeMap<byte[], TreeMap<byte[], byte[]>> all = new TreeMap<>(Arrays::compareUnsigned);
    try (BoltFile f = BoltFile.open(source)) {
      Bucket root = f.root();
      Cursor top = root.cursor();
      for (boolean more = top.first(); more; more = top.next()) {
        TreeMap<byte[], byte[]> rows = new TreeMap<>(Arrays::compareUnsigned);
        Cursor c = root.openBucket(top).cursor();
        for (boolean m = c.first(); m; m = c.next()) {
          rows.put(bytes(c.key()), bytes(c.value()));
        }
        all.put(bytes(top.key()), rows);
      }
    }
    changes.forEach((bucket, rows) -> all.computeIfAbsent(bucket.getBytes(StandardCharsets.UTF_8),
        b -> new TreeMap<>(Arrays::compareUnsigned)).putAll(rows));
    Path image = target.resolveSibling(target.getFileName() + ".image");
    try (BoltWriter w = BoltWriter.create(image, 4096)) {
      for (Map.Entry<byte[], TreeMap<byte[], byte[]>> b : all.entrySet()) {
        try (BucketWriter bw = w.bucket(b.getKey())) {
          for (Map.Entry<byte[], byte[]> r : b.getValue().entrySet()) {
            bw.put(r.getKey(), r.getValue());
          }
        }
      }
      w.finish(10);
    }
    byte[] bytes = Files.readAllBytes(image);
    Files.delete(image);
    Files.write(target, bytes, StandardOpenOption.CREATE_NEW);
    Files.write(target, sha256(bytes), StandardOpenOption.APPEND);
    return target;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
