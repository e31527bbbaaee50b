package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.repository.local.PendingFile;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores a named snapshot compressed (and encrypted) while the member still streams it: each
 * attempt's raw file is read as it grows ({@link GrowingFile}) by an encoder whose output the
 * store writes. The store can only finish after {@link #finish()}, which the saver calls once the
 * stream passed its checks; a failed attempt is abandoned, and the store keeps nothing of it.
 */
final class StreamingEncoder implements AutoCloseable {
  private final SnapshotStore store;
  private final SnapshotName name;
  private final ObjectKind kind;
  private final SnapshotEncoding encoding;
  private final Optional<EncryptionKey> key;
  private Optional<Attempt> current = Optional.empty();

  private record Attempt(GrowingFile raw, EncodedSource encoded, BackgroundTask put) {}

  StreamingEncoder(
      SnapshotStore store,
      SnapshotName name,
      ObjectKind kind,
      SnapshotEncoding encoding,
      Optional<EncryptionKey> key) {
    this.store = Objects.requireNonNull(store, "store");
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Starts encoding and storing an attempt; the stream is to be written into the channel returned. */
  WritableByteChannel start(PendingFile pending) {
    if (current.isPresent()) {
      throw new IllegalStateException("the previous attempt was neither finished nor abandoned");
    }
    GrowingFile raw = new GrowingFile(pending.temporaryPath());
    EncodedSource encoded = new EncodedSource(raw::open, encoding, name, key);
    BackgroundTask put = BackgroundTask.start("lifeboat-store", () -> store.put(name, kind, encoded));
    current = Optional.of(new Attempt(raw, encoded, put));
    return raw.tracking(pending.channel());
  }

  /** The attempt failed: its encoding ends in an error, so the store keeps nothing; waits for it. */
  void abandon() {
    current.ifPresent(
        attempt -> {
          attempt.raw().abandon();
          attempt.put().joinQuietly();
        });
    current = Optional.empty();
  }

  /** The stream is whole and checked: lets the encoder reach its end and waits for the store. */
  EncodedSource finish() throws IOException {
    Attempt attempt = current.orElseThrow(() -> new IllegalStateException("no attempt started"));
    current = Optional.empty();
    attempt.raw().end();
    attempt.put().join();
    return attempt.encoded();
  }

  @Override
  public void close() {
    abandon();
  }
}
