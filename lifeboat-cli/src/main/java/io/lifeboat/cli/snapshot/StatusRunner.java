package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.etcd.snapshot.SnapshotInspector;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Runs {@code snapshot status}. Kept free of picocli so that {@code Main} can dispatch the plain
 * form straight here: status is run in loops by operators and scripts, and picocli's start-up cost
 * would double its wall time on small files.
 */
public final class StatusRunner {
  private StatusRunner() {}

  /** Prints the report; failures propagate for the caller to map to an exit code. */
  public static int run(StatusRequest request, PrintWriter out) throws IOException {
    SnapshotReport report = SnapshotInspector.inspect(request.file(), request.trailerPolicy());
    out.print(StatusPrinter.format(report, request.format()));
    out.flush();
    return ExitCode.OK.code();
  }
}
