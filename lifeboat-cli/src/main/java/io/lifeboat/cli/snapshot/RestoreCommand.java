package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputOptions;
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
    name = "restore",
    description = {
      "Restore a snapshot into a new data directory that etcd 3.4 or 3.5 boots from, in pure Java (no etcd binary).",
      "Same flags and defaults as `etcdctl snapshot restore`: run it once per member with the same FILE,"
          + " --initial-cluster and --initial-cluster-token, and each member's own --name and peer URLs.",
      "The whole snapshot is checked (sha256 trailer, every bbolt page) before anything is placed; the output is"
          + " written beside the target and renamed into place only when complete.",
      "For Kubernetes, restore with --bump-revision 1000000000 --mark-compacted so that watches and informers see"
          + " the revision jump forward and relist, instead of serving stale caches."
    },
    mixinStandardHelpOptions = true)
public final class RestoreCommand implements Callable<Integer>, OutputOptions.Holder {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE|NAME",
      description = "The snapshot file (raw, or gzip/zstd/zip by its magic bytes), or the name of a snapshot in --dir,"
          + " else in S3 with --s3.")
  String snapshot;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:LIFEBOAT_SNAPSHOT_DIR:-.}",
      description = "Directory of named snapshots, used when FILE|NAME is a name (env LIFEBOAT_SNAPSHOT_DIR; default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Path to the data directory to create (default: <name>.etcd).")
  Path dataDir;

  @Option(names = "--wal-dir", paramLabel = "DIR",
      description = "Path to a dedicated WAL directory (default: <data-dir>/member/wal).")
  Path walDir;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "default",
      description = "Human-readable name of this member (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--initial-cluster", paramLabel = "NAME=URL,...", defaultValue = "default=http://localhost:2380",
      description = "Every member of the restored cluster with its peer URLs (default: ${DEFAULT-VALUE}).")
  String initialCluster;

  @Option(names = "--initial-cluster-token", paramLabel = "TOKEN", defaultValue = "etcd-cluster",
      description = "Token of the restored cluster; member and cluster IDs derive from it (default: ${DEFAULT-VALUE}).")
  String initialClusterToken;

  @Option(names = "--initial-advertise-peer-urls", paramLabel = "URL,...", split = ",", defaultValue = "http://localhost:2380",
      description = "This member's peer URLs, as listed in --initial-cluster (default: ${DEFAULT-VALUE}).")
  List<String> initialAdvertisePeerUrls;

  @Option(names = "--skip-hash-check",
      description = "Do not require or check the sha256 trailer (needed for a db file copied from a data directory).")
  boolean skipHashCheck;

  @Option(names = "--etcd-version", paramLabel = "VERSION", defaultValue = "auto",
      description = "Write for etcd 3.4 or 3.5; auto takes the version recorded in the snapshot, else 3.5 (default: ${DEFAULT-VALUE}).")
  String etcdVersion;

  @Option(names = "--bump-revision", paramLabel = "N", defaultValue = "0",
      description = "Add N to the latest revision, as etcd 3.5's etcdutl does; needs --mark-compacted (default: ${DEFAULT-VALUE}).")
  long bumpRevision;

  @Option(names = "--mark-compacted",
      description = "Mark the bumped revision compacted, so clients' watches below it end and they relist.")
  boolean markCompacted;

  @Option(names = "--force",
      description = "Move an existing non-empty data directory aside to <dir>.lifeboat-backup-<time> instead of refusing. Nothing is deleted.")
  boolean force;

  @Option(names = "--encrypt-key-file", paramLabel = "FILE", defaultValue = "${env:LIFEBOAT_ENCRYPTION_KEY_FILE}",
      description = "Key file of an encrypted snapshot, from `lifeboat key generate` (env LIFEBOAT_ENCRYPTION_KEY_FILE).")
  Path keyFile;

  @Mixin S3Options s3;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    return RestoreRunner.run(this, spec);
  }

  @Override
  public OutputOptions output() {
    return output;
  }
}
