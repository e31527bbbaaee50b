package io.lifeboat.etcd.restore;

import io.lifeboat.etcd.membership.Member;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore wrote.
 *
 * @param dataDir the new data directory
 * @param walDir where the WAL went
 * @param member this member (its ID is unsigned)
 * @param clusterId the new cluster ID (unsigned)
 * @param members every member of the new cluster, sorted by unsigned ID
 * @param revision the latest revision in the new database (after any bump)
 * @param totalKey rows in the new database, as etcd 3.4/3.5 {@code snapshot status} counts them
 * @param trailer what was known about the snapshot's sha256 trailer
 * @param targetVersion the version written for, never {@link TargetVersion#AUTO}
 * @param versionSource why that version
 * @param versionReason why, in words
 * @param alarmsDropped alarm rows of the old cluster that were not copied
 * @param downgradeReset whether an enabled {@code cluster/downgrade} was reset to disabled
 * @param staleMembersReplaced rows of {@code members} and {@code members_removed} of the old cluster replaced
 * @param movedAside where an existing data or WAL directory was moved ({@code --force})
 * @param notes what the restore changed beyond etcd's own restore, one sentence each
 * @param duration wall time of the restore
 */
public record RestoreResult(Path dataDir, Path walDir, Member member, long clusterId, List<Member> members,
    long revision, long totalKey, TrailerCheck trailer, TargetVersion targetVersion, VersionSource versionSource,
    String versionReason, long alarmsDropped, boolean downgradeReset, long staleMembersReplaced,
    List<Path> movedAside, List<String> notes, Duration duration) {

  public RestoreResult {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(walDir, "walDir");
    Objects.requireNonNull(member, "member");
    members = List.copyOf(members);
    Objects.requireNonNull(trailer, "trailer");
    Objects.requireNonNull(targetVersion, "targetVersion");
    Objects.requireNonNull(versionSource, "versionSource");
    Objects.requireNonNull(versionReason, "versionReason");
    movedAside = List.copyOf(movedAside);
    notes = List.copyOf(notes);
    Objects.requireNonNull(duration, "duration");
  }

}
