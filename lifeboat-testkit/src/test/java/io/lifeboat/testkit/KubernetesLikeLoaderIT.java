package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdLogsOnFailure.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubernetesLikeLoaderIT {
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  @Test
  void keys2000_resultMatchesWhatEtcdReports() {
    try (EtcdCluster etcd =
        EtcdCluster.builder().version(EtcdVersion.V3_5).name("loader-keys2000").start()) {
      LoadResult result = new KubernetesLikeLoader(etcd.client()).load(LoadSpec.keys(2000));

      String keys = etcd.etcdctl("get", "", "--prefix", "--keys-only").requireSuccess().stdout();
      long liveKeys = keys.lines().filter(line -> !line.isEmpty()).count();
      assertThat(liveKeys).isEqualTo(result.liveKeys());
      assertThat(keys.lines().filter(line -> !line.isEmpty()))
          .allMatch(key -> key.startsWith("/registry/"));
      assertThat(keys).contains("/registry/pods/").contains("/registry/events/");

      String status = etcd.etcdctl("endpoint", "status", "-w", "json").requireSuccess().stdout();
      assertThat(revisionIn(status)).isEqualTo(result.revision());
      // A fresh cluster starts at revision 1 and every put or delete adds one.
      assertThat(result.revision()).isEqualTo(1 + result.puts() + result.deletes());
      assertThat(result.compactRevision()).isBetween(2000L, result.revision() - 1);
      assertThat(result.deletes()).isPositive();
      assertThat(result.puts()).isGreaterThan(2000);

      String anyKey = keys.lines().findFirst().orElseThrow();
      CommandResult belowCompaction =
          etcd.etcdctl("get", anyKey, "--rev=" + (result.compactRevision() - 1));
      assertThat(belowCompaction.exitCode()).isNotZero();
      assertThat(belowCompaction.stderr()).contains("required revision has been compacted");
      etcd.etcdctl("get", anyKey, "--rev=" + result.compactRevision()).requireSuccess();

      String leases = etcd.etcdctl("lease", "list").requireSuccess().stdout();
      assertThat(result.leaseIds()).hasSize(3);
      for (long leaseId : result.leaseIds()) {
        assertThat(leases).contains(Long.toHexString(leaseId));
        assertThat(
                etcd.etcdctl("lease", "timetolive", Long.toHexString(leaseId), "--keys")
                    .requireSuccess()
                    .stdout())
            .contains("/registry/events/");
      }
    }
  }

  @Test
  void sameSeed_writesTheSameDataOnEtcd34And35() {
    LoadSpec spec = LoadSpec.keys(300).withSeed(42);
    List<String> data34;
    LoadResult result34;
    try (EtcdCluster etcd =
        EtcdCluster.builder().version(EtcdVersion.V3_4).name("loader-seed-3.4").start()) {
      result34 = new KubernetesLikeLoader(etcd.client()).load(spec);
      data34 = keyValues(etcd);
    }
    try (EtcdCluster etcd =
        EtcdCluster.builder().version(EtcdVersion.V3_5).name("loader-seed-3.5").start()) {
      LoadResult result35 = new KubernetesLikeLoader(etcd.client()).load(spec);
      assertThat(data34).hasSize((int) result34.liveKeys());
      assertThat(keyValues(etcd)).containsExactlyElementsOf(data34);
      assertThat(result35.revision()).isEqualTo(result34.revision());
      assertThat(result35.compactRevision()).isEqualTo(result34.compactRevision());
      assertThat(result35.liveKeys()).isEqualTo(result34.liveKeys());
      assertThat(result35.bytesWritten()).isEqualTo(result34.bytesWritten());
    }
  }

  @Test
  void byteTarget_writesAboutThatManyBytes() {
    try (EtcdCluster etcd =
        EtcdCluster.builder().version(EtcdVersion.V3_5).name("loader-bytes").start()) {
      LoadResult result =
          new KubernetesLikeLoader(etcd.client()).load(LoadSpec.bytes(8L << 20));
      assertThat(result.bytesWritten()).isBetween(7L << 20, 9L << 20);
      String status = etcd.etcdctl("endpoint", "status", "-w", "json").requireSuccess().stdout();
      assertThat(revisionIn(status)).isEqualTo(result.revision());
    }
  }

  private static final Pattern KV =
      Pattern.compile("\\{\"key\":\"([^\"]+)\".*?\"version\":(\\d+)(?:,\"value\":\"([^\"]*)\")?");

  /**
   * Every key with its version and a digest of its value. Per-key revisions are left out: the
   * loader pipelines requests, so etcd may apply two writes of one phase in either order.
   */
  private static List<String> keyValues(EtcdCluster etcd) {
    String json = etcd.etcdctl("get", "", "--prefix", "-w", "json").requireSuccess().stdout();
    List<String> entries = new ArrayList<>();
    Matcher matcher = KV.matcher(json);
    while (matcher.find()) {
      String key = new String(Base64.getDecoder().decode(matcher.group(1)), StandardCharsets.UTF_8);
      String value = matcher.group(3) == null ? "" : matcher.group(3);
      entries.add(key + " v" + matcher.group(2) + " " + Integer.toHexString(value.hashCode()));
    }
    return entries;
  }

  static long revisionIn(String json) {
    Matcher matcher = REVISION.matcher(json);
    assertThat(matcher.find()).as("revision in " + json).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
