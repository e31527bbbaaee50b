package io.lifeboat.server;

import java.util.List;

/** What {@code /readyz} reports: etcd reachable and the last snapshot recent enough. */
public interface Readiness {
  Report check();

  /** @param problems one line each; empty when ready */
  record Report(List<String> problems) {
    public Report {
      problems = List.copyOf(problems);
    }

    public boolean ready() {
      return problems.isEmpty();
    }
  }
}
