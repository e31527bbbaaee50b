package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.S3Options;
import io.lifeboat.cli.UsageException;
import io.lifeboat.repository.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "prune",
    description = {
      "Apply retention to the Lifeboat snapshots in --dir and, with --s3, in the bucket folder; each location on"
          + " its own.",
      "Only snapshots with Lifeboat metadata are considered: files Lifeboat did not write are never deleted, and"
          + " neither is the newest snapshot, however old."
    },
    mixinStandardHelpOptions = true)
public final class PruneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--retention", paramLabel = "N|DURATION|TIERS", required = true,
      description = "A count (5: keep the newest 5), an age as RKE writes it (24h, 72h, 1h30m: keep those created"
          + " within it), or tiers (hourly=24,daily=7,weekly=4,monthly=12: the newest of each of the last 24 hours,"
          + " 7 days, 4 weeks, 12 months, UTC).")
  String retention;

  @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    RetentionPolicy policy;
    try {
      policy = RetentionPolicy.parse(retention);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--retention: " + e.getMessage());
    }
    PruneRequest request = new PruneRequest(dir, s3.config(System.getenv()), policy, dryRun);
    return new PruneRunner(Clock.systemUTC(), spec.commandLine().getOut(), spec.commandLine().getErr())
        .run(request);
  }
}
