package io.lifeboat.etcd.snapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of a snapshot plus what else one pass over it tells an operator.
 *
 * @param etcdVersion the version etcd recorded in the file: {@code meta/storageVersion} (3.6) or
 *     {@code cluster/clusterVersion} (3.4, 3.5)
 * @param compactRevision {@code meta/finishedCompactRev}, 0 when the store was never compacted
 * @param scheduledCompactRevision {@code meta/scheduledCompactRev}; above the finished one when a
 *     compaction was interrupted
 * @param consistentIndex {@code meta/consistent_index}, 0 when absent
 * @param warnings facts that would hurt a restore, one line each
 */
public record SnapshotReport(
    Path file,
    long fileSize,
    SnapshotStatus status,
    TrailerCheck trailer,
    Optional<String> etcdVersion,
    long compactRevision,
    long scheduledCompactRevision,
    long consistentIndex,
    List<String> warnings) {

  public SnapshotReport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trailer, "trailer");
    Objects.requireNonNull(etcdVersion, "etcdVersion");
    warnings = List.copyOf(warnings);
  }

  /** The same report with a trailer check made elsewhere (for example while the file was streamed). */
  public SnapshotReport withTrailer(TrailerCheck checked) {
    return new SnapshotReport(file, fileSize, status, checked, etcdVersion, compactRevision, scheduledCompactRevision,
        consistentIndex, warnings);
  }
}
