package io.lifeboat.cli.it;

import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code bin/lifeboat}, the launcher users run, on the shaded jar built in this build. */
final class LifeboatProcess {
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
    Path root = repositoryRoot();
    if (!Files.isRegularFile(root.resolve("lifeboat-cli/target/lifeboat.jar"))) {
      throw new AssertionError("lifeboat-cli/target/lifeboat.jar is missing: integration tests run after `package`");
    }
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/lifeboat").toString());
    command.addAll(List.of(args));
    return EtcdCluster.run(Duration.ofMinutes(5), command);
  }
}
