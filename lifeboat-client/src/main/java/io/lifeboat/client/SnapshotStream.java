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
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Streams one member's snapshot into a channel with explicit flow control: at most {@link
 * #PREFETCH} messages are requested ahead of the writer, so gRPC stops reading from the socket
 * (and HTTP/2 stops the server) when the writer is slow. A failed write cancels the call at once.
 */
final class SnapshotStream {
  /** Messages requested ahead of the writer; etcd sends 32 KiB chunks. */
  static final int PREFETCH = 32;
  /** Bytes gathered before one write to the channel: fewer system calls for file channels. */
  static final int BATCH = 1 << 20;

  private SnapshotStream() {}

  private static void drain(ByteBuffer batch, WritableByteChannel out) throws IOException {
    batch.flip();
    while (batch.hasRemaining()) {
      out.write(batch);
    }
    batch.clear();
  }

  private record Closed(Status status) {}

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
    long total = 0;
    ByteBuffer batch = ByteBuffer.allocateDirect(BATCH);
    try {
      call.sendMessage(SnapshotRequest.getDefaultInstance());
      call.halfClose();
      call.request(PREFETCH);
      while (true) {
        Object item = queue.take();
        if (item instanceof Closed closed) {
          finished = true;
          if (!closed.status().isOk()) {
            throw failures.translate(
                channel.endpoint(), "snapshot", closed.status().asRuntimeException(), total);
          }
          drain(batch, out);
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
              drain(batch, out);
            }
            int n = Math.min(batch.remaining(), buffer.remaining());
            ByteBuffer slice = buffer.slice();
            slice.limit(n);
            batch.put(slice);
            buffer.position(buffer.position() + n);
          }
        }
        if (queue.isEmpty() || !batch.hasRemaining()) {
          // Nothing more to hand: write what we have so progress reflects bytes on disk.
          drain(batch, out);
          progress.bytes(total);
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
    }
  }
}
