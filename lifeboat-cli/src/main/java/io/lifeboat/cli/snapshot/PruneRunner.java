package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.retention.RetentionPolicy;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Runs {@code snapshot prune}: retention applied to each location independently. */
public final class PruneRunner {
  private final Clock clock;
  private final PrintWriter out;
  private final PrintWriter err;

  public PruneRunner(Clock clock, PrintWriter out, PrintWriter err) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  public int run(PruneRequest request) throws StoreException {
    Instant now = clock.instant();
    try (StoreLocations locations = StoreLocations.open(request.dir(), request.s3())) {
      for (StoreLocations.Location l : locations.all()) {
        prune(l, request, now);
      }
    } finally {
      out.flush();
      err.flush();
    }
    return ExitCode.OK.code();
  }

  private void prune(StoreLocations.Location l, PruneRequest request, Instant now) throws StoreException {
    SnapshotStore store = l.store();
    List<SnapshotCatalog.Entry> entries = SnapshotCatalog.list(store, err::println);
    List<SnapshotCatalog.Entry> expired = expired(entries, request.retention(), now);
    out.println(String.format(Locale.ROOT, "%s (%s): %d snapshots, %s: %d to delete%s", l.label(), store.location(),
        entries.size(), request.retention(), expired.size(), request.dryRun() ? " (dry run)" : ""));
    for (SnapshotCatalog.Entry e : expired) {
      String what = String.format(Locale.ROOT, "%s (created %s) from %s", e.name(),
          e.metadata().createdAt().truncatedTo(ChronoUnit.SECONDS), l.label());
      if (request.dryRun()) {
        out.println("Would delete " + what);
        continue;
      }
      delete(store, e);
      out.println("Deleted " + what);
    }
    if (l.label().equals(StoreLocations.LOCAL)) {
      // Temporary files of saves that were killed are Lifeboat's too, and can be gigabytes each.
      try {
        for (String abandoned : request.dryRun() ? List.<String>of()
            : io.lifeboat.repository.local.PendingFile.deleteAbandoned(request.dir(), now)) {
          out.println("Deleted " + abandoned + ", a temporary file abandoned by a killed save, from " + l.label());
        }
      } catch (java.io.IOException e) {
        err.println("Warning: removing abandoned temporary files from " + request.dir() + " failed: " + e.getMessage());
      }
    }
  }

  /** The entries of one location's catalog (newest first) that {@code policy} lets go at {@code now}. */
  public static List<SnapshotCatalog.Entry> expired(List<SnapshotCatalog.Entry> newestFirst, RetentionPolicy policy,
      Instant now) {
    List<Instant> created = newestFirst.stream().map(e -> e.metadata().createdAt()).toList();
    return policy.expired(newestFirst, created, now);
  }

  /**
   * Deletes one snapshot from a store. Metadata first: an interrupted delete leaves a data object
   * without metadata, never a snapshot that looks complete and is not.
   */
  public static void delete(SnapshotStore store, SnapshotCatalog.Entry e) throws StoreException {
    store.delete(e.name(), ObjectKind.METADATA);
    store.delete(e.name(), e.dataKind());
  }
}
