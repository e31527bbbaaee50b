package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.Tables;
import io.lifeboat.cli.UsageException;
import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.etcd.membership.MemberIds;
import io.lifeboat.etcd.restore.RestoreProgress;
import io.lifeboat.etcd.restore.RestoreRequest;
import io.lifeboat.etcd.restore.RestoreResult;
import io.lifeboat.etcd.restore.SnapshotRestorer;
import io.lifeboat.etcd.restore.TargetVersion;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.s3.S3Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Wires {@code snapshot restore}: options to a request, the restorer, and the output. */
final class RestoreRunner {
  private RestoreRunner() {}

  static int run(RestoreCommand c, CommandSpec spec) throws IOException {
    OutputFormat format = c.output.format();
    if (format == OutputFormat.SIMPLE) {
      throw new UsageException("snapshot restore writes table or json, not simple");
    }
    Optional<S3Config> s3 = c.s3.config(System.getenv());
    Path dataDir = c.dataDir != null ? c.dataDir : Path.of(c.name + ".etcd");
    Path tempDir = tempDirectory(dataDir);
    Path temp = null;
    try {
      Path source;
      Path asPath = Path.of(c.snapshot);
      if (Files.isRegularFile(asPath)) {
        Compression compression = SnapshotDecoder.detect(asPath);
        if (compression == Compression.NONE) {
          source = asPath;
        } else {
          temp = SnapshotDecoder.createTemp(tempDir, ".lifeboat-restore-");
          SnapshotDecoder.decodeFile(SnapshotDecoder.silent(asPath.toString(), "file"), asPath, compression, temp);
          source = temp;
        }
      } else {
        Optional<StoredRef> stored = findStored(c, s3);
        if (stored.isPresent()) {
          temp = SnapshotDecoder.createTemp(tempDir, ".lifeboat-restore-");
          decodeStored(c, s3, stored.get(), temp);
          source = temp;
        } else {
          source = resolve(c.snapshot, c.dir);
        }
      }
      return restore(c, spec, format, source);
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** A snapshot name whose metadata is in the location labelled {@code label}. */
  private record StoredRef(SnapshotName name, String label) {}

  /** The first location holding {@code <NAME>.json}: --dir, else S3 with --s3; empty when none does. */
  private static Optional<StoredRef> findStored(RestoreCommand c, Optional<S3Config> s3) throws IOException {
    SnapshotName name;
    try {
      name = new SnapshotName(c.snapshot);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try (StoreLocations locations = StoreLocations.open(c.dir, s3)) {
      for (StoreLocations.Location l : locations.all()) {
        if (l.store().exists(name, ObjectKind.METADATA)) {
          return Optional.of(new StoredRef(name, l.label()));
        }
      }
    }
    return Optional.empty();
  }

  /** Fetches, checks (size and sha256 against the metadata) and decodes the stored snapshot into {@code temp}. */
  private static void decodeStored(RestoreCommand c, Optional<S3Config> s3, StoredRef ref, Path temp)
      throws IOException {
    Optional<EncryptionKey> key = c.keyFile == null ? Optional.empty() : Optional.of(EncryptionKey.load(c.keyFile));
    try (StoreLocations locations = StoreLocations.open(c.dir, s3)) {
      StoreLocations.Location l = locations.all().stream().filter(x -> x.label().equals(ref.label())).findFirst()
          .orElseThrow();
      SnapshotStore store = l.store();
      SnapshotDecoder.Checks checks = SnapshotDecoder.silent(ref.name().value(),
          l.label() + " (" + store.location() + ")");
      SnapshotDecoder.Stored stored = SnapshotDecoder.prepare(checks, store, ref.name(), key);
      SnapshotDecoder.decode(checks, store, ref.name(), stored, key, temp);
    }
  }

  /** Beside the data directory (in its parent), else the system's temporary directory. */
  private static Path tempDirectory(Path dataDir) {
    Path parent = dataDir.toAbsolutePath().getParent();
    if (parent != null && Files.isDirectory(parent) && Files.isWritable(parent)) {
      return parent;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static int restore(RestoreCommand c, CommandSpec spec, OutputFormat format, Path source)
      throws IOException {
    RestoreRequest.Builder builder = RestoreRequest.builder(source)
        .name(c.name)
        .initialCluster(c.initialCluster)
        .token(c.initialClusterToken)
        .advertisePeerUrls(c.initialAdvertisePeerUrls)
        .trailerPolicy(c.skipHashCheck ? TrailerPolicy.SKIP : TrailerPolicy.VERIFY)
        .targetVersion(targetVersion(c.etcdVersion))
        .bumpRevision(c.bumpRevision)
        .markCompacted(c.markCompacted)
        .force(c.force);
    if (c.dataDir != null) {
      builder.dataDir(c.dataDir);
    }
    if (c.walDir != null) {
      builder.walDir(c.walDir);
    }
    RestoreRequest request = builder.build();

    PrintWriter err = spec.commandLine().getErr();
    boolean terminal = System.console() != null;
    RestoreProgress progress = terminal ? new RestoreProgress() {
      @Override
      public void rowsCopied(long rows) {
        err.print(String.format(Locale.ROOT, "\rRestoring: %d rows copied ", rows));
        err.flush();
      }
    } : RestoreProgress.none();
    RestoreResult result = new SnapshotRestorer().restore(request, progress);
    if (terminal) {
      err.print("\r\033[K");
    }

    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.JSON) {
      out.println(json(result));
    } else {
      out.print(Tables.render(
          List.of("MEMBER", "MEMBER ID", "CLUSTER ID", "REVISION", "TOTAL KEYS", "ETCD VERSION", "DATA DIR", "TOOK"),
          List.of(List.of(result.member().name(), MemberIds.hex(result.member().id()), MemberIds.hex(result.clusterId()),
              Long.toString(result.revision()), Long.toString(result.totalKey()),
              result.targetVersion().label() + " (" + result.versionSource().name().toLowerCase(Locale.ROOT) + ")",
              result.dataDir().toString(), String.format(Locale.ROOT, "%.1fs", result.duration().toMillis() / 1000.0)))));
      for (String note : result.notes()) {
        out.println("Note: " + note);
      }
      if (c.bumpRevision == 0) {
        err.println("Hint: for Kubernetes, restore with --bump-revision 1000000000 --mark-compacted so clients relist"
            + " instead of serving stale caches.");
      }
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** A path that exists, else a snapshot name in {@code dir} ({@code <dir>/<name>.db}). */
  private static Path resolve(String snapshot, Path dir) throws NoSuchFileException {
    Path asPath = Path.of(snapshot);
    if (Files.exists(asPath)) {
      return asPath;
    }
    try {
      Path named = dir.resolve(new SnapshotName(snapshot).value() + ".db");
      if (Files.exists(named)) {
        return named;
      }
    } catch (IllegalArgumentException e) {
      // Not a valid name either; report the path as given.
    }
    throw new NoSuchFileException(snapshot, null, "no such file, and no snapshot of that name in " + dir);
  }

  private static TargetVersion targetVersion(String value) {
    for (TargetVersion v : TargetVersion.values()) {
      if (v.label().equals(value)) {
        return v;
      }
    }
    throw new UsageException("--etcd-version must be 3.4, 3.5 or auto, not '" + value + "'");
  }

  private static String json(RestoreResult r) {
    List<String> fields = new ArrayList<>();
    fields.add("\"name\":" + GoJson.string(r.member().name()));
    fields.add("\"memberId\":" + GoJson.string(MemberIds.hex(r.member().id())));
    fields.add("\"clusterId\":" + GoJson.string(MemberIds.hex(r.clusterId())));
    fields.add("\"revision\":" + r.revision());
    fields.add("\"totalKey\":" + r.totalKey());
    fields.add("\"etcdVersion\":" + GoJson.string(r.targetVersion().label()));
    fields.add("\"etcdVersionSource\":" + GoJson.string(r.versionSource().name().toLowerCase(Locale.ROOT)));
    fields.add("\"dataDir\":" + GoJson.string(r.dataDir().toString()));
    fields.add("\"walDir\":" + GoJson.string(r.walDir().toString()));
    fields.add("\"sha256Trailer\":" + GoJson.string(r.trailer().name().toLowerCase(Locale.ROOT)));
    fields.add("\"notes\":[" + String.join(",", r.notes().stream().map(GoJson::string).toList()) + "]");
    fields.add("\"durationMillis\":" + r.duration().toMillis());
    return "{" + String.join(",", fields) + "}";
  }
}
