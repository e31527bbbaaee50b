package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.s3.S3Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where snapshots go: always the local directory, and also a bucket when {@code s3} is present.
 *
 * @param dir {@value #DEFAULT_DIR} by default; {@value #RKE_DIR} for an RKE cluster.yml
 * @param compression zstd by default; zip (RKE's layout) for an RKE cluster.yml
 */
public record StorageSettings(
    Path dir, Optional<S3Config> s3, Compression compression, Optional<Path> encryptionKeyFile) {
  public static final String DEFAULT_DIR = "/var/lib/lifeboat/snapshots";
  public static final String RKE_DIR = "/opt/rke/etcd-snapshots";

  public StorageSettings {
    requireNonNull(dir, "dir");
    requireNonNull(s3, "s3");
    requireNonNull(compression, "compression");
    requireNonNull(encryptionKeyFile, "encryptionKeyFile");
  }
}
