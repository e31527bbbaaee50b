package io.lifeboat.bbolt;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.golden.GoldenSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the golden etcd snapshots: every mutated file must either read completely or fail with a
 * {@link CorruptFileException} naming the file, within a time bound. Rerun a failure with the printed seed.
 */
class CorruptionFuzzTest {
  private static final long SEED = Long.getLong("lifeboat.fuzz.seed", 0x5EED_B017L);
  private static final int CASES = Integer.getInteger("lifeboat.fuzz.cases", 6000);
  private static final long CASE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int P = 4096;

  @TempDir
  Path dir;

  private enum Mutation {
    BIT_FLIP, BIT_FLIPS_IN_HEADERS, MULTI_BIT_FLIP, BYTE_RUN, TRUNCATE, HEADER_FIELD, META_FIELD_RESEALED,
    ELEMENT_FIELD
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void walk_mutatedSnapshots_readOrFailWithCorruptFileException() throws Exception {
    List<String> names = GoldenSnapshots.names();
    byte[][] originals = new byte[names.size()][];
    int[][] live = new int[names.size()][];
    for (int i = 0; i < names.size(); i++) {
      originals[i] = GoldenSnapshots.bytes(names.get(i));
      live[i] = livePages(GoldenSnapshots.copyTo(names.get(i), dir));
    }
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    long start = System.nanoTime();
    for (int c = 0; c < CASES; c++) {
      // Small files are cheap: weight them, but keep the paged k8s files in every fifth case or so.
      int which = random.nextInt(100) < 30 ? (random.nextBoolean() ? 2 : 3) : new int[] {0, 1, 4}[random.nextInt(3)];
      String name = names.get(which);
      Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
      byte[] mutated = mutate(originals[which], live[which], m, random);
      Path file = Files.write(dir.resolve("case-" + (c % 8) + "-" + name + ".db"), mutated);
      String where = String.format("seed 0x%x case %d (%s on %s)", SEED, c, m, name);
      long t0 = System.nanoTime();
      String outcome;
      try (BoltFile db = BoltFile.open(file)) {
        Walk.everything(db);
        outcome = "read";
      } catch (CorruptFileException e) {
        assertThat(e.getMessage()).as(where).startsWith(file.getFileName() + ": ").doesNotContain("\n");
        // A wrapped runtime exception is allowed, but means a check is missing: count it apart.
        outcome = e.getMessage().contains(": unexpected ") ? "corrupt-unchecked" : "corrupt";
        if (System.getProperty("lifeboat.fuzz.verbose") != null) {
          System.out.println(where + ": " + e.getMessage());
        }
      } catch (Throwable t) {
        throw new AssertionError("unexpected " + t + " at " + where, t);
      }
      long took = System.nanoTime() - t0;
      assertThat(took).as("time for %s", where).isLessThan(CASE_LIMIT_NANOS);
      outcomes.merge(m + "/" + outcome, 1, Integer::sum);
    }
    System.out.printf("CorruptionFuzzTest: seed 0x%x, %d cases in %d ms: %s%n", SEED, CASES,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes);
    assertThat(outcomes.keySet()).anyMatch(k -> k.endsWith("/corrupt")).noneMatch(k -> k.endsWith("/corrupt-unchecked")).anyMatch(k -> k.endsWith("/read"));
  }

  private static byte[] mutate(byte[] original, int[] live, Mutation m, Random r) {
    byte[] b = original.clone();
    int pages = b.length / P;
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (m) {
      case BIT_FLIP -> flip(b, r.nextInt(b.length), r);
      case BIT_FLIPS_IN_HEADERS -> {
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          int page = r.nextInt(4) == 0 ? r.nextInt(2) : livePage(live, pages, r);
          // Page header (16), meta (64) or the first elements' headers.
          int within = r.nextBoolean() ? r.nextInt(16) : r.nextInt(16 + 16 * 8);
          flip(b, page * P + within, r);
        }
      }
      case MULTI_BIT_FLIP -> {
        int n = 2 + r.nextInt(15);
        for (int i = 0; i < n; i++) {
          flip(b, r.nextInt(b.length), r);
        }
      }
      case BYTE_RUN -> {
        int len = 1 + r.nextInt(r.nextBoolean() ? 8 : 200);
        int at = r.nextBoolean() ? livePage(live, pages, r) * P + r.nextInt(64) : r.nextInt(b.length);
        int kind = r.nextInt(3);
        for (int i = at; i < Math.min(b.length, at + len); i++) {
          b[i] = kind == 0 ? 0 : kind == 1 ? (byte) 0xFF : (byte) r.nextInt(256);
        }
      }
      case TRUNCATE -> {
        return Arrays.copyOf(b, r.nextBoolean() ? r.nextInt(b.length) : Math.max(0, b.length - r.nextInt(3 * P)));
      }
      case HEADER_FIELD -> {
        int at = livePage(live, pages, r) * P;
        switch (r.nextInt(4)) {
          case 0 -> le.putShort(at + 10, (short) pick(r, 0, 1, 0xFFFF, r.nextInt(65536), (le.getShort(at + 10) & 0xFFFF) + 1));
          case 1 -> le.putInt(at + 12, pick(r, 1, 2, 1000, 0x7FFFFFFF, -1, r.nextInt(pages)));
          case 2 -> le.putShort(at + 8, (short) pick(r, 0, 0x01, 0x02, 0x04, 0x10, 0x03, r.nextInt(65536)));
          default -> le.putLong(at, pick(r, 0, 1, r.nextInt(pages), pages + 5, -1));
        }
      }
      case META_FIELD_RESEALED -> {
        // Change a meta field and fix the checksum, so the reader has to follow it.
        int meta = r.nextInt(2);
        int at = meta * P + 16;
        boolean both = r.nextBoolean();
        switch (r.nextInt(4)) {
          case 0 -> le.putLong(at + 16, 2 + r.nextInt(pages - 2));
          case 1 -> le.putLong(at + 16, pick(r, 0, 1, pages, -1, r.nextInt()));
          case 2 -> le.putLong(at + 40, pick(r, 0, 3, pages - 1, pages + 1, -1, r.nextInt()));
          default -> le.putInt(at + 8, pick(r, 512, 1024, 8192, 65536, 3000, 0));
        }
        if (both) {
          System.arraycopy(b, at, b, (1 - meta) * P + 16, 48);
          TestBoltBuilder.resealMeta(b, 1 - meta, P);
        }
        TestBoltBuilder.resealMeta(b, meta, P);
      }
      case ELEMENT_FIELD -> {
        int at = livePage(live, pages, r) * P;
        int count = le.getShort(at + 10) & 0xFFFF;
        int e = at + 16 + 16 * r.nextInt(Math.max(1, Math.min(count, 250)));
        int field = 4 * r.nextInt(4);
        if (e + field + 8 <= b.length) {
          if (field == 8 && r.nextBoolean()) {
            le.putLong(e + 8, pick(r, 0, 1, 2, r.nextInt(pages), pages, -1));
          } else {
            le.putInt(e + field, pick(r, 0, 1, -1, 0x7FFFFFFF, r.nextInt(P), le.getInt(e + field) + 1,
                le.getInt(e + field) - 1, r.nextInt(4 * P)));
          }
        }
      }
      default -> throw new IllegalStateException(m.toString());
    }
    return b;
  }

  /** A page reachable from the root in the unmutated file, mostly; sometimes any page. */
  private static int livePage(int[] live, int pages, Random r) {
    return r.nextInt(5) == 0 ? 2 + r.nextInt(pages - 2) : live[r.nextInt(live.length)];
  }

  /** The pages reachable from the root: branch and leaf pages of every paged bucket. */
  private static int[] livePages(Path file) throws Exception {
    java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
    java.util.List<Integer> seen = new java.util.ArrayList<>();
    try (BoltFile db = BoltFile.open(file)) {
      todo.add(db.meta().rootPageId());
      Page p = new Page(P);
      while (!todo.isEmpty()) {
        long id = todo.poll();
        db.load(id, p);
        seen.add((int) id);
        for (int i = 0; i < p.count; i++) {
          if (!p.isLeaf()) {
            todo.add(p.childPgid(i));
          } else if (p.isBucketEntry(i) && p.buffer().getLong(p.valueOffset(i)) != 0) {
            todo.add(p.buffer().getLong(p.valueOffset(i)));
          }
        }
      }
    }
    return seen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void flip(byte[] b, int at, Random r) {
    b[at] ^= (byte) (1 << r.nextInt(8));
  }

  private static int pick(Random r, int... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static long pick(Random r, long... choices) {
    return choices[r.nextInt(choices.length)];
  }
}
