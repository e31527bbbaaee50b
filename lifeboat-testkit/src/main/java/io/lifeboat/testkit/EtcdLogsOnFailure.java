package io.lifeboat.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension: when a test fails, attaches the log directories of the etcd clusters that
 * test started (and those its class started before the first test) to the failure (as a suppressed exception, so reports show them), and
 * prints them to stderr.
 *
 * <pre>{@code @ExtendWith(EtcdLogsOnFailure.class) class BackupIT { ... } }</pre>
 */
public final class EtcdLogsOnFailure
    implements BeforeAllCallback, BeforeEachCallback, TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EtcdLogsOnFailure.class);
  private static final String CLASS_START = "classStart";
  private static final String CLASS_SETUP_END = "classSetupEnd";
  private static final String TEST_START = "testStart";

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(CLASS_START, EtcdLogDirs.count());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    int now = EtcdLogDirs.count();
    // Clusters started in @BeforeAll belong to every test of the class; later tests' do not.
    context.getParent()
        .ifPresent(
            parent ->
                parent.getStore(NAMESPACE).getOrComputeIfAbsent(CLASS_SETUP_END, key -> now));
    context.getStore(NAMESPACE).put(TEST_START, now);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    List<Path> dirs = new ArrayList<>();
    Integer classStart = store.get(CLASS_START, Integer.class);
    Integer classSetupEnd = store.get(CLASS_SETUP_END, Integer.class);
    Integer testStart = store.get(TEST_START, Integer.class);
    if (classStart != null && classSetupEnd != null) {
      dirs.addAll(EtcdLogDirs.between(classStart, classSetupEnd));
    }
    dirs.addAll(EtcdLogDirs.since(testStart == null ? 0 : testStart));
    if (!dirs.isEmpty()) {
      String message =
          "etcd logs kept in: "
              + dirs.stream().map(Path::toString).collect(Collectors.joining(", "));
      throwable.addSuppressed(new EtcdLogs(message));
      System.err.println(context.getDisplayName() + ": " + message);
    }
    throw throwable;
  }

  /** Carries the log directories in a test failure; never thrown on its own. */
  static final class EtcdLogs extends Exception {
    private static final long serialVersionUID = 1L;

    EtcdLogs(String message) {
      super(message, null, false, false);
    }
  }
}
