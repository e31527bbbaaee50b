package io.lifeboat.cli;

/** Entry point of {@code bin/lifeboat}; with {@link StopOnSignal}, the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StopOnSignal signals = StopOnSignal.install(Thread.currentThread());
    int code = new Lifeboat(System.out, System.err).run(args);
    // A command that finished its work despite a signal says so with 0; one cut short, 128 + signal.
    System.exit(code == 0 ? 0 : signals.exitCode().orElse(code));
  }
}
