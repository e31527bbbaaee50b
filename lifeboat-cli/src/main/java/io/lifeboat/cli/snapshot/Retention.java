package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.GoDuration;
import io.lifeboat.cli.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which snapshots {@code snapshot prune} keeps: the newest {@code count}, or those created within
 * {@code maxAge} (RKE's duration form, e.g. {@code 24h}, {@code 72h}). The newest snapshot is
 * always kept, whatever its age.
 */
public sealed interface Retention {
  /** Parses {@code --retention}: a positive integer is a count, anything else a Go duration. */
  static Retention parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    if (t.matches("\\d+")) {
      long n;
      try {
        n = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw new UsageException("--retention " + t + " is too large");
      }
      if (n < 1) {
        throw new UsageException("--retention must keep at least 1 snapshot (or give an age such as 24h)");
      }
      return new Count((int) Math.min(n, Integer.MAX_VALUE));
    }
    Duration d = GoDuration.parse("--retention", t);
    if (d.isZero() || d.isNegative()) {
      throw new UsageException("--retention must be a positive count or a positive age such as 24h");
    }
    return new MaxAge(d);
  }

  /**
   * The snapshots to delete from one location's list (newest first), at time {@code now}; never
   * the first.
   */
  <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now);

  /** Keep the newest {@code keep}. */
  record Count(int keep) implements Retention {
    public Count {
      if (keep < 1) {
        throw new IllegalArgumentException("keep must be at least 1");
      }
    }

    @Override
    public <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now) {
      return newestFirst.size() <= keep ? List.of() : List.copyOf(newestFirst.subList(keep, newestFirst.size()));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "keep the newest %d", keep);
    }
  }

  /** Keep those created at most {@code age} before now (and the newest in any case). */
  record MaxAge(Duration age) implements Retention {
    public MaxAge {
      Objects.requireNonNull(age, "age");
    }

    @Override
    public <T> List<T> expired(List<T> newestFirst, List<Instant> createdAt, Instant now) {
      Instant cutoff = now.minus(age);
      List<T> result = new ArrayList<>();
      for (int i = 1; i < newestFirst.size(); i++) {
        if (createdAt.get(i).isBefore(cutoff)) {
          result.add(newestFirst.get(i));
        }
      }
      return result;
    }

    @Override
    public String toString() {
      return "keep those created within " + age.toString().substring(2).toLowerCase(Locale.ROOT);
    }
  }
}
