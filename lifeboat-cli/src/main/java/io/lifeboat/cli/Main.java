package io.lifeboat.cli;

/** Entry point of {@code bin/lifeboat}; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(new Lifeboat(System.out, System.err).run(args));
  }
}
