package io.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdLogsOnFailure.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadMainIT {

  @Test
  void loadsOverMutualTls_andPrintsOneJsonLine() {
    try (EtcdCluster etcd =
        EtcdCluster.builder().version(EtcdVersion.V3_5).tls(true).name("loadmain-tls").start()) {
      TlsFiles tls = etcd.tls().orElseThrow();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code =
          LoadMain.run(
              new String[] {
                "--endpoints", etcd.endpoints(),
                "--cacert", tls.caCert().toString(),
                "--cert", tls.clientCert().toString(),
                "--key", tls.clientKey().toString(),
                "--keys", "200",
                "--seed", "7"
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));

      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(code).isZero();
      String json = out.toString(StandardCharsets.UTF_8);
      assertThat(json.lines()).hasSize(1);
      assertThat(json).startsWith("{\"revision\":").contains("\"liveKeys\":");
      String status = etcd.etcdctl("endpoint", "status", "-w", "json").requireSuccess().stdout();
      assertThat(KubernetesLikeLoaderIT.revisionIn(json))
          .isEqualTo(KubernetesLikeLoaderIT.revisionIn(status));
    }
  }
}
