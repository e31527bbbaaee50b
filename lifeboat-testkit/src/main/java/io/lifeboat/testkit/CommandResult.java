package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * What a finished process printed and how it exited. {@code command} is kept so that failures
 * can say what was run.
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
  public CommandResult {
    command = List.copyOf(requireNonNull(command, "command"));
    requireNonNull(stdout, "stdout");
    requireNonNull(stderr, "stderr");
  }

  /** For results that did not come from a process started here. */
  public CommandResult(int exitCode, String stdout, String stderr) {
    this(List.of(), exitCode, stdout, stderr);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * Returns this result if the process exited with 0.
   *
   * @throws AssertionError with the command, exit code, stderr and stdout otherwise
   */
  public CommandResult requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "command failed with exit code %d: %s%nstderr: %s%nstdout: %s",
              exitCode,
              String.join(" ", command),
              truncate(stderr),
              truncate(stdout)));
    }
    return this;
  }

  /** stdout and stderr together, for assertions that do not care which stream a message used. */
  public String output() {
    return stdout + stderr;
  }

  static String truncate(String text) {
    int limit = 4000;
    String trimmed = text.strip();
    return trimmed.length() <= limit
        ? trimmed
        : trimmed.substring(0, limit) + "... (" + (trimmed.length() - limit) + " more chars)";
  }
}
