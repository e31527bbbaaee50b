package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputFormat;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import java.nio.file.Path;
import java.util.Objects;

/** A parsed {@code snapshot status} command line. */
public record StatusRequest(Path file, OutputFormat format, TrailerPolicy trailerPolicy) {
  public StatusRequest {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(trailerPolicy, "trailerPolicy");
  }
}
