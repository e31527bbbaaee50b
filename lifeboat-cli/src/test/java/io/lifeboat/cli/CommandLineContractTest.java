package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class CommandLineContractTest {
  @Test
  void help_listsExitCodesAndCommands() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .contains("snapshot")
        .contains("version")
        .contains("Exit codes:")
        .contains("3   a snapshot failed an integrity check");
  }

  @Test
  void version_printsLifeboatVersion() {
    CliRun run = CliRun.of("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith("Lifeboat ").doesNotContain("unknown").contains("3.4, 3.5");
  }

  @Test
  void everyOption_hasADescription() {
    List<String> undocumented = new ArrayList<>();
    walk(new CommandLine(new LifeboatCommand()).getCommandSpec(), undocumented);

    assertThat(undocumented).isEmpty();
  }

  @Test
  void unknownCommand_exits2() {
    CliRun run = CliRun.of("snapshot", "explode");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Unmatched argument");
  }

  private static void walk(CommandSpec spec, List<String> undocumented) {
    for (OptionSpec option : spec.options()) {
      String[] description = option.description();
      if (description.length == 0 || description[0].isBlank()) {
        undocumented.add(spec.qualifiedName() + " " + option.longestName());
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      walk(sub.getCommandSpec(), undocumented);
    }
  }
}
