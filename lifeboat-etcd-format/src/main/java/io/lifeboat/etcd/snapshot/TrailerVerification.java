package io.lifeboat.etcd.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A sha256 trailer check running on its own daemon thread while the caller walks the same file:
 * hashing is sequential and the walk is not, so on two cores they overlap, and the sequential read
 * also warms the page cache for the walk.
 */
public final class TrailerVerification {
  private final CompletableFuture<TrailerCheck> result;
  private final boolean readsFile;

  private TrailerVerification(CompletableFuture<TrailerCheck> result, boolean readsFile) {
    this.result = result;
    this.readsFile = readsFile;
  }

  /**
   * Starts checking when the policy asks for it and the file has a trailer; otherwise the outcome
   * is known at once ({@link TrailerCheck#SKIPPED} or {@link TrailerCheck#ABSENT}).
   */
  public static TrailerVerification start(Path file, FileChannel channel, TrailerPolicy policy) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(channel, "channel");
    boolean hasTrailer = SnapshotTrailer.present(channel.size());
    if (policy == TrailerPolicy.SKIP || !hasTrailer) {
      return new TrailerVerification(
          CompletableFuture.completedFuture(hasTrailer ? TrailerCheck.SKIPPED : TrailerCheck.ABSENT), false);
    }
    CompletableFuture<TrailerCheck> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(SnapshotTrailer.verify(file, channel));
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "lifeboat-sha256");
    thread.setDaemon(true);
    thread.start();
    return new TrailerVerification(result, true);
  }

  /** Whether the check reads the whole file (so nothing else needs to read it ahead). */
  public boolean readsFile() {
    return readsFile;
  }

  /**
   * Waits for the outcome.
   *
   * @throws CorruptSnapshotException when the trailer does not match
   */
  public TrailerCheck await() throws IOException {
    try {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
