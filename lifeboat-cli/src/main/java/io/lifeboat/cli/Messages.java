package io.lifeboat.cli;

import io.lifeboat.etcd.membership.GoJson;
import java.io.PrintStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns a failure into the one line a user sees, in text or, with {@code -w json}, as JSON. */
final class Messages {
  private Messages() {}

  static String describe(Throwable failure) {
    if (failure instanceof NoSuchFileException e) {
      return e.getFile() + ": no such file";
    }
    if (failure instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    if (failure instanceof FileSystemException e && e.getReason() != null) {
      return e.getFile() + ": " + e.getReason();
    }
    if (failure instanceof ClosedByInterruptException) {
      // A signal interrupted file I/O (see StopOnSignal); what was being written has been removed.
      return "interrupted; nothing unfinished was kept";
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      message = failure.getClass().getSimpleName();
    }
    // One line: a message from a lower layer must not break the contract.
    return message.replace('\n', ' ').replace('\r', ' ');
  }

  /** Prints the failure and returns its exit code. */
  static int report(Throwable failure, OutputFormat format, PrintStream out, PrintStream err) {
    ExitCode code = ExitCode.of(failure);
    String message = describe(failure);
    if (format == OutputFormat.JSON) {
      out.println("{\"error\":" + GoJson.string(message) + ",\"code\":" + code.code() + "}");
    } else {
      err.println("Error: " + message);
    }
    return code.code();
  }
}
