package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.MetadataException;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import io.lifeboat.repository.crypto.KeyFileException;
import java.nio.channels.ClosedByInterruptException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"BUCKET_MISSING", "BAD_CREDENTIALS", "ACCESS_DENIED", "WRONG_REGION",
      "UNREACHABLE"})
  void storeConfigurationFaults_areUsageErrors(Reason reason) {
    assertThat(ExitCode.of(new StoreException(reason, "x"))).isEqualTo(ExitCode.USAGE);
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"NOT_FOUND", "ALREADY_EXISTS", "TRANSIENT", "SOURCE_FAILED", "OTHER"})
  void otherStoreFailures_areFailures(Reason reason) {
    assertThat(ExitCode.of(new StoreException(reason, "x"))).isEqualTo(ExitCode.FAILED);
  }

  @Test
  void integrityAndMetadataFailures_exit3_keyFileProblems_exit2() {
    assertThat(ExitCode.of(new IntegrityException("x"))).isEqualTo(ExitCode.INTEGRITY);
    assertThat(ExitCode.of(new MetadataException("x"))).isEqualTo(ExitCode.INTEGRITY);
    assertThat(ExitCode.of(new KeyFileException("x", null))).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void fileIoInterruptedByASignal_readsAsInterrupted_notAsAnExceptionName() {
    ClosedByInterruptException interrupted = new ClosedByInterruptException();

    assertThat(Messages.describe(interrupted)).isEqualTo("interrupted; nothing unfinished was kept");
    assertThat(ExitCode.of(interrupted)).isEqualTo(ExitCode.FAILED);
  }
}
