package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputFormat;
import io.lifeboat.repository.s3.S3Config;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** A parsed {@code snapshot verify} command line. */
public record VerifyRequest(String snapshot, Path dir, Optional<S3Config> s3, Optional<Path> keyFile,
    OutputFormat format) {
  public VerifyRequest {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(format, "format");
  }
}
