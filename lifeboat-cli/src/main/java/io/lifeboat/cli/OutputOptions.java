package io.lifeboat.cli;

import picocli.CommandLine.Option;

/** {@code -w/--write-out}, with etcdctl's name; the format failures are reported in as well. */
public final class OutputOptions {
  @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: table, json or simple where the command supports it (default: ${DEFAULT-VALUE}).")
  String writeOut;

  /** The requested format; a usage error if it is not one of table, json, simple. */
  public OutputFormat format() {
    return OutputFormat.parse(writeOut);
  }

  /** The requested format, or table when it is not valid (for reporting that very error). */
  public OutputFormat formatForErrors() {
    try {
      return format();
    } catch (UsageException e) {
      return OutputFormat.TABLE;
    }
  }

  /** A command with output options; failures are printed in its format. */
  public interface Holder {
    OutputOptions output();
  }
}
