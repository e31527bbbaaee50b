package io.lifeboat.client;

import java.util.Objects;

/**
 * A snapshot stream that ended with a valid sha256 trailer.
 *
 * @param size bytes written, trailer included
 * @param sha256 hex SHA-256 of every byte written: the stored file's checksum
 */
public record StreamedSnapshot(long size, String sha256) {
  public StreamedSnapshot {
    Objects.requireNonNull(sha256, "sha256");
  }
}
