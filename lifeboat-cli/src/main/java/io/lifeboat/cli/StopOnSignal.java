package io.lifeboat.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP for the one-shot commands: instead of the JVM's immediate shutdown,
 * the command's thread is interrupted, so that it removes its temporary files and aborts a
 * multipart upload (which would otherwise stay in the bucket), prints one line and exits 128 +
 * the signal's number. A second signal, or a clean-up longer than {@link #CLEAN_UP}, exits at once.
 * {@code lifeboat server} installs its own handlers over these.
 */
final class StopOnSignal {
  static final Duration CLEAN_UP = Duration.ofSeconds(20);

  private final Thread worker;
  private final AtomicReference<Signal> received = new AtomicReference<>();

  private StopOnSignal(Thread worker) {
    this.worker = Objects.requireNonNull(worker, "worker");
  }

  static StopOnSignal install(Thread worker) {
    StopOnSignal stop = new StopOnSignal(worker);
    // HUP too: a closed terminal or SSH session must not leave an upload behind either.
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      Signal.handle(new Signal(name), stop::received);
    }
    return stop;
  }

  /** 128 + the number of the signal that stopped the command, if one did. */
  OptionalInt exitCode() {
    Signal s = received.get();
    return s == null ? OptionalInt.empty() : OptionalInt.of(128 + s.getNumber());
  }

  private void received(Signal signal) {
    int code = 128 + signal.getNumber();
    if (!received.compareAndSet(null, signal)) {
      System.exit(code);
    }
    worker.interrupt();
    Thread deadline = new Thread(() -> {
      try {
        Thread.sleep(CLEAN_UP.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      System.exit(code);
    }, "lifeboat-clean-up-deadline");
    deadline.setDaemon(true);
    deadline.start();
  }
}
