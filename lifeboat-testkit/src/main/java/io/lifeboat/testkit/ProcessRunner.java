package io.lifeboat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion with a time limit. */
final class ProcessRunner {
  /** Exit code reported for a command killed at its deadline, as coreutils' timeout does. */
  static final int TIMED_OUT = 124;

  private ProcessRunner() {}

  static CommandResult run(Duration timeout, List<String> command, Map<String, String> extraEnv) {
    List<String> commandCopy = List.copyOf(command);
    Path out = null;
    Path err = null;
    try {
      // Output goes to files rather than pipes: no reader threads, and a chatty process can never
      // block on a full pipe.
      out = Files.createTempFile("lifeboat-cmd-", ".out");
      err = Files.createTempFile("lifeboat-cmd-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(commandCopy)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      scrubEtcdEnvironment(builder.environment());
      builder.environment().putAll(extraEnv);
      Process process = builder.start();
      LiveProcesses.register(process);
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } finally {
        LiveProcesses.forget(process);
      }
      // Lenient decoding: etcdctl prints values as raw bytes, which need not be UTF-8.
      String stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
      String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
      if (!finished) {
        return new CommandResult(
            commandCopy,
            TIMED_OUT,
            stdout,
            stderr
                + String.format(
                    Locale.ROOT, "%n[lifeboat-testkit] killed after %s without exiting", timeout));
      }
      return new CommandResult(commandCopy, process.exitValue(), stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", commandCopy), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", commandCopy), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * Removes ETCD_* and ETCDCTL_* variables a developer may have exported: etcd and etcdctl read
   * every flag from them, and a stray ETCDCTL_ENDPOINTS would point a test at a real cluster.
   */
  static void scrubEtcdEnvironment(Map<String, String> environment) {
    environment.keySet().removeIf(name -> name.startsWith("ETCD_") || name.startsWith("ETCDCTL_"));
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temp file is harmless; the command's result matters more than its cleanup.
    }
  }
}
