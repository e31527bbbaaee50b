package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdMember;
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
    private final long pauseMillis;

    SlowChannel() {
      this(5);
    }

    SlowChannel(long pauseMillis) {
      this.pauseMillis = pauseMillis;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      try {
        Thread.sleep(pauseMillis);
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
  @Timeout(120)
  void interruptEndsTheStreamAtOnce_andAFrozenMemberIsGivenUpAfterAnUnansweredPing() throws Exception {
    try (EtcdCluster cluster =
        EtcdCluster.builder().version(EtcdVersion.V3_4).name("streamFrozen").start()) {
      new KubernetesLikeLoader(cluster.client()).load(LoadSpec.bytes(48L << 20));
      EtcdMember member = cluster.members().get(0);
      URI endpoint = member.clientUrl();
      try (EtcdClient client = EtcdClient.connect(ClusterFixture.settings(cluster))) {
        SlowChannel slow = new SlowChannel(50);
        CompletableFuture<StreamedSnapshot> interrupted = new CompletableFuture<>();
        Thread saver =
            new Thread(
                () -> {
                  try {
                    interrupted.complete(client.streamSnapshot(endpoint, slow, SnapshotProgress.none()));
                  } catch (Throwable t) {
                    interrupted.completeExceptionally(t);
                  }
                });
        saver.start();
        while (slow.written.get() < (1 << 20)) {
          Thread.sleep(20);
        }
        long start = System.nanoTime();
        saver.interrupt();
        assertThatThrownBy(() -> interrupted.get(5, TimeUnit.SECONDS))
            .cause()
            .isExactlyInstanceOf(java.io.InterruptedIOException.class)
            .hasMessageStartingWith(endpoint + ": snapshot interrupted after ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // The member was left in good order, and so was the client: the next stream is whole.
        assertThat(client.streamSnapshot(endpoint, new FailingChannel(Long.MAX_VALUE), SnapshotProgress.none()).size())
            .isGreaterThan(48L << 20);

        SlowChannel frozenWriter = new SlowChannel(50);
        CompletableFuture<StreamedSnapshot> frozen =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return client.streamSnapshot(endpoint, frozenWriter, SnapshotProgress.none());
                  } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                });
        while (frozenWriter.written.get() < (1 << 20)) {
          Thread.sleep(20);
        }
        long pid = cluster.process(member).orElseThrow().pid();
        signal("STOP", pid);
        try {
          // A frozen member (or a cut network) sends nothing and answers no ping: given up after
          // the keepalive time and timeout, 10 s each, instead of hanging the backup job.
          assertThatThrownBy(() -> frozen.get(60, TimeUnit.SECONDS))
              .cause()
              .isInstanceOf(EtcdUnavailableException.class)
              .hasMessageStartingWith(endpoint + ": snapshot stream broke after ")
              .hasMessageContaining("the server sent nothing for 20s and did not answer a ping");
          assertThat(frozenWriter.written.get()).isLessThan(48L << 20);
        } finally {
          signal("CONT", pid);
        }
      }
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor())
        .isZero();
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
