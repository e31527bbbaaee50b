package io.lifeboat.client;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lifeboat.etcd.snapshot.DigestingChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Streams one member's snapshot into a channel with explicit flow control: at most {@link
 * #PREFETCH} messages are requested ahead of the writer, so gRPC stops reading from the socket
 * (and HTTP/2 stops the server) when the writer is slow. A failed write cancels the call at once.
 *
 * <p>Two threads: the caller takes messages from gRPC and gathers them into {@link #BUFFERS}
 * direct buffers; a writer thread writes and hashes full buffers. Hashing and system calls so no
 * longer delay the next {@code request(1)}. The writer never outlives {@link #copy}: every exit
 * path waits for it, so nothing is written after a failure is reported (a retry truncates the file).
 */
final class SnapshotStream {
  /** Messages requested ahead of the writer; etcd sends 32 KiB chunks. */
  static final int PREFETCH = 32;
  /** Bytes gathered before one hand-off to the writer, and one write to the channel. */
  static final int BATCH = 256 << 10;
  /** Buffers in flight between the two threads: bounds what waits in memory for the writer. */
  static final int BUFFERS = 4;

  private SnapshotStream() {}

  private record Closed(Status status) {}

  /** Posted by the writer when a write failed, so the taker cancels the call at once. */
  private record WriteFailed(Throwable cause) {}

  /** Writes and hashes full buffers in order, on its own thread, then returns them for reuse. */
  private static final class Writer implements Runnable {
    /** Tells the writer to stop; never written. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final WritableByteChannel out;
    private final LinkedBlockingQueue<Object> events;
    private final ArrayBlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread thread;
    private volatile long written;
    private volatile Throwable failure;

    Writer(WritableByteChannel out, LinkedBlockingQueue<Object> events, URI endpoint) {
      this.out = out;
      this.events = events;
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
        events.add(new WriteFailed(t));
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
    LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    ClientCall<SnapshotRequest, SnapshotResponse> call;
    try {
      call = channel.newStreamingCall(MaintenanceGrpc.getSnapshotMethod());
    } catch (StatusRuntimeException e) {
      throw failures.translate(channel.endpoint(), "snapshot", e, -1);
    }
    Writer writer = new Writer(out, queue, channel.endpoint());
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(SnapshotResponse message) {
            queue.add(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            queue.add(new Closed(status));
          }
        },
        new Metadata());
    boolean finished = false;
    boolean writerDone = false;
    long total = 0;
    long reported = -1;
    try {
      writer.start();
      ByteBuffer batch = writer.nextFree();
      call.sendMessage(SnapshotRequest.getDefaultInstance());
      call.halfClose();
      call.request(PREFETCH);
      while (true) {
        Object item = queue.take();
        if (item instanceof WriteFailed) {
          writer.finish();
          throw new IllegalStateException("the snapshot writer failed without an error");
        }
        if (item instanceof Closed closed) {
          finished = true;
          if (!closed.status().isOk()) {
            throw failures.translate(
                channel.endpoint(), "snapshot", closed.status().asRuntimeException(), total);
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
        }
        SnapshotResponse response = (SnapshotResponse) item;
        call.request(1);
        for (ByteBuffer buffer : response.getBlob().asReadOnlyByteBufferList()) {
          total += buffer.remaining();
          while (buffer.hasRemaining()) {
            if (!batch.hasRemaining()) {
              writer.handOff(batch);
              batch = writer.nextFree();
            }
            int n = Math.min(batch.remaining(), buffer.remaining());
            ByteBuffer slice = buffer.slice();
            slice.limit(n);
            batch.put(slice);
            buffer.position(buffer.position() + n);
          }
        }
        long onDisk = writer.written();
        if (onDisk != reported) {
          // What the writer has finished: progress reflects bytes on disk.
          progress.bytes(onDisk);
          reported = onDisk;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("interrupted", e);
      finished = true;
      InterruptedIOException interrupted =
          new InterruptedIOException(
              String.format(
                  Locale.ROOT,
                  "%s: snapshot interrupted after %d bytes",
                  channel.endpoint(),
                  total));
      interrupted.initCause(e);
      throw interrupted;
    } catch (IOException | RuntimeException | Error e) {
      if (!finished) {
        // The writer failed (disk full, closed channel, ...): stop the server streaming now.
        call.cancel("lifeboat: writing the snapshot failed", e);
        finished = true;
      }
      throw e;
    } finally {
      if (!finished) {
        call.cancel("lifeboat: snapshot abandoned", null);
      }
      if (!writerDone) {
        writer.abandon();
      }
    }
  }
}
