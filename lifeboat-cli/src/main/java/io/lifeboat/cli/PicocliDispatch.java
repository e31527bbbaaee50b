package io.lifeboat.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Runs every command through picocli, with Lifeboat's usage errors and failure reporting. */
final class PicocliDispatch {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean debug;

  PicocliDispatch(PrintStream out, PrintStream err, boolean debug) {
    this.out = out;
    this.err = err;
    this.debug = debug;
  }

  int execute(String[] argv) {
    CommandLine cli = new CommandLine(new LifeboatCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(this::usageError);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      OutputFormat format = commandLine.getCommand() instanceof OutputOptions.Holder h
          ? h.output().formatForErrors() : OutputFormat.TABLE;
      if (debug) {
        e.printStackTrace(err);
      }
      return Messages.report(e, format, out, err);
    });
    return cli.execute(argv);
  }

  private int usageError(ParameterException e, String[] args) {
    err.println("Error: " + Messages.describe(e));
    err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
    return ExitCode.USAGE.code();
  }
}
