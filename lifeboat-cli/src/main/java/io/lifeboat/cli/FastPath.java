package io.lifeboat.cli;

import io.lifeboat.cli.snapshot.StatusRequest;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Recognises the plain forms of {@code snapshot status FILE [-w FORMAT] [--skip-hash-check]} so
 * they run without loading picocli (70-90 ms of start-up, as much as the status of a 400 MB file).
 * Anything it does not recognise, including every mistake, goes to picocli, which parses the same
 * options and reports errors.
 */
final class FastPath {
  private FastPath() {}

  static Optional<StatusRequest> status(String[] args) {
    if (args.length < 3 || !args[0].equals("snapshot") || !args[1].equals("status")) {
      return Optional.empty();
    }
    Path file = null;
    String format = "table";
    TrailerPolicy policy = TrailerPolicy.VERIFY;
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--skip-hash-check")) {
        policy = TrailerPolicy.SKIP;
      } else if ((a.equals("-w") || a.equals("--write-out")) && i + 1 < args.length) {
        format = args[++i];
      } else if (a.startsWith("--write-out=")) {
        format = a.substring("--write-out=".length());
      } else if (a.startsWith("-w=")) {
        format = a.substring(3);
      } else if (!a.startsWith("-") && file == null && !a.isEmpty()) {
        file = Path.of(a);
      } else {
        return Optional.empty();
      }
    }
    if (file == null) {
      return Optional.empty();
    }
    OutputFormat parsed;
    try {
      parsed = OutputFormat.parse(format);
    } catch (UsageException e) {
      return Optional.empty();
    }
    return Optional.of(new StatusRequest(file, parsed, policy));
  }
}
