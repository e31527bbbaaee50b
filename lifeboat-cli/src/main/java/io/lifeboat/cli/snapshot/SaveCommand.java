package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputOptions;
import io.lifeboat.cli.S3Options;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "save",
    description = {
      "Stream a snapshot from a live cluster, verify it and write it atomically.",
      "With several endpoints the leader is used when healthy, else the healthy member with the highest raft index;"
          + " a member failing mid-stream is retried on the next one. The file is written under a temporary name,"
          + " forced to disk, its sha256 trailer and every bbolt page checked, then renamed into place (mode 0600)."
    },
    mixinStandardHelpOptions = true)
public final class SaveCommand implements Callable<Integer>, OutputOptions.Holder {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "Write exactly this file, like `etcdctl snapshot save FILE` (replacing it). Without it, the snapshot goes into --dir as --name, with <name>.json metadata beside it.")
  Path file;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots, created 0700 if missing (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Snapshot name (default: etcd-snapshot-<UTC yyyy-MM-dd'T'HH-mm-ss'Z'>). Never overwrites an existing snapshot.")
  String name;

  @Option(names = "--compress", paramLabel = "none|gzip|zstd|zip",
      description = "How a named snapshot is stored: <name>.db, <name>.db.gz, <name>.db.zst or RKE's <name>.zip"
          + " (default: zstd for named snapshots; none, the only choice, with FILE).")
  String compress;

  @Option(names = "--encrypt-key-file", paramLabel = "FILE",
      description = "Encrypt a named snapshot (after compression) with this key from `lifeboat key generate`"
          + " (env LIFEBOAT_ENCRYPTION_KEY_FILE). Not with FILE.")
  Path keyFile;

  @Mixin S3Options s3;

  @Mixin OutputOptions output;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "3",
      description = "Streams to try in all, moving to the next healthy member after a failure (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(names = "--retry-backoff", paramLabel = "DURATION", defaultValue = "1s",
      description = "Wait before the second attempt, doubled for each further one (default: ${DEFAULT-VALUE}).")
  String retryBackoff;

  @Override
  public Integer call() throws Exception {
    return SaveRunner.run(this, spec);
  }

  @Override
  public OutputOptions output() {
    return output;
  }
}
