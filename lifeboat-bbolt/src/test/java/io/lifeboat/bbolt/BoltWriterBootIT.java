package io.lifeboat.bbolt;

import static io.lifeboat.golden.GoldenSnapshots.jsonNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lifeboat.golden.GoldenSnapshots;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real etcd restores and serves what {@link BoltWriter} writes: a rewritten golden snapshot goes through the etcd
 * tool's {@code snapshot restore} (bbolt opens it read-write and rewrites the members and meta rows), the restored
 * db passes {@code snapshot status}, and an etcd server started on it serves every key and accepts a write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BoltWriterBootIT {
  private static final String INSTALL_HINT = "; install etcd 3.4 (system-wide) and 3.5 (under"
      + " ~/.cache/lifeboat/etcd-3.5) with .ci/install-etcd.sh, or point ETCD35_BIN at the 3.5 bin directory";

  @TempDir
  Path dir;

  /** One etcd version: the golden snapshot it made, its restore tool and its server. */
  record Version(String golden, Path bin, String restoreTool) {
    @Override
    public String toString() {
      return golden;
    }

    Path tool(String name) {
      return bin.resolve(name);
    }
  }

  static List<Version> versions() {
    String v35 = System.getenv().getOrDefault("ETCD35_BIN",
        System.getProperty("user.home") + "/.cache/lifeboat/etcd-3.5/usr/bin");
    return List.of(new Version("etcd-3.4-k8s", Path.of("/usr/bin"), "etcdctl"),
        new Version("etcd-3.5-k8s", Path.of(v35), "etcdutl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("versions")
  void restoreAndBoot_rewrittenSnapshot_servesEveryLiveKey(Version v) throws Exception {
    Path copy = dir.resolve("copy.db");
    WriterShapes.copy(GoldenSnapshots.copyTo(v.golden(), dir), copy);
    int clientPort = freePort();
    int peerPort = freePort();
    String peer = "http://127.0.0.1:" + peerPort;
    String client = "http://127.0.0.1:" + clientPort;
    Path data = dir.resolve("data");

    run(List.of(v.tool(v.restoreTool()).toString(), "snapshot", "restore", copy.toString(), "--skip-hash-check",
        "--data-dir", data.toString(), "--name", "m1", "--initial-cluster", "m1=" + peer,
        "--initial-advertise-peer-urls", peer));
    String status = run(List.of(v.tool(v.restoreTool()).toString(), "snapshot", "status", "-w", "json",
        data.resolve("member/snap/db").toString()));
    assertThat(jsonNumber(status, "revision")).isEqualTo(jsonNumber(GoldenSnapshots.statusJson(v.golden()),
        "revision"));

    Process etcd = start(List.of(v.tool("etcd").toString(), "--name", "m1", "--data-dir", data.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "m1=" + peer));
    try {
      String count = awaitCount(v, client, etcd);
      long liveKeys = jsonNumber(GoldenSnapshots.snapshotFactsJson(v.golden()), "liveKeys");
      assertThat(jsonNumber(count, "count")).isEqualTo(liveKeys);
      run(List.of(v.tool("etcdctl").toString(), "--endpoints", client, "put", "/lifeboat/after-restore", "ok"));
      String after = run(List.of(v.tool("etcdctl").toString(), "--endpoints", client, "get", "", "--prefix",
          "--limit", "1", "-w", "json"));
      assertThat(jsonNumber(after, "count")).isEqualTo(liveKeys + 1);
    } finally {
      etcd.destroy();
      if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
        etcd.destroyForcibly();
        etcd.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private String awaitCount(Version v, String client, Process etcd) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!etcd.isAlive()) {
        fail("etcd exited with code " + etcd.exitValue() + "; log: " + tail(dir.resolve("etcd.log")));
      }
      Result r = exec(List.of(v.tool("etcdctl").toString(), "--endpoints", client, "--command-timeout", "2s",
          "get", "", "--prefix", "--limit", "1", "-w", "json"));
      if (r.code() == 0) {
        return r.out();
      }
      last = r.err();
      Thread.sleep(200);
    }
    return fail("etcd did not serve within 60 s: " + last + "; log: " + tail(dir.resolve("etcd.log")));
  }

  private Process start(List<String> command) throws IOException {
    checkExecutable(Path.of(command.get(0)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("etcd.log").toFile());
    return pb.start();
  }

  private record Result(int code, String out, String err) {}

  private String run(List<String> command) throws Exception {
    Result r = exec(command);
    assertThat(r.code()).as("%s exit code; stdout: %s; stderr: %s", command, r.out(), r.err()).isZero();
    return r.out();
  }

  private Result exec(List<String> command) throws Exception {
    checkExecutable(Path.of(command.get(0)));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
        Files.readString(err, StandardCharsets.UTF_8).strip());
  }

  private static void checkExecutable(Path binary) {
    if (!Files.isExecutable(binary)) {
      fail(binary + " not found" + INSTALL_HINT);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(none)";
    }
    String s = Files.readString(log, StandardCharsets.UTF_8);
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }
}
