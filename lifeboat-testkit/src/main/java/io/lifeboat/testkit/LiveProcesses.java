package io.lifeboat.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every etcd process this JVM started and has not yet seen exit. This is deliberately global: a
 * JVM shutdown hook is global, and it is the only thing that still runs when a test forgets to
 * close a cluster or the JVM is told to exit mid-test, so nothing outlives the test JVM.
 */
final class LiveProcesses {
  private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> PROCESSES.forEach(Process::destroyForcibly), "lifeboat-etcd-reaper"));
  }

  private LiveProcesses() {}

  static void register(Process process) {
    PROCESSES.add(process);
  }

  static void forget(Process process) {
    PROCESSES.remove(process);
  }
}
