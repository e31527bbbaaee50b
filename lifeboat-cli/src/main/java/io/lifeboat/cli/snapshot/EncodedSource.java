package io.lifeboat.cli.snapshot;

import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.StreamCopy;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The stored object of a save: the raw snapshot, compressed then encrypted on a second thread
 * and handed to the store through a pipe, counted and hashed as the store reads it, so the metadata
 * records the size and sha256 of exactly the bytes stored. A failure of the encoder is rethrown to
 * the store at the end of the stream (never a clean, truncated end), so nothing is stored then.
 * One-shot: a store cannot replay it.
 */
final class EncodedSource implements ObjectSource {
  private static final int PIPE = 1 << 20;

  /** Opens the raw snapshot: a finished file, or one still being streamed ({@link GrowingFile}). */
  @FunctionalInterface
  interface Raw {
    InputStream open() throws IOException;
  }

  private final Raw raw;
  private final SnapshotEncoding encoding;
  private final SnapshotName name;
  private final Optional<EncryptionKey> key;
  private final MessageDigest digest;
  private long size;
  private boolean opened;
  private boolean complete;

  EncodedSource(Raw raw, SnapshotEncoding encoding, SnapshotName name, Optional<EncryptionKey> key) {
    this.raw = Objects.requireNonNull(raw, "raw");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.name = Objects.requireNonNull(name, "name");
    this.key = Objects.requireNonNull(key, "key");
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public synchronized InputStream open() throws IOException {
    if (opened) {
      throw new IOException("the encoded snapshot stream was opened twice; it cannot be retried");
    }
    opened = true;
    PipedInputStream in = new PipedInputStream(PIPE);
    PipedOutputStream pipe = new PipedOutputStream(in);
    FutureTask<Void> encoder = new FutureTask<>(() -> {
      try (InputStream source = raw.open();
          OutputStream encoded = encoding.encode(pipe, name, key)) {
        StreamCopy.copy(source, encoded);
      } finally {
        pipe.close();
      }
      return null;
    });
    Thread thread = new Thread(encoder, "lifeboat-encode");
    thread.setDaemon(true);
    thread.start();
    return new Measured(in, encoder);
  }

  @Override
  public OptionalLong length() {
    return OptionalLong.empty();
  }

  @Override
  public boolean replayable() {
    return false;
  }

  /** Bytes of the stored object, once the store has read it to its end. */
  synchronized long size() {
    check();
    return size;
  }

  /** Hex sha256 of the stored object, once the store has read it to its end. */
  synchronized String sha256() {
    check();
    return HexFormat.of().formatHex(digest.digest());
  }

  private void check() {
    if (!complete) {
      throw new IllegalStateException("the encoded snapshot was not read to its end");
    }
  }

  private final class Measured extends FilterInputStream {
    private final FutureTask<Void> encoder;

    Measured(InputStream in, FutureTask<Void> encoder) {
      super(in);
      this.encoder = encoder;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        awaitEncoder();
        synchronized (EncodedSource.this) {
          complete = true;
        }
        return -1;
      }
      synchronized (EncodedSource.this) {
        digest.update(b, off, n);
        size += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return SnapshotDecoder.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() throws IOException {
      in.close(); // an encoder still writing fails at once ("Pipe closed")
      if (!complete) {
        try {
          awaitEncoder();
        } catch (IOException e) {
          // The store stopped reading first; its own failure is the one reported.
        }
      }
    }

    private void awaitEncoder() throws IOException {
      try {
        encoder.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while encoding the snapshot");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof IOException io ? io
            : new IOException("encoding the snapshot failed: " + cause, cause);
      }
    }
  }
}
