package io.lifeboat.etcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.bbolt.BoltFile;
import io.lifeboat.bbolt.Bucket;
import io.lifeboat.bbolt.Cursor;
import io.lifeboat.etcd.proto.MalformedProtoException;
import io.lifeboat.etcd.schema.Buckets;
import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyValueTest {
  @TempDir Path dir;

  @Test
  void decode_etcdExampleBytes_givesEveryField() {
    // From etcd 3.4: key "foo", create 2, mod 3, version 2, value "bar2".
    byte[] bytes = HexFormat.of().parseHex("0a03666f6f1002180320022a0462617232");

    KeyValue kv = KeyValue.decode(ByteBuffer.wrap(bytes));

    assertThat(kv.keyString()).isEqualTo("foo");
    assertThat(kv.createRevision()).isEqualTo(2);
    assertThat(kv.modRevision()).isEqualTo(3);
    assertThat(kv.version()).isEqualTo(2);
    assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("bar2");
    assertThat(kv.lease()).isZero();
  }

  @Test
  void decode_lengthPastTheEnd_isMalformed() {
    byte[] bytes = HexFormat.of().parseHex("0a7f666f6f");

    assertThatThrownBy(() -> KeyValue.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(MalformedProtoException.class)
        .hasMessageContaining("length 127 exceeds the 3 bytes left");
  }

  @Test
  void decode_truncatedVarint_isMalformed() {
    byte[] bytes = HexFormat.of().parseHex("10ff");

    assertThatThrownBy(() -> KeyValue.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(MalformedProtoException.class)
        .hasMessageContaining("varint");
  }

  @Test
  void revision_encodeDecode_roundTrips() {
    Revision r = new Revision(1513, 2, true);

    assertThat(Revision.decode(ByteBuffer.wrap(r.encode()))).contains(r);
    assertThat(Revision.decode(ByteBuffer.wrap(new byte[5]))).isEmpty();
  }

  /** The live view rebuilt from the rows equals what etcd served when the snapshot was taken. */
  @ParameterizedTest
  @ValueSource(strings = {"etcd-3.4-small", "etcd-3.5-small", "etcd-3.4-k8s", "etcd-3.5-k8s", "etcd-3.5-auth"})
  void keyBucket_liveView_matchesEtcdAtSnapshotTime(String name) throws IOException {
    Path file = GoldenSnapshots.copyTo(name, dir);
    Map<String, KeyValue> live = new TreeMap<>();
    long lastRevision = 0;
    try (BoltFile db = BoltFile.open(file)) {
      Bucket keys = db.root().bucket(Buckets.bytes(Buckets.KEY)).orElseThrow();
      Cursor c = keys.cursor();
      for (boolean more = c.first(); more; more = c.next()) {
        Revision rev = Revision.decode(c.key()).orElseThrow();
        KeyValue kv = KeyValue.decode(c.value());
        if (rev.tombstone()) {
          assertThat(live.remove(kv.keyString())).as("tombstone of a live key at %s", rev).isNotNull();
        } else {
          assertThat(kv.modRevision()).isEqualTo(rev.main());
          assertThat(kv.version()).isPositive();
          assertThat(kv.createRevision()).isLessThanOrEqualTo(kv.modRevision());
          live.put(kv.keyString(), kv);
        }
        lastRevision = rev.main();
      }
    }
    String facts = resourceText(name + ".snapshot-facts.json");
    assertThat((long) live.size()).isEqualTo(number(facts, "liveKeys"));
    assertThat(lastRevision).isEqualTo(number(facts, "revision"));
  }

  private static String resourceText(String name) throws IOException {
    try (var in = GoldenSnapshots.class.getResourceAsStream("/io/lifeboat/golden/" + name)) {
      assertThat(in).as("golden resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as("%s in %s", field, json).isTrue();
    return Long.parseLong(m.group(1));
  }
}
