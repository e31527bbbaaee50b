package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadMainTest {

  @Test
  void bothKeysAndBytes_isAUsageErrorOnOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        LoadMain.run(
            new String[] {"--endpoints", "http://127.0.0.1:2379", "--keys", "5", "--bytes", "1M"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("error: give exactly one of --keys and --bytes")
        .hasLineCount(1);
  }

  @Test
  void unknownOption_isAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        LoadMain.run(
            new String[] {"--endpoints=http://127.0.0.1:2379", "--keys=5", "--colour", "red"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --colour");
  }
}
