package io.lifeboat.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test walks over a whole file, through the public API only. */
final class Walk {
  private Walk() {}

  /** etcdctl 3.4/3.5 {@code totalKey}: the entries of every top-level bucket. */
  static long countTopLevelBucketEntries(BoltFile db) throws IOException {
    Bucket root = db.root();
    Cursor c = root.cursor();
    long total = 0;
    for (boolean ok = c.first(); ok; ok = c.next()) {
      Cursor inner = root.openBucket(c).cursor();
      for (boolean in = inner.first(); in; in = inner.next()) {
        total++;
      }
    }
    return total;
  }

  static List<String> topLevelNames(BoltFile db) throws IOException {
    List<String> names = new ArrayList<>();
    Cursor c = db.root().cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      names.add(text(c.key()));
    }
    return names;
  }

  static List<String> keys(Bucket b) throws IOException {
    List<String> keys = new ArrayList<>();
    Cursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      keys.add(text(c.key()));
    }
    return keys;
  }

  /** Reads every key and value of every bucket, opening every sub-bucket; returns the number of entries. */
  static long everything(BoltFile db) throws IOException {
    return everything(db.root());
  }

  private static long everything(Bucket b) throws IOException {
    long n = 0;
    Cursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      n += touch(c.key()) + touch(c.value());
      if (c.isBucket()) {
        n += everything(b.openBucket(c));
      }
      n++;
    }
    return n;
  }

  private static int touch(ByteBuffer b) {
    int s = 0;
    while (b.hasRemaining()) {
      s += b.get();
    }
    return s & 1;
  }

  static String text(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return new String(a, StandardCharsets.ISO_8859_1);
  }
}
