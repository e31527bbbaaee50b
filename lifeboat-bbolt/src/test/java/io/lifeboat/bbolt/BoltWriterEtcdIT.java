package io.lifeboat.bbolt;

import static io.lifeboat.golden.GoldenSnapshots.jsonNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lifeboat.bbolt.WriterShapes.Shape;
import io.lifeboat.bbolt.WriterShapes.Status;
import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real etcd accepts what {@link BoltWriter} writes: upstream {@code etcdctl snapshot status} (etcd 3.4.23, bbolt
 * 1.3.6) and {@code etcdutl snapshot status} (etcd 3.5, bbolt 1.3.10+) open the file, run bbolt's {@code tx.Check}
 * and report the hash and row count we expect.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BoltWriterEtcdIT {
  private static final String INSTALL_HINT = "; install etcd 3.4 (system-wide) and 3.5 (under"
      + " ~/.cache/lifeboat/etcd-3.5) with .ci/install-etcd.sh, or point ETCD35_BIN at a directory holding etcdutl";

  @TempDir
  Path dir;

  /** A {@code snapshot status} command of one etcd version. */
  record Tool(String label, Path binary) {
    @Override
    public String toString() {
      return label;
    }
  }

  static List<Tool> tools() {
    String v35 = System.getenv().getOrDefault("ETCD35_BIN",
        System.getProperty("user.home") + "/.cache/lifeboat/etcd-3.5/usr/bin");
    return List.of(new Tool("etcdctl-3.4", Path.of("/usr/bin/etcdctl")),
        new Tool("etcdutl-3.5", Path.of(v35, "etcdutl")));
  }

  static List<Arguments> goldenPerTool() {
    List<Arguments> args = new ArrayList<>();
    for (Tool t : tools()) {
      for (String name : GoldenSnapshots.names()) {
        args.add(Arguments.of(t, name));
      }
    }
    return args;
  }

  static List<Arguments> shapesPerTool() {
    List<Arguments> args = new ArrayList<>();
    for (Tool t : tools()) {
      for (Shape s : WriterShapes.all()) {
        args.add(Arguments.of(t, s));
      }
    }
    return args;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("goldenPerTool")
  void snapshotStatus_copyOfGoldenSnapshot_reportsTheGoldenHashAndTotalKey(Tool tool, String name) throws Exception {
    Path copy = dir.resolve(name + ".copy.db");
    WriterShapes.copy(GoldenSnapshots.copyTo(name, dir), copy);
    String golden = GoldenSnapshots.statusJson(name);

    String json = snapshotStatus(tool, copy);

    assertThat(new Status(jsonNumber(json, "hash"), jsonNumber(json, "totalKey")))
        .isEqualTo(new Status(jsonNumber(golden, "hash"), jsonNumber(golden, "totalKey")));
    assertThat(jsonNumber(json, "revision")).isEqualTo(jsonNumber(golden, "revision"));
    assertThat(jsonNumber(json, "totalSize")).isEqualTo(Files.size(copy))
        .isLessThanOrEqualTo(jsonNumber(golden, "totalSize"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shapesPerTool")
  void snapshotStatus_writtenShape_passesTxCheckWithTheExpectedHash(Tool tool, Shape shape) throws Exception {
    Path file = WriterShapes.write(shape, dir);

    String json = snapshotStatus(tool, file);

    assertThat(new Status(jsonNumber(json, "hash"), jsonNumber(json, "totalKey")))
        .isEqualTo(WriterShapes.expectedStatus(shape));
    assertThat(jsonNumber(json, "totalSize")).isEqualTo(Files.size(file));
  }

  private String snapshotStatus(Tool tool, Path file) throws IOException, InterruptedException {
    if (!Files.isExecutable(tool.binary())) {
      fail(tool.label() + " not found at " + tool.binary() + INSTALL_HINT);
    }
    Path stdout = dir.resolve("status.out");
    Path stderr = dir.resolve("status.err");
    ProcessBuilder pb = new ProcessBuilder(tool.binary().toString(), "snapshot", "status", "-w", "json",
        file.toString())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(tool.label() + " snapshot status did not finish within 2 minutes on " + file);
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8).strip();
    String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as("%s snapshot status exit code on %s; stdout: %s; stderr: %s", tool.label(),
        file.getFileName(), out, err).isZero();
    return out;
  }
}
