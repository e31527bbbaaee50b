package io.lifeboat.client;

import io.lifeboat.etcd.snapshot.DigestingChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Streams one member's snapshot into a channel with flow control: the caller reads the socket
 * only when a buffer is free, so when the writer is slow HTTP/2's window (at most {@link
 * io.lifeboat.client.http2.Http2Connection#WINDOW} ahead) stops the server. A failed write
 * cancels the call at the next buffer.
 *
 * <p>Two threads: the caller reads messages and gathers them into {@link #BUFFERS} direct
 * buffers; a writer thread writes and hashes full buffers, so hashing and system calls do not
 * delay reading. The writer never outlives {@link #copy}: every exit path waits for it, so nothing
 * is written after a failure is reported (a retry truncates the file).
 */
final class SnapshotStream {
  /** Bytes gathered before one hand-off to the writer, and one write to the channel. */
  static final int BATCH = 256 << 10;
  /** Buffers in flight between the two threads: bounds what waits in memory for the writer. */
  static final int BUFFERS = 4;

  private SnapshotStream() {}

  /** Writes and hashes full buffers in order, on its own thread, then returns them for reuse. */
  private static final class Writer implements Runnable {
    /** Tells the writer to stop; never written. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final WritableByteChannel out;
    private final ArrayBlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread thread;
    private volatile long written;
    private volatile Throwable failure;

    Writer(WritableByteChannel out, URI endpoint) {
      this.out = out;
      for (int i = 0; i < BUFFERS; i++) {
        free.add(ByteBuffer.allocateDirect(BATCH));
      }
      thread = new Thread(this, "lifeboat-snapshot-writer " + endpoint);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    @Override
    public void run() {
      try {
        while (true) {
          ByteBuffer batch = takeUninterruptibly(full);
          if (batch == END) {
            return;
          }
          batch.flip();
          long n = batch.remaining();
          while (batch.hasRemaining()) {
            out.write(batch);
          }
          batch.clear();
          written += n;
          free.add(batch);
        }
      } catch (Throwable t) {
        failure = t;
        free.add(END);
      }
    }

    /** The next empty buffer; fails with the writer's error if it stopped on one. */
    ByteBuffer nextFree() throws IOException, InterruptedException {
      ByteBuffer batch = free.take();
      if (batch == END) {
        free.add(END);
        throw rethrow(failure);
      }
      return batch;
    }

    void handOff(ByteBuffer batch) throws InterruptedException {
      full.put(batch);
    }

    long written() {
      return written;
    }

    /** Waits until everything handed off is written; throws what the writer failed with. */
    void finish() throws IOException {
      stop();
      Throwable t = failure;
      if (t != null) {
        throw rethrow(t);
      }
    }

    /** Lets the writer end after the buffers already handed off and waits for it. */
    void stop() {
      boolean interrupted = false;
      while (thread.isAlive()) {
        if (full.offer(END)) {
          break;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Stops after the write in progress, dropping what was handed off: the copy has failed. */
    void abandon() {
      full.clear();
      stop();
    }

    private static ByteBuffer takeUninterruptibly(ArrayBlockingQueue<ByteBuffer> queue) {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return queue.take();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static IOException rethrow(Throwable t) throws IOException {
      if (t instanceof IOException e) {
        throw e;
      }
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IOException(t);
    }
  }

  static StreamedSnapshot copy(
      EndpointChannel channel,
      Failures failures,
      WritableByteChannel target,
      SnapshotProgress progress)
      throws IOException {
    // Hashes what is written: the trailer is checked, and the file's checksum known, at the end.
    DigestingChannel out = new DigestingChannel(target);
    EndpointChannel.StreamingCall call;
    try {
      call = channel.stream(EtcdMessages.SNAPSHOT, EtcdMessages.EMPTY_REQUEST);
    } catch (GrpcException e) {
      throw failure(channel, failures, e, 0);
    }
    Writer writer = new Writer(out, channel.endpoint());
    boolean writerDone = false;
    long total = 0;
    long reported = -1;
    // Closing the call cancels it unless it ended in good order: a failed write stops the member.
    try (call) {
      writer.start();
      ByteBuffer batch = writer.nextFree();
      while (true) {
        Optional<ByteBuffer> message;
        ByteBuffer blob;
        try {
          message = call.next();
          if (message.isEmpty()) {
            break;
          }
          blob = EtcdMessages.blob(message.get());
        } catch (GrpcException e) {
          throw failure(channel, failures, e, total);
        }
        total += blob.remaining();
        while (blob.hasRemaining()) {
          if (!batch.hasRemaining()) {
            writer.handOff(batch);
            batch = writer.nextFree();
          }
          int n = Math.min(batch.remaining(), blob.remaining());
          ByteBuffer slice = blob.slice();
          slice.limit(n);
          batch.put(slice);
          blob.position(blob.position() + n);
        }
        long onDisk = writer.written();
        if (onDisk != reported) {
          // What the writer has finished: progress reflects bytes on disk.
          progress.bytes(onDisk);
          reported = onDisk;
        }
      }
      writer.handOff(batch);
      writer.finish();
      writerDone = true;
      progress.bytes(total);
      if (!out.trailerMatches()) {
        throw new SnapshotIntegrityException(
            String.format(
                Locale.ROOT,
                "%s: snapshot stream of %d bytes does not end with a valid sha256 trailer; the"
                    + " data is incomplete or corrupt, take the snapshot again",
                channel.endpoint(),
                total));
      }
      return new StreamedSnapshot(total, HexFormat.of().formatHex(out.fileDigest()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(channel, total, e);
    } finally {
      if (!writerDone) {
        writer.abandon();
      }
    }
  }

  private static IOException failure(
      EndpointChannel channel, Failures failures, GrpcException e, long total) {
    // EndpointChannel gives an interrupt, and only an interrupt, the code CANCELLED with its cause.
    if (e.code() == GrpcCode.CANCELLED && e.getCause() instanceof InterruptedIOException cause) {
      return interrupted(channel, total, cause);
    }
    return failures.translate(channel.endpoint(), "snapshot", e, total > 0 ? total : -1);
  }

  private static InterruptedIOException interrupted(
      EndpointChannel channel, long total, Exception cause) {
    InterruptedIOException interrupted =
        new InterruptedIOException(
            String.format(
                Locale.ROOT, "%s: snapshot interrupted after %d bytes", channel.endpoint(), total));
    interrupted.initCause(cause);
    return interrupted;
  }
}
