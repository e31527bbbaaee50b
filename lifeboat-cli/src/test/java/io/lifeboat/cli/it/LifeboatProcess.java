package io.lifeboat.cli.it;

import io.lifeboat.testkit.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/lifeboat}, the launcher users run, on the shaded jar built in this build. */
final class LifeboatProcess {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private LifeboatProcess() {}

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("bin/lifeboat"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("bin/lifeboat not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static CommandResult run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs with {@code environment} added to a scrubbed environment (no ETCDCTL_* of the caller). */
  static CommandResult run(Map<String, String> environment, String... args) {
    Process process = start(environment, args);
    try {
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("bin/lifeboat " + String.join(" ", args) + " did not finish within " + TIMEOUT);
      }
      return result(process, args);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * {@code bin/lifeboat ARGS} with no input, in a scrubbed environment (none of the caller's
   * ETCDCTL_*, LIFEBOAT_*, AWS_* or Rancher variables) plus {@code environment}.
   */
  static ProcessBuilder builder(Map<String, String> environment, String... args) {
    Path root = repositoryRoot();
    if (!Files.isRegularFile(root.resolve("lifeboat-cli/target/lifeboat.jar"))) {
      throw new AssertionError("lifeboat-cli/target/lifeboat.jar is missing: integration tests run after `package`");
    }
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/lifeboat").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_") || k.startsWith("LIFEBOAT_")
        || k.startsWith("AWS_") || k.equals("EMBEDDED_BACKUPS") || k.startsWith("BACKUP_"));
    builder.environment().putAll(environment);
    return builder;
  }

  /** Starts without waiting; stdout and stderr go to files read by {@link #result}. */
  static Process start(Map<String, String> environment, String... args) {
    try {
      Path out = Files.createTempFile("lifeboat-out", ".txt");
      Path err = Files.createTempFile("lifeboat-err", ".txt");
      Process process = builder(environment, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      OUTPUTS.put(process, new Path[] {out, err});
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  static CommandResult result(Process process, String... args) {
    Path[] files = OUTPUTS.remove(process);
    try {
      String out = Files.readString(files[0], StandardCharsets.UTF_8);
      String err = Files.readString(files[1], StandardCharsets.UTF_8);
      Files.deleteIfExists(files[0]);
      Files.deleteIfExists(files[1]);
      List<String> command = new ArrayList<>(List.of("bin/lifeboat"));
      command.addAll(List.of(args));
      return new CommandResult(command, process.exitValue(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
