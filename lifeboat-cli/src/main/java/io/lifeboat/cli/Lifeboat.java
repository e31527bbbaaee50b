package io.lifeboat.cli;

import io.lifeboat.cli.snapshot.StatusRequest;
import io.lifeboat.cli.snapshot.StatusRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The command line: parses, runs, reports. Returns the exit code; only {@link Main} exits. Every
 * failure is printed as one line ({@code Error: ...}, or JSON with {@code -w json}); a stack trace
 * only with {@code --debug}. The plain {@code snapshot status} forms run without picocli (see
 * {@link FastPath}); this class refers to no picocli type so that path never loads it.
 */
public final class Lifeboat {
  private final PrintStream out;
  private final PrintStream err;

  public Lifeboat(PrintStream out, PrintStream err) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  public int run(String... args) {
    boolean debug = false;
    List<String> rest = new ArrayList<>();
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
        return StatusRunner.run(fast.get(), new PrintWriter(out, true));
      } catch (Exception e) {
        return fail(e, fast.get().format(), debug);
      }
    }
    return new PicocliDispatch(out, err, debug).execute(argv);
  }

  private int fail(Exception e, OutputFormat format, boolean debug) {
    if (debug) {
      e.printStackTrace(err);
    }
    return Messages.report(e, format, out, err);
  }
}
