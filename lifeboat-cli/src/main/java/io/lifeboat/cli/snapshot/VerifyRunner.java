package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.UsageException;
import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.SnapshotInspector;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import io.lifeboat.etcd.snapshot.SnapshotStatus;
import io.lifeboat.etcd.snapshot.SnapshotTrailer;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs {@code snapshot verify}. A stored snapshot is read once: its bytes are counted and hashed
 * while they are decrypted and decompressed into a temporary 0600 file, which is then checked like
 * a snapshot file (trailer, every bbolt page, status) and removed. The first failed check ends the
 * run with an {@link IntegrityException} naming it.
 */
public final class VerifyRunner {
  static final String STORED_SIZE = SnapshotDecoder.STORED_SIZE;
  static final String STORED_SHA256 = SnapshotDecoder.STORED_SHA256;
  static final String METADATA = SnapshotDecoder.METADATA;
  static final String DECRYPTION = SnapshotDecoder.DECRYPTION;
  static final String DECOMPRESSION = SnapshotDecoder.DECOMPRESSION;
  static final String TRAILER = "sha256 trailer";
  static final String PAGES = "bbolt pages";
  static final String STATUS = "status";

  /** One check and its result, as printed. */
  record Check(String check, String result) {}

  /** What was checked where: the table and the JSON both print it. */
  record Outcome(String snapshot, String location, List<Check> checks) {}

  private final PrintWriter out;
  private final OutputFormat format;
  private final List<Outcome> outcomes = new ArrayList<>();

  private VerifyRunner(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  public static int run(VerifyRequest request, PrintWriter out) throws IOException {
    if (request.format() == OutputFormat.SIMPLE) {
      throw new UsageException("snapshot verify writes table or json, not simple");
    }
    VerifyRunner runner = new VerifyRunner(out, request.format());
    try {
      runner.verify(request);
    } finally {
      out.flush();
    }
    if (request.format() == OutputFormat.JSON) {
      out.println(runner.json());
      out.flush();
    }
    return ExitCode.OK.code();
  }

  private void verify(VerifyRequest request) throws IOException {
    Path asFile = Path.of(request.snapshot());
    if (Files.isRegularFile(asFile)) {
      verifyFile(asFile, request);
      return;
    }
    SnapshotName name;
    try {
      name = new SnapshotName(request.snapshot());
    } catch (IllegalArgumentException e) {
      throw new NoSuchFileException(request.snapshot(), null, "no such file, and not a snapshot name");
    }
    Optional<EncryptionKey> key = request.keyFile().isPresent()
        ? Optional.of(EncryptionKey.load(request.keyFile().get())) : Optional.empty();
    int found = 0;
    try (StoreLocations locations = StoreLocations.open(request.dir(), request.s3())) {
      for (StoreLocations.Location l : locations.all()) {
        if (l.store().exists(name, ObjectKind.METADATA)) {
          found++;
          verifyStored(name, l, key, tempDirectory(request.dir()));
        }
      }
      if (found == 0) {
        List<String> where = locations.all().stream().map(l -> l.store().location()).toList();
        throw new StoreException(StoreException.Reason.NOT_FOUND, String.format(Locale.ROOT,
            "no snapshot named %s (no %s) in %s, and no such file", name, ObjectKind.METADATA.fileName(name),
            String.join(" or ", where)));
      }
    }
  }

  private void verifyFile(Path file, VerifyRequest request) throws IOException {
    Outcome outcome = begin(file.toString(), "file");
    Compression compression = SnapshotDecoder.detect(file);
    if (compression == Compression.NONE) {
      checkSnapshot(outcome, file, Optional.empty());
      return;
    }
    Path temp = SnapshotDecoder.createTemp(tempDirectory(request.dir()), ".lifeboat-verify-");
    try {
      SnapshotDecoder.decodeFile(checks(outcome), file, compression, temp);
      checkSnapshot(outcome, temp, Optional.empty());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void verifyStored(SnapshotName name, StoreLocations.Location l, Optional<EncryptionKey> key, Path tempDir)
      throws IOException {
    SnapshotStore store = l.store();
    Outcome outcome = begin(name.value(), l.label() + " (" + store.location() + ")");
    SnapshotDecoder.Checks checks = checks(outcome);
    SnapshotDecoder.Stored stored = SnapshotDecoder.prepare(checks, store, name, key);
    Path temp = SnapshotDecoder.createTemp(tempDir, ".lifeboat-verify-");
    try {
      SnapshotDecoder.decode(checks, store, name, stored, key, temp);
      checkSnapshot(outcome, temp, Optional.of(stored.metadata()));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private SnapshotDecoder.Checks checks(Outcome outcome) {
    return new SnapshotDecoder.Checks() {
      @Override
      public void pass(String check, String result) {
        VerifyRunner.this.pass(outcome, check, result);
      }

      @Override
      public IntegrityException fail(String check, String message, Throwable cause) {
        return VerifyRunner.this.fail(outcome, check, message, cause);
      }

      @Override
      public boolean anyFailed() {
        return outcome.checks().stream().anyMatch(c -> c.result().startsWith("FAILED"));
      }
    };
  }

  /** Trailer, pages, status; the status compared with the metadata when there is some. */
  private void checkSnapshot(Outcome outcome, Path file, Optional<SnapshotMetadata> metadata) throws IOException {
    TrailerCheck trailer;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      trailer = SnapshotTrailer.verify(file, channel);
    } catch (CorruptSnapshotException e) {
      throw fail(outcome, TRAILER, e.getMessage(), e);
    }
    pass(outcome, TRAILER, trailer.label());
    SnapshotReport report;
    try {
      report = SnapshotInspector.inspect(file, TrailerPolicy.SKIP);
    } catch (CorruptSnapshotException e) {
      throw fail(outcome, PAGES, e.getMessage(), e);
    }
    pass(outcome, PAGES, "ok: every page reached is well-formed");
    SnapshotStatus s = report.status();
    String status = String.format(Locale.ROOT, "hash %s, revision %d, total keys %d, total size %s",
        Long.toHexString(s.hash()), s.revision(), s.totalKey(), Sizes.human(s.totalSize()));
    if (metadata.isPresent()) {
      SnapshotMetadata.EtcdFacts facts = metadata.get().etcd();
      if (facts.revision() != s.revision() || facts.totalKey() != s.totalKey() || facts.hash() != s.hash()) {
        throw fail(outcome, STATUS, String.format(Locale.ROOT, "the snapshot has %s; the metadata records hash %s,"
            + " revision %d, total keys %d", status, Long.toHexString(facts.hash()), facts.revision(), facts.totalKey()),
            null);
      }
      status += "; matches the metadata";
    }
    pass(outcome, STATUS, "ok: " + status);
    for (String w : report.warnings()) {
      outcome.checks.add(new Check("warning", w));
      if (format == OutputFormat.TABLE) {
        out.println("Warning: " + w);
      }
    }
    if (format == OutputFormat.TABLE) {
      out.println("OK: " + outcome.snapshot() + " passed every check");
    }
  }

  private Outcome begin(String snapshot, String location) {
    Outcome o = new Outcome(snapshot, location, new ArrayList<>());
    outcomes.add(o);
    if (format == OutputFormat.TABLE) {
      out.println("Verifying " + snapshot + " in " + location);
    }
    return o;
  }

  private void pass(Outcome outcome, String check, String result) {
    outcome.checks().add(new Check(check, result));
    if (format == OutputFormat.TABLE) {
      out.println(String.format(Locale.ROOT, "  %-15s %s", check, result));
    }
  }

  private IntegrityException fail(Outcome outcome, String check, String message, Throwable cause) {
    outcome.checks().add(new Check(check, "FAILED"));
    if (format == OutputFormat.TABLE) {
      out.println(String.format(Locale.ROOT, "  %-15s FAILED", check));
      out.flush();
    }
    String text = String.format(Locale.ROOT, "%s in %s: %s check failed: %s", outcome.snapshot(),
        outcome.location(), check, message);
    return cause == null ? new IntegrityException(text) : new IntegrityException(text, cause);
  }

  private String json() {
    List<String> items = new ArrayList<>();
    for (Outcome o : outcomes) {
      List<String> checks = o.checks().stream()
          .map(c -> "{\"check\":" + GoJson.string(c.check()) + ",\"result\":" + GoJson.string(c.result()) + "}")
          .toList();
      items.add("{\"snapshot\":" + GoJson.string(o.snapshot()) + ",\"location\":" + GoJson.string(o.location())
          + ",\"ok\":true,\"checks\":[" + String.join(",", checks) + "]}");
    }
    return "[" + String.join(",", items) + "]";
  }

  private static Path tempDirectory(Path dir) {
    return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : Path.of(System.getProperty("java.io.tmpdir"));
  }
}
