package io.lifeboat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Print Lifeboat's version and the etcd versions it reads.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(text());
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }

  static String text() {
    return "Lifeboat " + Version.current() + "\n"
        + "Reads snapshots of etcd: 3.4, 3.5, 3.6\n"
        + "Restores for etcd: 3.4, 3.5\n";
  }
}
