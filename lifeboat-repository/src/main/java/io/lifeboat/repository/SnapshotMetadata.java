package io.lifeboat.repository;

import java.time.Instant;
import java.util.Objects;

/**
 * The {@code <name>.json} beside every stored snapshot (format {@value #FORMAT}). IDs are lowercase
 * hex as etcd prints them in logs and keys ({@code %x}); JSON numbers would lose precision above
 * 2^53 in many readers.
 *
 * @param file the stored object's file name, e.g. {@code etcd-snapshot-2026-11-25T20-00-00Z.db}
 * @param size bytes of the stored object
 * @param sha256 hex SHA-256 of the stored object
 * @param compression {@code none} for now
 * @param encryption {@code none} for now
 * @param etcd what etcd said when the snapshot was taken
 */
public record SnapshotMetadata(
    String format,
    String name,
    Instant createdAt,
    String file,
    long size,
    String sha256,
    String compression,
    String encryption,
    EtcdFacts etcd) {
  public static final String FORMAT = "lifeboat.snapshot/v1";

  public SnapshotMetadata {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(etcd, "etcd");
  }

  /**
   * @param memberId hex member ID of the member streamed from
   * @param clusterId hex cluster ID
   * @param hash the etcdctl status hash of the snapshot (CRC-32C), unsigned decimal as etcdctl prints it
   * @param dbSize the member's reported database size before streaming
   */
  public record EtcdFacts(
      String endpoint,
      String memberId,
      String clusterId,
      String serverVersion,
      long revision,
      long totalKey,
      long hash,
      long dbSize) {
    public EtcdFacts {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(memberId, "memberId");
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(serverVersion, "serverVersion");
    }
  }
}
