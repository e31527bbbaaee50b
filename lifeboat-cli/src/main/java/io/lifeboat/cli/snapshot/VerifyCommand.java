package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputOptions;
import io.lifeboat.cli.S3Options;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    description = {
      "Check a snapshot deeply. For a NAME, at every location holding it: the stored size and sha256 against its"
          + " metadata, decryption, decompression, then the sha256 trailer, every bbolt page and the status against"
          + " the metadata. For a FILE: the trailer, every page and the status.",
      "Exit 0 with a summary of each check, or 3 naming the check that failed."
    },
    mixinStandardHelpOptions = true)
public final class VerifyCommand implements Callable<Integer>, OutputOptions.Holder {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME|FILE", description = "A snapshot name in --dir (and S3 with --s3), or a snapshot file.")
  String snapshot;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots; the decoded copy is written there too, 0600, and removed"
          + " afterwards (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--encrypt-key-file", paramLabel = "FILE", defaultValue = "${env:LIFEBOAT_ENCRYPTION_KEY_FILE}",
      description = "Key file of an encrypted snapshot, from `lifeboat key generate` (env LIFEBOAT_ENCRYPTION_KEY_FILE).")
  Path keyFile;

  @Mixin S3Options s3;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    VerifyRequest request = new VerifyRequest(snapshot, dir, s3.config(System.getenv()), Optional.ofNullable(keyFile),
        output.format());
    return VerifyRunner.run(request, spec.commandLine().getOut());
  }

  @Override
  public OutputOptions output() {
    return output;
  }
}
