package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputOptions;
import io.lifeboat.cli.S3Options;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "ls",
    aliases = {"list"},
    description = {
      "List the Lifeboat snapshots in --dir and, with --s3, in the bucket folder, newest first.",
      "A snapshot is a <name>.json of format lifeboat.snapshot/v1 plus its data object; other files, temporary"
          + " files and data objects without metadata (interrupted saves) are not listed."
    },
    mixinStandardHelpOptions = true)
public final class ListCommand implements Callable<Integer>, OutputOptions.Holder {
  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Mixin S3Options s3;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    return ListRunner.run(dir, s3.config(System.getenv()), output.format(), spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  @Override
  public OutputOptions output() {
    return output;
  }
}
