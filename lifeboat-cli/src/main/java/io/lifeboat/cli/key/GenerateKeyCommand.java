package io.lifeboat.cli.key;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    description = {
      "Write a new snapshot encryption key (a Tink streaming-AEAD AES256-GCM keyset) to FILE, mode 0600.",
      "An existing file is never replaced. Keep a copy outside the cluster: snapshots encrypted with the key"
          + " cannot be read without it."
    },
    mixinStandardHelpOptions = true)
public final class GenerateKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The key file to create; it must not exist.")
  Path file;

  @Override
  public Integer call() throws Exception {
    return GenerateKeyRunner.run(file, spec.commandLine().getOut());
  }
}
