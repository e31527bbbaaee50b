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
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import java.io.PrintWriter;
import java.nio.file.Files;
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
    SaveRequest request = new SaveRequest(connection, Optional.ofNullable(command.file), command.dir, name,
        command.attempts, GoDuration.parse("--retry-backoff", command.retryBackoff));
    if (request.metadataTarget().isPresent() && Files.exists(request.metadataTarget().get())) {
      throw new UsageException(request.metadataTarget().get() + " already exists; snapshots are never overwritten");
    }

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
    SaveResult result = saver.save(request);
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
    }
    out.flush();
    return ExitCode.OK.code();
  }

  static ConnectionSettings connectionSettings(EtcdConnectionOptions o) throws io.lifeboat.client.ConnectionException {
    TlsSettings tls = new TlsSettings(o.cacert(), o.cert(), o.key(), o.insecureSkipTlsVerify());
    Duration dial = o.dialTimeout();
    Duration command = o.commandTimeout();
    return new ConnectionSettings(ConnectionSettings.parseEndpoints(o.endpoints(), tls), tls, o.user(),
        o.password(System.getenv()).map(Secret::new), dial, command);
  }
}
