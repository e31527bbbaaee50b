package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdLogsOnFailure;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdLogsOnFailure.class)
class StreamFailureIT {
  /** Accepts {@code limit} bytes, then fails like a full disk. */
  private static final class FailingChannel implements WritableByteChannel {
    private final long limit;
    private long written;

    FailingChannel(long limit) {
      this.limit = limit;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (written >= limit) {
        throw new IOException("No space left on device");
      }
      int n = src.remaining();
      src.position(src.limit());
      written += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** Discards bytes slowly, so the snapshot takes seconds; counts what it got. */
  private static final class SlowChannel implements WritableByteChannel {
    final AtomicLong written = new AtomicLong();

    @Override
    public int write(ByteBuffer src) throws IOException {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      int n = src.remaining();
      src.position(src.limit());
      written.addAndGet(n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  @Timeout(120)
  void writeFailure_cancelsStreamAtOnce_memberKeepsServing_andKillMidStreamNamesEndpoint()
      throws Exception {
    try (EtcdCluster cluster =
        EtcdCluster.builder().version(EtcdVersion.V3_5).name("streamFailure").start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.bytes(48L << 20));
      URI endpoint = cluster.members().get(0).clientUrl();
      try (EtcdClient client = EtcdClient.connect(ClusterFixture.settings(cluster))) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.streamSnapshot(endpoint, new FailingChannel(1 << 20), SnapshotProgress.none()))
            .isInstanceOf(IOException.class)
            .hasMessage("No space left on device");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        cluster.etcdctl("endpoint", "status").requireSuccess();
        assertThat(client.probeAll().get(0).status()).isPresent();

        // Flow control: a writer that stops must stop the server, not fill our heap.
        SlowChannel slow = new SlowChannel();
        AtomicLong progress = new AtomicLong();
        CompletableFuture<StreamedSnapshot> running =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return client.streamSnapshot(endpoint, slow, progress::set);
                  } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                });
        while (slow.written.get() < (2 << 20)) {
          Thread.sleep(20);
        }
        cluster.kill(cluster.members().get(0));
        assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(EtcdUnavailableException.class)
            .hasMessageStartingWith(endpoint + ": snapshot stream broke after ")
            .hasMessageEndingWith("; try another member");
        assertThat(slow.written.get()).isLessThan(48L << 20);
      }
    }
  }

  @Test
  @Timeout(60)
  void auth_rightPasswordStreams_wrongPasswordAndNonRootAreRejected() throws Exception {
    for (EtcdVersion version : EtcdVersion.values()) {
      try (EtcdCluster cluster =
          EtcdCluster.builder().version(version).name("auth_" + version.displayName()).start()) {
        cluster.etcdctl("role", "add", "root").requireSuccess();
        cluster.etcdctl("user", "add", "root:pass").requireSuccess();
        cluster.etcdctl("user", "grant-role", "root", "root").requireSuccess();
        cluster.etcdctl("user", "add", "alice:secret").requireSuccess();
        cluster.etcdctl("auth", "enable").requireSuccess();
        ConnectionSettings base = ClusterFixture.settings(cluster);
        URI endpoint = base.endpoints().get(0);
        try (EtcdClient client = EtcdClient.connect(base.withCredentials("root", new Secret("pass")))) {
          assertThat(client.streamSnapshot(endpoint, new FailingChannel(Long.MAX_VALUE), SnapshotProgress.none()).size())
              .isPositive();
        }
        assertThatThrownBy(() -> EtcdClient.connect(base.withCredentials("root", new Secret("wrong"))))
            .isInstanceOf(EtcdAuthenticationException.class)
            .hasMessage("etcd rejected user 'root': authentication failed (wrong user name or password)")
            .message()
            .doesNotContain("wrong\"");
        try (EtcdClient alice = EtcdClient.connect(base.withCredentials("alice", new Secret("secret")))) {
          assertThatThrownBy(() -> alice.streamSnapshot(endpoint, new FailingChannel(Long.MAX_VALUE), SnapshotProgress.none()))
              .isInstanceOf(EtcdAuthenticationException.class)
              .hasMessageContaining("user 'alice'")
              .hasMessageContaining("root role");
        }
        try (EtcdClient anonymous = EtcdClient.connect(base)) {
          assertThatThrownBy(() -> anonymous.streamSnapshot(endpoint, new FailingChannel(Long.MAX_VALUE), SnapshotProgress.none()))
              .isInstanceOf(EtcdAuthenticationException.class)
              .hasMessageContaining("give --user and --password");
        }
      }
    }
  }
}
