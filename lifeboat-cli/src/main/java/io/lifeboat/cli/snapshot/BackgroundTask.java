package io.lifeboat.cli.snapshot;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work on a thread of its own that its starter always waits for, even when interrupted (the
 * interrupt is kept for after): a file being forced, or stored, must not outlive the save that
 * started it, or a retry could truncate what it still reads.
 */
final class BackgroundTask {
  @FunctionalInterface
  interface Work {
    void run() throws IOException;
  }

  private final FutureTask<Void> task;

  private BackgroundTask(FutureTask<Void> task) {
    this.task = task;
  }

  static BackgroundTask start(String threadName, Work work) {
    Objects.requireNonNull(work, "work");
    Callable<Void> callable =
        () -> {
          work.run();
          return null;
        };
    FutureTask<Void> task = new FutureTask<>(callable);
    Thread thread = new Thread(task, threadName);
    thread.setDaemon(true);
    thread.start();
    return new BackgroundTask(task);
  }

  /** Waits for the end; throws what the work failed with. */
  void join() throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          task.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the end, whatever it was: for a task already made to fail. */
  void joinQuietly() {
    try {
      join();
    } catch (IOException | RuntimeException e) {
      // The failure that made us give the task up is the one reported.
    }
  }
}
