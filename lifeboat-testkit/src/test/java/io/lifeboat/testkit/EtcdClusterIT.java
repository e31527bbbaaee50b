package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(EtcdLogsOnFailure.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EtcdClusterIT {

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void singleMemberPlain_servesEtcdctlAndJetcd(EtcdVersion version) throws Exception {
    List<ProcessHandle> handles;
    EtcdCluster cluster =
        EtcdCluster.builder().version(version).name("single-plain-" + version.displayName()).start();
    try (cluster) {
      assertThat(cluster.members()).hasSize(1);
      assertThat(cluster.endpoints()).startsWith("http://127.0.0.1:");
      assertThat(cluster.tls()).isEmpty();

      cluster.etcdctl("put", "/greeting", "hello").requireSuccess();
      assertThat(cluster.etcdctl("get", "/greeting", "--print-value-only").requireSuccess().stdout())
          .isEqualTo("hello\n");
      GetResponse fromJetcd =
          cluster.client().getKVClient().get(bytes("/greeting")).get(10, TimeUnit.SECONDS);
      assertThat(fromJetcd.getKvs()).hasSize(1);
      assertThat(fromJetcd.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8))
          .isEqualTo("hello");
      String version35or34 = cluster.etcdctl("version").requireSuccess().stdout();
      assertThat(version35or34).contains("etcdctl version: " + version.displayName() + ".");
      handles = liveHandles(cluster);
    }
    assertNoneAlive(handles);
    assertThat(cluster.members().get(0).dataDir()).doesNotExist();
    assertThat(cluster.members().get(0).logFile()).exists().isNotEmptyFile();
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void threeMembersWithMutualTls_healthyRefusingAnonymousClientsAndWritableAfterOneKill(
      EtcdVersion version) throws Exception {
    List<ProcessHandle> handles;
    EtcdCluster cluster =
        EtcdCluster.builder()
            .version(version)
            .members(3)
            .tls(true)
            .name("three-tls-" + version.displayName())
            .start();
    try (cluster) {
      assertThat(cluster.endpoints().split(",")).hasSize(3).allMatch(e -> e.startsWith("https://"));
      for (EtcdMember member : cluster.members()) {
        assertThat(cluster.etcdctlOn(member, "endpoint", "health").requireSuccess().output())
            .contains("is healthy");
      }
      String memberList = cluster.etcdctl("member", "list", "-w", "json").requireSuccess().stdout();
      assertThat(count(Pattern.compile("\"clientURLs\""), memberList)).isEqualTo(3);
      for (EtcdMember member : cluster.members()) {
        assertThat(memberList).contains("\"name\":\"" + member.name() + "\"");
      }

      TlsFiles tls = cluster.tls().orElseThrow();
      CommandResult anonymous =
          EtcdCluster.run(
              Duration.ofSeconds(30),
              List.of(
                  version.etcdctl().toString(),
                  "--endpoints=" + cluster.members().get(0).clientUrl(),
                  "--cacert=" + tls.caCert(),
                  "--dial-timeout=2s",
                  "--command-timeout=3s",
                  "get",
                  "/anything"));
      assertThat(anonymous.exitCode()).as(anonymous.toString()).isNotZero();
      assertThat(anonymous.stderr()).contains("context deadline exceeded");
      // etcdctl 3.4 does not say why the handshake failed; the member's log does.
      assertThat(Files.readString(cluster.members().get(0).logFile()))
          .contains("client didn't provide a certificate");

      handles = liveHandles(cluster);
      EtcdMember victim = cluster.members().get(0);
      cluster.kill(victim);
      assertThat(cluster.process(victim).orElseThrow().isAlive()).isFalse();
      EtcdMember survivor = cluster.members().get(1);
      CommandResult put = putWithRetry(cluster, survivor, "/after-kill", "still-writable");
      put.requireSuccess();
      assertThat(
              cluster
                  .etcdctlOn(cluster.members().get(2), "get", "/after-kill", "--print-value-only")
                  .requireSuccess()
                  .stdout())
          .isEqualTo("still-writable\n");
      try (Client survivors = cluster.newClient(cluster.members().subList(1, 3))) {
        survivors.getKVClient().put(bytes("/jetcd-tls"), bytes("ok")).get(20, TimeUnit.SECONDS);
        assertThat(survivors.getKVClient().get(bytes("/jetcd-tls")).get(20, TimeUnit.SECONDS).getCount())
            .isEqualTo(1);
      }
    }
    assertNoneAlive(handles);
    for (EtcdMember member : cluster.members()) {
      assertThat(member.dataDir()).doesNotExist();
      assertThat(Files.size(member.logFile())).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdVersion.class)
  void snapshotSavedWithEtcdctl_isReadByThisVersionsStatusTool_andDataSurvivesRestart(
      EtcdVersion version, @TempDir Path dir) {
    try (EtcdCluster cluster =
        EtcdCluster.builder().version(version).name("snapshot-" + version.displayName()).start()) {
      cluster.etcdctl("put", "/kept", "across-restart").requireSuccess();
      Path snapshot = dir.resolve("etcd.db");
      cluster.etcdctl("snapshot", "save", snapshot.toString()).requireSuccess();

      CommandResult status =
          version == EtcdVersion.V3_5
              ? cluster.etcdutl("snapshot", "status", snapshot.toString(), "-w", "json")
              : cluster.etcdctl("snapshot", "status", snapshot.toString(), "-w", "json");
      assertThat(status.requireSuccess().stdout()).contains("\"revision\":2");

      EtcdMember member = cluster.members().get(0);
      long firstPid = cluster.process(member).orElseThrow().pid();
      cluster.stop(member);
      assertThat(cluster.process(member).orElseThrow().isAlive()).isFalse();
      cluster.restart(member);
      assertThat(cluster.process(member).orElseThrow().pid()).isNotEqualTo(firstPid);
      assertThat(cluster.etcdctl("get", "/kept", "--print-value-only").requireSuccess().stdout())
          .isEqualTo("across-restart\n");
    }
  }

  @Test
  void memberThatCannotStart_failsWithItsLogTail_andLeavesNoProcess(@TempDir Path workDir)
      throws Exception {
    // A file where etcd expects its member directory: member-0 exits at once, the others wait.
    Files.createDirectories(workDir.resolve("member-0"));
    Files.writeString(workDir.resolve("member-0").resolve("member"), "not a directory");
    EtcdCluster.Builder builder =
        EtcdCluster.builder()
            .version(EtcdVersion.V3_5)
            .members(3)
            .workDir(workDir)
            .name("cannot-start")
            .startTimeout(Duration.ofSeconds(20));

    assertThatThrownBy(builder::start)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("member member-0 exited with code")
        .hasMessageContaining(
            "logs in " + Path.of("target", "etcd-logs", "cannot-start").toAbsolutePath())
        .hasMessageContaining("\"level\":\"fatal\"");
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(workDir.toString())))
        .isEmpty();
    assertThat(workDir.resolve("member-1")).doesNotExist();
  }

  /** A kill of the leader leaves the survivors a moment without one; etcdctl fails meanwhile. */
  private static CommandResult putWithRetry(
      EtcdCluster cluster, EtcdMember member, String key, String value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    CommandResult result;
    do {
      result = cluster.etcdctlOn(member, "--command-timeout=3s", "put", key, value);
      if (result.succeeded()) {
        return result;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return result;
  }

  private static List<ProcessHandle> liveHandles(EtcdCluster cluster) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (EtcdMember member : cluster.members()) {
      ProcessHandle handle = cluster.process(member).orElseThrow();
      assertThat(handle.isAlive()).as(member.name() + " alive").isTrue();
      handles.add(handle);
    }
    return handles;
  }

  private static void assertNoneAlive(List<ProcessHandle> handles) {
    for (ProcessHandle handle : handles) {
      assertThat(handle.isAlive()).as("pid " + handle.pid() + " alive after close").isFalse();
      assertThat(ProcessHandle.of(handle.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  private static int count(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
