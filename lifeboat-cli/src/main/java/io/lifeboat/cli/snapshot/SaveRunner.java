package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.EtcdConnectionOptions;
import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.GoDuration;
import io.lifeboat.cli.LifeboatCommand;
import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.ProgressBar;
import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.UsageException;
import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.client.Secret;
import io.lifeboat.client.SnapshotProgress;
import io.lifeboat.client.TlsSettings;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.codec.CompressionUnavailableException;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.local.LocalDirectoryStore;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Wires {@code snapshot save}: options to a request, the saver, and the output. */
final class SaveRunner {
  private SaveRunner() {}

  static int run(SaveCommand command, CommandSpec spec) throws Exception {
    OutputFormat format = command.output.format();
    if (format == OutputFormat.SIMPLE) {
      throw new UsageException("snapshot save writes table or json, not simple");
    }
    LifeboatCommand root = (LifeboatCommand) spec.root().userObject();
    ConnectionSettings connection = connectionSettings(root.connection());
    SnapshotName name;
    try {
      name = command.name == null ? SnapshotName.defaultAt(Clock.systemUTC().instant()) : new SnapshotName(command.name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--name: " + e.getMessage());
    }
    if (command.file != null && command.name != null) {
      throw new UsageException("give either FILE or --name, not both");
    }
    if (command.attempts < 1 || command.attempts > 100) {
      throw new UsageException("--attempts must be between 1 and 100");
    }
    Optional<S3Config> s3 = command.s3.config(System.getenv());
    Compression compression;
    Optional<EncryptionKey> key = Optional.empty();
    if (command.file != null) {
      if (command.compress != null && !command.compress.equals("none")) {
        throw new UsageException("FILE is written exactly as etcd streams it; --compress needs a named snapshot"
            + " (--dir and --name instead of FILE)");
      }
      if (command.keyFile != null) {
        throw new UsageException("--encrypt-key-file needs a named snapshot (--dir and --name instead of FILE)");
      }
      if (s3.isPresent()) {
        throw new UsageException("--s3 needs a named snapshot (--dir and --name instead of FILE)");
      }
      compression = Compression.NONE;
    } else {
      try {
        compression = command.compress == null ? Compression.DEFAULT : Compression.parse(command.compress);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--compress: " + e.getMessage());
      }
      try {
        // Before streaming: a compression that cannot run would fail only after the whole stream.
        compression.requireAvailable();
      } catch (CompressionUnavailableException e) {
        throw new UsageException(e.getMessage());
      }
      Path keyFile = command.keyFile;
      if (keyFile == null) {
        String env = System.getenv(EncryptionKey.ENV_KEY_FILE);
        keyFile = env == null || env.isBlank() ? null : Path.of(env);
      }
      if (keyFile != null) {
        key = Optional.of(EncryptionKey.load(keyFile));
      }
    }
    requireWritable(command.file != null ? command.file.toAbsolutePath().getParent() : command.dir,
        command.file != null ? "FILE" : "--dir");
    SaveRequest request = new SaveRequest(connection, Optional.ofNullable(command.file), command.dir, name,
        command.attempts, GoDuration.parse("--retry-backoff", command.retryBackoff), compression, key);
    if (request.file().isPresent()) {
      return save(command, spec, format, request, new LocalDirectoryStore(command.dir), Optional.empty());
    }
    try (StoreLocations locations = StoreLocations.open(command.dir, s3)) {
      locations.requireAbsent(name, request.dataKind());
      Optional<SnapshotStore> upload = locations.remotes().stream().map(StoreLocations.Location::store).findFirst();
      return save(command, spec, format, request, locations.local(), upload);
    }
  }

  private static int save(SaveCommand command, CommandSpec spec, OutputFormat format, SaveRequest request,
      SnapshotStore local, Optional<SnapshotStore> upload) throws Exception {

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean terminal = System.console() != null;
    SnapshotSaver saver = new SnapshotSaver(Clock.systemUTC(), line -> {
      err.println(line);
      err.flush();
    }, expected -> {
      if (!terminal) {
        return SnapshotProgress.none();
      }
      ProgressBar bar = new ProgressBar(err, "Saving", expected);
      return bar::update;
    });
    SaveResult result = saver.save(request, local, upload);
    if (terminal) {
      err.print("\r\033[K");
    }
    SnapshotMetadata m = result.metadata();
    if (format == OutputFormat.JSON) {
      out.println(MetadataCodec.toJsonLine(m));
    } else {
      double seconds = Math.max(1e-3, result.elapsed().toNanos() / 1e9);
      out.println(String.format(Locale.ROOT,
          "Saved snapshot %s to %s (%s, revision %d, %d keys, hash %x) from member %s at %s in %.1fs (%.1f MB/s)",
          m.name(), result.file(), Sizes.human(m.size()), m.etcd().revision(), m.etcd().totalKey(), m.etcd().hash(),
          m.etcd().memberId(), m.etcd().endpoint(), seconds, m.size() / 1e6 / seconds));
      if (upload.isPresent()) {
        out.println("Uploaded " + m.file() + " and " + ObjectKind.METADATA.fileName(request.name()) + " to "
            + upload.get().location());
      }
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** Refuses, before connecting to etcd, a target directory that cannot take the snapshot. */
  private static void requireWritable(Path dir, String option) {
    try {
      io.lifeboat.repository.local.PendingFile.requireWritableDirectory(dir);
    } catch (java.io.IOException e) {
      String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
          ? f.getReason() : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      throw new UsageException(String.format(Locale.ROOT, "%s %s: cannot write a snapshot there (%s)", option, dir,
          reason));
    }
  }

  static ConnectionSettings connectionSettings(EtcdConnectionOptions o) throws io.lifeboat.client.ConnectionException {
    TlsSettings tls = new TlsSettings(o.cacert(), o.cert(), o.key(), o.insecureSkipTlsVerify());
    Duration dial = o.dialTimeout();
    Duration command = o.commandTimeout();
    return new ConnectionSettings(ConnectionSettings.parseEndpoints(o.endpoints(), tls), tls, o.user(),
        o.password(System.getenv()).map(Secret::new), dial, command);
  }
}
