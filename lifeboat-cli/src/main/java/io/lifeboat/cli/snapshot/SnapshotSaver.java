package io.lifeboat.cli.snapshot;

import io.lifeboat.client.EndpointProbe;
import io.lifeboat.client.EtcdClient;
import io.lifeboat.client.EtcdUnavailableException;
import io.lifeboat.client.MemberStatus;
import io.lifeboat.client.SnapshotProgress;
import io.lifeboat.client.SnapshotIntegrityException;
import io.lifeboat.client.SnapshotSourceChoice;
import io.lifeboat.client.StreamedSnapshot;
import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.etcd.snapshot.SnapshotInspector;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import io.lifeboat.etcd.snapshot.TrailerCheck;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import io.lifeboat.repository.MetadataCodec;
import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.local.LocalDirectoryStore;
import io.lifeboat.repository.local.PendingFile;
import io.lifeboat.repository.local.ReplacePolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Takes a snapshot of a live cluster: picks the member to stream from (the leader when healthy),
 * streams into a temporary file while hashing, checks the sha256 trailer and walks the bbolt file,
 * and only then gives it its final name. A member that fails mid-stream is retried on the next
 * healthy one, with backoff, up to the request's attempts.
 */
public final class SnapshotSaver {
  private final Clock clock;
  private final Consumer<String> notices;
  private final LongFunction<SnapshotProgress> progress;

  /**
   * @param notices one-line messages for the operator (the chosen member, each failed attempt)
   * @param progress a progress display for a stream of the given expected size
   */
  public SnapshotSaver(Clock clock, Consumer<String> notices, LongFunction<SnapshotProgress> progress) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notices = Objects.requireNonNull(notices, "notices");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public SaveResult save(SaveRequest request) throws IOException {
    return save(request, new LocalDirectoryStore(request.directory()), Optional.empty());
  }

  /**
   * Saves, and for a named snapshot stores it encoded in {@code local} (the directory of the request)
   * and then uploads the same stored object, metadata last, to {@code upload} when given. An upload
   * failure leaves the local snapshot in place and fails with a {@link SaveFailedException}.
   */
  public SaveResult save(SaveRequest request, SnapshotStore local, Optional<SnapshotStore> upload) throws IOException {
    Instant started = clock.instant();
    try (EtcdClient client = EtcdClient.connect(request.connection())) {
      List<EndpointProbe> probes = client.probeAll();
      for (EndpointProbe p : probes) {
        p.failure().ifPresent(f -> notices.accept("Warning: " + p.endpoint() + ": " + f));
      }
      SnapshotSourceChoice choice = EtcdClient.chooseSource(probes);
      List<MemberStatus> candidates = new ArrayList<>();
      candidates.add(choice.chosen());
      candidates.addAll(choice.fallbacks());
      notices.accept(String.format(Locale.ROOT, "Streaming from member %x at %s (%s)",
          choice.chosen().memberId(), choice.chosen().endpoint(), choice.reason()));

      if (request.file().isPresent()) {
        try (PendingFile pending = PendingFile.create(request.target(), ReplacePolicy.REPLACE_EXISTING)) {
          Streamed streamed = streamWithRetries(client, request, candidates, pending, Optional.empty());
          pending.commit();
          SnapshotMetadata metadata = metadata(request, started, streamed, request.target().getFileName().toString(),
              streamed.size(), streamed.sha256());
          return new SaveResult(pending.target(), Optional.empty(), metadata, streamed.attempts(),
              Duration.between(started, clock.instant()));
        }
      }
      // A named snapshot: the raw stream goes to a temporary file. Stored as it is (neither compressed
      // nor encrypted), that file is committed under the snapshot's name: the bytes are written once.
      // Otherwise it is never committed: it is encoded into the local store as it grows, and deleted.
      SnapshotName name = request.name();
      ObjectKind kind = request.dataKind();
      boolean asStreamed = request.encoding().compression() == Compression.NONE
          && !request.encoding().encryption().encrypted();
      try (PendingFile pending = PendingFile.create(request.directory().resolve(kind.fileName(name)),
              asStreamed ? ReplacePolicy.NEVER_REPLACE : ReplacePolicy.REPLACE_EXISTING);
          StreamingEncoder encoder = new StreamingEncoder(local, name, kind, request.encoding(), request.key())) {
        SnapshotMetadata metadata;
        Streamed streamed;
        if (asStreamed) {
          streamed = streamWithRetries(client, request, candidates, pending, Optional.empty());
          pending.commit();
          metadata = metadata(request, started, streamed, kind.fileName(name), streamed.size(), streamed.sha256());
        } else {
          streamed = streamWithRetries(client, request, candidates, pending, Optional.of(encoder));
          EncodedSource encoded = encoder.finish();
          metadata = metadata(request, started, streamed, kind.fileName(name), encoded.size(), encoded.sha256());
        }
        local.put(name, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(metadata)));
        Path stored = request.target();
        if (upload.isPresent()) {
          SnapshotStore remote = upload.get();
          try {
            upload(remote, name, kind, stored, metadata);
          } catch (IOException e) {
            throw new SaveFailedException(String.format(Locale.ROOT,
                "uploading %s to %s failed: %s; the local snapshot %s stays in place", name, remote.location(),
                e.getMessage(), stored), e);
          }
        }
        return new SaveResult(stored, request.metadataTarget(), metadata, streamed.attempts(),
            Duration.between(started, clock.instant()));
      }
    }
  }

  /**
   * Uploads a stored snapshot to another location: the data object first, the metadata last, so an
   * upload that fails half-way never looks like a complete snapshot there.
   */
  public static void upload(SnapshotStore remote, SnapshotName name, ObjectKind kind, Path stored,
      SnapshotMetadata metadata) throws IOException {
    remote.put(name, kind, ObjectSource.ofFile(stored));
    remote.put(name, ObjectKind.METADATA, ObjectSource.ofBytes(MetadataCodec.encode(metadata)));
  }

  private record Streamed(MemberStatus source, SnapshotReport report, long size, String sha256, List<String> attempts) {}

  /**
   * @param encoder when given, encodes each attempt as it streams, and the raw file is not kept;
   *     else the raw file is kept as it is, and so must be forced to disk
   */
  private Streamed streamWithRetries(EtcdClient client, SaveRequest request, List<MemberStatus> candidates,
      PendingFile pending, Optional<StreamingEncoder> encoder) throws IOException {
    List<String> attempts = new ArrayList<>();
    IOException last = null;
    for (int attempt = 1; attempt <= request.attempts(); attempt++) {
      MemberStatus source = candidates.get((attempt - 1) % candidates.size());
      if (attempt > 1) {
        pause(request.backoff().multipliedBy(1L << Math.min(attempt - 2, 6)));
        pending.truncate();
        notices.accept(String.format(Locale.ROOT, "Attempt %d of %d: streaming from member %x at %s",
            attempt, request.attempts(), source.memberId(), source.endpoint()));
      }
      try {
        WritableByteChannel target = encoder.isPresent() ? encoder.get().start(pending) : pending.channel();
        StreamedSnapshot streamed;
        SnapshotReport report;
        try {
          streamed = client.streamSnapshot(source.endpoint(), target, progress.apply(source.dbSize()));
          // The client checked the trailer as the bytes passed; a walk of every page is the final check.
          // The walk reads the page cache, so it runs while a file kept as it is goes to disk, not after.
          Optional<BackgroundTask> force = encoder.isEmpty()
              ? Optional.of(BackgroundTask.start("lifeboat-force", () -> pending.channel().force(true)))
              : Optional.empty();
          try {
            report = SnapshotInspector.inspect(pending.temporaryPath(), TrailerPolicy.SKIP)
                .withTrailer(TrailerCheck.VALID);
          } finally {
            // Never truncate for a retry, nor commit, before the force has ended; its failure comes first.
            if (force.isPresent()) {
              force.get().join();
            }
          }
        } catch (IOException | RuntimeException | Error e) {
          // Nothing of a failed attempt is stored, and its encoder stops reading before a retry truncates.
          encoder.ifPresent(StreamingEncoder::abandon);
          throw e;
        }
        attempts.add(String.format(Locale.ROOT, "attempt %d: member %x at %s: ok", attempt, source.memberId(),
            source.endpoint()));
        return new Streamed(source, report, streamed.size(), streamed.sha256(), attempts);
      } catch (EtcdUnavailableException | SnapshotIntegrityException | CorruptSnapshotException e) {
        last = e;
        String line = String.format(Locale.ROOT, "attempt %d: member %x at %s: %s", attempt, source.memberId(),
            source.endpoint(), e.getMessage());
        attempts.add(line);
        notices.accept("Warning: " + line);
      }
    }
    String message = String.format(Locale.ROOT, "snapshot failed after %d attempt(s): %s", request.attempts(),
        String.join("; ", attempts));
    if (last instanceof CorruptSnapshotException || last instanceof SnapshotIntegrityException) {
      throw new CorruptSnapshotException(pending.temporaryPath(), message, last);
    }
    throw new SaveFailedException(message, last);
  }

  private SnapshotMetadata metadata(SaveRequest request, Instant started, Streamed s, String file, long size,
      String sha256) {
    MemberStatus m = s.source();
    SnapshotEncoding encoding = request.encoding();
    return new SnapshotMetadata(SnapshotMetadata.FORMAT, request.name().value(), started, file, size, sha256,
        encoding.compression().value(), encoding.encryption().value(),
        new SnapshotMetadata.EtcdFacts(m.endpoint().toString(), Long.toHexString(m.memberId()),
            Long.toHexString(m.clusterId()), m.serverVersion(), s.report().status().revision(),
            s.report().status().totalKey(), s.report().status().hash(), m.dbSize()));
  }

  private static void pause(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
