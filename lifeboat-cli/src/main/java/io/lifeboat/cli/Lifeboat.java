package io.lifeboat.cli;

import io.lifeboat.cli.snapshot.StatusRequest;
import io.lifeboat.cli.snapshot.StatusRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The command line: parses, runs, reports. Returns the exit code; only {@link Main} exits. Every
 * failure is printed as one line ({@code Error: ...}, or JSON with {@code -w json}); a stack trace
 * only with {@code --debug}.
 */
public final class Lifeboat {
  private final PrintStream out;
  private final PrintStream err;

  public Lifeboat(PrintStream out, PrintStream err) {
    this.out = java.util.Objects.requireNonNull(out, "out");
    this.err = java.util.Objects.requireNonNull(err, "err");
  }

  public int run(String... args) {
    boolean debug = false;
    java.util.List<String> rest = new java.util.ArrayList<>();
    for (String a : args) {
      if (a.equals("--debug")) {
        debug = true;
      } else {
        rest.add(a);
      }
    }
    String[] argv = rest.toArray(String[]::new);
    Optional<StatusRequest> fast = FastPath.status(argv);
    if (fast.isPresent()) {
      try {
        PrintWriter writer = new PrintWriter(out, true);
        return StatusRunner.run(fast.get(), writer);
      } catch (Exception e) {
        return fail(e, fast.get().format(), debug);
      }
    }
    CommandLine cli = new CommandLine(new LifeboatCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(this::usageError);
    boolean printTrace = debug;
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
        OutputFormat format = requestedFormat(commandLine.getCommand());
        return fail(e, format, printTrace);
    });
    return cli.execute(argv);
  }

  private static OutputFormat requestedFormat(Object command) {
    return command instanceof OutputOptions.Holder h ? h.output().formatForErrors() : OutputFormat.TABLE;
  }

  private int usageError(ParameterException e, String[] args) {
    err.println("Error: " + Messages.describe(e));
    err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
    return ExitCode.USAGE.code();
  }

  private int fail(Exception e, OutputFormat format, boolean debug) {
    if (debug) {
      e.printStackTrace(err);
    }
    return Messages.report(e, format, out, err);
  }
}
