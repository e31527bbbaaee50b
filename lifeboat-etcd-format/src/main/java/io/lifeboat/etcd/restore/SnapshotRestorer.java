package io.lifeboat.etcd.restore;

import io.lifeboat.etcd.membership.Member;
import io.lifeboat.etcd.membership.MemberIds;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.SnapshotTrailer;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.etcd.snapshot.TrailerVerification;
import io.lifeboat.etcd.wal.BootstrapWal;
import io.lifeboat.etcd.wal.SnapFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restores an etcd snapshot into a new member data directory that etcd 3.4 or 3.5 boots from,
 * without an etcd binary: {@code member/snap/db} (the snapshot's rows with membership, consistent
 * index and term rewritten), {@code member/wal/} (the bootstrap WAL) and {@code member/snap/*.snap}.
 *
 * <p>The snapshot is checked completely before anything becomes visible: one thread hashes the file
 * for the sha256 trailer while this one walks every bbolt page and streams the rows into the new
 * database inside a temporary sibling directory. Only when both succeeded is the directory renamed
 * into place. A failure deletes the temporary directory; a crash leaves it behind, and the target
 * untouched.
 *
 * <p>Beyond etcd's own restore it drops the old cluster's alarm rows (a stale NOSPACE alarm makes the
 * new cluster refuse writes) and resets an enabled {@code cluster/downgrade} (3.5 refuses to boot
 * with it), and says so in {@link RestoreResult#notes()}.
 */
public final class SnapshotRestorer {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\..*)?");

  private final Clock clock;

  /** Uses the system clock (UTC) to name moved-aside directories. */
  public SnapshotRestorer() {
    this(Clock.systemUTC());
  }

  public SnapshotRestorer(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Restores {@code request.snapshot()} into {@code request.dataDir()}.
   *
   * @throws CorruptSnapshotException when the trailer does not match, is missing under
   *     {@link TrailerPolicy#VERIFY}, or the bbolt image is malformed; nothing is left on disk
   * @throws DataDirExistsException when the data or WAL directory is not empty and {@code force} is off
   * @throws java.nio.file.NoSuchFileException when the snapshot does not exist
   */
  public RestoreResult restore(RestoreRequest request, RestoreProgress progress) throws IOException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(progress, "progress");
    long startNanos = System.nanoTime();
    List<Member> members = request.members();
    Member local = request.member();
    long clusterId = MemberIds.clusterId(members.stream().map(Member::id).toList());

    Path dataDir = request.dataDir().toAbsolutePath().normalize();
    Path walDir = request.walDir().map(w -> w.toAbsolutePath().normalize())
        .orElse(dataDir.resolve("member").resolve("wal"));
    Optional<Path> separateWalDir = walDir.startsWith(dataDir) ? Optional.empty() : Optional.of(walDir);
    if (!request.force()) {
      refuseOccupied(dataDir);
      if (separateWalDir.isPresent()) {
        refuseOccupied(separateWalDir.get());
      }
    }

    Path snapshot = request.snapshot();
    try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.READ)) {
      long size = channel.size();
      progress.started(size);
      boolean hasTrailer = SnapshotTrailer.present(size);
      if (request.trailerPolicy() == TrailerPolicy.VERIFY && !hasTrailer) {
        throw new CorruptSnapshotException(snapshot, String.format(Locale.ROOT,
            "%s: snapshot missing hash but --skip-hash-check=false (the file has no sha256 trailer,"
                + " as a copied member/snap/db; restore it with --skip-hash-check)", snapshot.getFileName()));
      }
      TrailerVerification trailer = TrailerVerification.start(snapshot, channel, request.trailerPolicy());

      List<Path> temporaries = new ArrayList<>();
      try {
        Path tmpData = Placement.createTemporarySibling(dataDir);
        temporaries.add(tmpData);
        Path tmpSnapDir = tmpData.resolve("member").resolve("snap");
        Placement.createPrivateDirectory(tmpSnapDir);
        Path tmpWalDir;
        if (separateWalDir.isPresent()) {
          tmpWalDir = Placement.createTemporarySibling(separateWalDir.get());
          temporaries.add(tmpWalDir);
        } else {
          tmpWalDir = tmpData.resolve(dataDir.relativize(walDir));
          Placement.createPrivateDirectory(tmpWalDir);
        }

        DbRewriter.Outcome copied;
        try {
          copied = new DbRewriter(snapshot, members, request.bumpRevision(), progress)
              .rewrite(tmpSnapDir.resolve("db"));
        } catch (IOException | RuntimeException e) {
          // A damaged file is usually damaged for the trailer too; the trailer says it more plainly.
          trailer.await();
          throw e;
        }
        TrailerCheck check = trailer.await();

        Choice choice = chooseTarget(request.targetVersion(), copied);
        progress.step("writing the WAL and the .snap file");
        BootstrapWal.write(tmpWalDir, local.id(), clusterId, members, choice.version() != TargetVersion.V3_4);
        SnapFiles.writeBootstrap(tmpSnapDir, members);
        for (Path dir : List.of(tmpSnapDir, tmpWalDir, tmpSnapDir.getParent(), tmpData)) {
          Placement.syncDirectory(dir);
        }
        if (separateWalDir.isPresent()) {
          Placement.syncDirectory(tmpWalDir);
        }

        progress.step("moving the new directories into place");
        List<Path> movedAside = new ArrayList<>();
        if (separateWalDir.isPresent()) {
          Placement.moveIntoPlace(tmpWalDir, separateWalDir.get(), request.force(), clock.instant())
              .ifPresent(movedAside::add);
        }
        Placement.moveIntoPlace(tmpData, dataDir, request.force(), clock.instant()).ifPresent(movedAside::add);
        temporaries.clear();

        List<String> notes = notes(copied, movedAside);
        return new RestoreResult(dataDir, walDir, local, clusterId, members, copied.revision(), copied.totalKey(), check, choice.version(),
            choice.source(), choice.reason(), copied.alarmsDropped(), copied.downgradeReset(),
            copied.staleMembers(), movedAside, notes, Duration.ofNanos(System.nanoTime() - startNanos));
      } finally {
        for (Path tmp : temporaries) {
          Placement.deleteQuietly(tmp);
        }
      }
    }
  }

  private static void refuseOccupied(Path dir) throws IOException {
    if (Placement.occupied(dir)) {
      throw new DataDirExistsException(dir);
    }
  }

  private record Choice(TargetVersion version, VersionSource source, String reason) {}

  private static Choice chooseTarget(TargetVersion requested, DbRewriter.Outcome copied) {
    if (requested != TargetVersion.AUTO) {
      return new Choice(requested, VersionSource.FLAG, "requested (--etcd-version " + requested.label() + ")");
    }
    if (copied.storageVersion().isPresent()) {
      String v = copied.storageVersion().get();
      return new Choice(TargetVersion.V3_5, VersionSource.SNAPSHOT, String.format(Locale.ROOT,
          "the snapshot records storage version %s (meta/storageVersion); written in the 3.5 layout, which 3.6 reads",
          truncate(v)));
    }
    if (copied.clusterVersion().isPresent()) {
      String v = copied.clusterVersion().get();
      Matcher m = VERSION.matcher(v);
      if (m.matches()) {
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        TargetVersion target = major == 3 && minor <= 4 ? TargetVersion.V3_4 : TargetVersion.V3_5;
        return new Choice(target, VersionSource.SNAPSHOT, String.format(Locale.ROOT,
            "the snapshot records cluster version %s (cluster/clusterVersion)", truncate(v)));
      }
    }
    return new Choice(TargetVersion.V3_5, VersionSource.DEFAULT,
        "the snapshot records no etcd version; defaulting to 3.5");
  }

  private static List<String> notes(DbRewriter.Outcome copied, List<Path> movedAside) {
    List<String> notes = new ArrayList<>();
    if (copied.alarmsDropped() > 0) {
      notes.add(String.format(Locale.ROOT,
          "dropped %d alarm row(s) of the old cluster's members (a stale NOSPACE alarm would make the new cluster"
              + " refuse writes)", copied.alarmsDropped()));
    }
    if (copied.downgradeReset()) {
      notes.add("reset cluster/downgrade to disabled: the snapshot was taken during a downgrade,"
          + " and etcd 3.5 refuses to boot with one enabled");
    }
    if (copied.staleMembers() > 0) {
      notes.add(String.format(Locale.ROOT,
          "replaced %d membership row(s) of the old cluster (members, members_removed) with the new members",
          copied.staleMembers()));
    }
    for (Path p : movedAside) {
      notes.add("moved the existing directory aside to " + p);
    }
    return notes;
  }

  private static String truncate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 29) + "...";
  }
}
