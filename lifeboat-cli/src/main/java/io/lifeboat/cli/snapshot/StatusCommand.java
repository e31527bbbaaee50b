package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputOptions;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    description = {
      "Print a snapshot's hash, revision, total keys and total size, exactly as `etcdctl snapshot status` does,"
          + " plus its sha256 trailer check, the etcd version recorded in it and its compacted revision.",
      "Reads the file in pure Java; every bbolt page reached is checked."
    },
    mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer>, OutputOptions.Holder {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file (as written by `etcdctl snapshot save` or Lifeboat).")
  Path file;

  @Mixin OutputOptions output;

  @Option(names = "--skip-hash-check",
      description = "Do not check the sha256 trailer: exactly etcdctl's work. By default a trailer that does not match fails with exit code 3.")
  boolean skipHashCheck;

  @Override
  public Integer call() throws Exception {
    StatusRequest request = new StatusRequest(file, output.format(),
        skipHashCheck ? TrailerPolicy.SKIP : TrailerPolicy.VERIFY);
    return StatusRunner.run(request, spec.commandLine().getOut());
  }

  /** The output format this invocation asked for, so failures can be reported in it. */
  @Override
  public OutputOptions output() {
    return output;
  }
}
