package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.S3Options;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "delete",
    aliases = {"rm"},
    description = {
      "Delete snapshots by name from --dir and, with --s3, from the bucket folder.",
      "The metadata goes first, so a half-deleted snapshot never looks complete. A name found nowhere fails the"
          + " command (exit 1) after the other names were deleted."
    },
    mixinStandardHelpOptions = true)
public final class DeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Snapshot names (without extension).")
  List<String> names;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    return DeleteRunner.run(names, dir, s3.config(System.getenv()), spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
