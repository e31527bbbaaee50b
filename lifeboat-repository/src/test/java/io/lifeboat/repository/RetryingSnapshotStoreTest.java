package io.lifeboat.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.StoreException.Reason;
import io.lifeboat.repository.local.LocalDirectoryStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryingSnapshotStoreTest {
  private static final SnapshotName NAME = new SnapshotName("s");
  @TempDir Path dir;
  private final List<Duration> sleeps = new ArrayList<>();

  /** A real local store whose puts first fail with the given reasons. */
  private final class Flaky implements SnapshotStore {
    final LocalDirectoryStore real = new LocalDirectoryStore(dir);
    final List<Reason> failures;
    int puts;

    Flaky(Reason... failures) {
      this.failures = new ArrayList<>(List.of(failures));
    }

    @Override
    public String location() {
      return real.location();
    }

    @Override
    public void check() {}

    @Override
    public void put(SnapshotName name, ObjectKind kind, ObjectSource source) throws StoreException {
      puts++;
      if (!failures.isEmpty()) {
        Reason r = failures.remove(0);
        throw new StoreException(r, "injected " + r);
      }
      real.put(name, kind, source);
    }

    @Override
    public InputStream get(SnapshotName name, ObjectKind kind) throws StoreException {
      return real.get(name, kind);
    }

    @Override
    public boolean exists(SnapshotName name, ObjectKind kind) {
      return real.exists(name, kind);
    }

    @Override
    public List<StoredObject> list() throws StoreException {
      return real.list();
    }

    @Override
    public boolean delete(SnapshotName name, ObjectKind kind) throws StoreException {
      return real.delete(name, kind);
    }

    @Override
    public void close() {}
  }

  private RetryingSnapshotStore retrying(SnapshotStore s) {
    return new RetryingSnapshotStore(s, 3, Duration.ofSeconds(1), Duration.ofSeconds(10), sleeps::add);
  }

  @Test
  void put_transientFailures_areRetriedWithBackoff_untilItSucceeds() throws Exception {
    Flaky flaky = new Flaky(Reason.TRANSIENT, Reason.UNREACHABLE);

    retrying(flaky).put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {7}));

    assertThat(flaky.puts).isEqualTo(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(flaky.real.get(NAME, ObjectKind.DB).readAllBytes()).containsExactly(7);
  }

  @Test
  void put_failingBeyondTheBudget_givesUpWithTheLastError() {
    Flaky flaky = new Flaky(Reason.TRANSIENT, Reason.TRANSIENT, Reason.TRANSIENT, Reason.TRANSIENT);

    assertThatThrownBy(() -> retrying(flaky).put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {7})))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.TRANSIENT);
          assertThat(e.getSuppressed()[0]).hasMessage("gave up after 3 attempts");
        });
    assertThat(flaky.puts).isEqualTo(3);
  }

  @Test
  void put_permanentFailure_isNotRetried() {
    Flaky flaky = new Flaky(Reason.BAD_CREDENTIALS);

    assertThatThrownBy(() -> retrying(flaky).put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {7})))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS));
    assertThat(flaky.puts).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void put_oneShotSource_isNotRetried() {
    Flaky flaky = new Flaky(Reason.TRANSIENT);

    assertThatThrownBy(() -> retrying(flaky).put(NAME, ObjectKind.DB,
        ObjectSource.ofStream(new ByteArrayInputStream(new byte[] {7}), OptionalLong.of(1))))
        .isInstanceOf(StoreException.class);
    assertThat(flaky.puts).isEqualTo(1);
  }
}
