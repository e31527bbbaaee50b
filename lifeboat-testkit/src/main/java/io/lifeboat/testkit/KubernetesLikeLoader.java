package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Writes Kubernetes-like data through jetcd so that snapshots have real history: keys under
 * {@code /registry/...}, protobuf-sized values with the {@code k8s\0} prefix, overwrites, deletes,
 * leases with attached event keys, a physical compaction at a mid revision and writes after it.
 *
 * <p>Everything is drawn from one seeded {@link Random} in a fixed order, so the same spec gives
 * the same keys, values and revisions. Requests are pipelined with at most {@link
 * LoadSpec#maxInFlight()} outstanding; within a phase no key is written twice and phases are
 * drained before the next one starts, so the pipeline's reordering never changes the final keys,
 * values and versions (only which revision each write of a phase got).
 *
 * <p>It assumes it is the only writer: the reported revision is the highest one it saw.
 */
public final class KubernetesLikeLoader {
  private static final int MIN_VALUE_BYTES = 200;
  private static final int MAX_VALUE_BYTES = 8192;
  private static final byte[] K8S_PREFIX = {'k', '8', 's', 0};
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Shares of the first keys created, and of live keys overwritten, after the compaction. */
  private static final double AFTER_COMPACTION_NEW_KEYS = 0.10;
  private static final double AFTER_COMPACTION_OVERWRITES = 0.05;

  private static final String[] NAMESPACED = {
    "pods", "pods", "pods", "configmaps", "configmaps", "secrets", "secrets", "services",
    "deployments", "replicasets", "replicasets", "events", "events", "events", "leases",
    "serviceaccounts", "endpointslices", "controllerrevisions"
  };
  private static final String[] CLUSTER_SCOPED = {
    "namespaces", "clusterroles", "clusterrolebindings", "nodes", "persistentvolumes",
    "priorityclasses", "apiregistration.k8s.io/apiservices"
  };
  private static final String[] NAMESPACES = {
    "default", "kube-system", "kube-public", "kube-node-lease", "monitoring", "ingress-nginx",
    "cert-manager", "payments", "checkout", "search", "team-a", "team-b", "team-c", "staging"
  };

  private final Client client;

  public KubernetesLikeLoader(Client client) {
    this.client = requireNonNull(client, "client");
  }

  /**
   * Loads the data described by {@code spec} and returns what etcd holds afterwards.
   *
   * @throws IllegalStateException naming the key when etcd refuses or fails a request
   */
  public LoadResult load(LoadSpec spec) {
    requireNonNull(spec, "spec");
    long started = System.nanoTime();
    Random random = new Random(spec.seed());
    KV kv = client.getKVClient();
    Pipeline pipeline = new Pipeline(spec.maxInFlight());
    List<String> keys = new ArrayList<>();
    List<Boolean> alive = new ArrayList<>();

    // 1. First writes. With a byte target, they take the share left after the later phases.
    double laterShare =
        spec.overwriteFraction() + AFTER_COMPACTION_NEW_KEYS + AFTER_COMPACTION_OVERWRITES;
    long firstWriteBytes = (long) (spec.targetBytes() / (1 + laterShare));
    while (spec.keyCount() > 0
        ? keys.size() < spec.keyCount()
        : pipeline.bytesWritten() < firstWriteBytes) {
      String key = newKey(random, keys.size());
      keys.add(key);
      alive.add(true);
      pipeline.put(kv, key, newValue(random), PutOption.DEFAULT);
    }
    int firstKeys = keys.size();
    // Drained so that no overwrite can overtake the first write of the same key.
    pipeline.drain();

    // 2. Overwrites: every key with probability overwriteFraction, each at most once.
    for (int i = 0; i < firstKeys; i++) {
      if (random.nextDouble() < spec.overwriteFraction()) {
        pipeline.put(kv, keys.get(i), newValue(random), PutOption.DEFAULT);
      }
    }
    pipeline.drain();
    long compactRevision = pipeline.revision();

    // 3. Deletes after the compaction point, so the compacted history still shows them.
    for (int i = 0; i < firstKeys; i++) {
      if (random.nextDouble() < spec.deleteFraction()) {
        alive.set(i, false);
        String key = keys.get(i);
        pipeline.delete(kv, key);
      }
    }

    // 4. Leases with long TTLs and event keys attached, as the API server does for events.
    List<Long> leaseIds = new ArrayList<>();
    for (int l = 0; l < spec.leaseCount(); l++) {
      long leaseId =
          await(client.getLeaseClient().grant(spec.leaseTtlSeconds()), "lease grant").getID();
      leaseIds.add(leaseId);
      PutOption withLease = PutOption.builder().withLeaseId(leaseId).build();
      for (int k = 0; k < spec.keysPerLease(); k++) {
        String key =
            String.format(
                Locale.ROOT,
                "/registry/events/%s/lease-%d-event-%d.%016x",
                NAMESPACES[random.nextInt(NAMESPACES.length)],
                l,
                k,
                random.nextLong());
        keys.add(key);
        alive.add(true);
        pipeline.put(kv, key, newValue(random), withLease);
      }
    }
    pipeline.drain();

    // 5. Physical compaction at the revision reached after the overwrites.
    await(
        kv.compact(compactRevision, CompactOption.builder().withCompactPhysical(true).build()),
        "compaction at revision " + compactRevision);

    // 6. Writes after the compaction: new keys, and overwrites of keys still alive.
    int newAfter = (int) Math.round(firstKeys * AFTER_COMPACTION_NEW_KEYS);
    for (int i = 0; i < newAfter; i++) {
      String key = newKey(random, keys.size());
      keys.add(key);
      alive.add(true);
      pipeline.put(kv, key, newValue(random), PutOption.DEFAULT);
    }
    for (int i = 0; i < firstKeys; i++) {
      if (alive.get(i) && random.nextDouble() < AFTER_COMPACTION_OVERWRITES) {
        pipeline.put(kv, keys.get(i), newValue(random), PutOption.DEFAULT);
      }
    }
    pipeline.drain();

    long liveKeys = alive.stream().filter(Boolean::booleanValue).count();
    return new LoadResult(
        pipeline.revision(),
        compactRevision,
        liveKeys,
        leaseIds,
        pipeline.bytesWritten(),
        pipeline.puts(),
        pipeline.deletes(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String newKey(Random random, int index) {
    // About one key in twelve is cluster-scoped, as in a typical cluster.
    if (random.nextInt(12) == 0) {
      String resource = CLUSTER_SCOPED[random.nextInt(CLUSTER_SCOPED.length)];
      return String.format(
          Locale.ROOT, "/registry/%s/%s-%06d-%s", resource, singular(resource), index, suffix(random));
    }
    String resource = NAMESPACED[random.nextInt(NAMESPACED.length)];
    String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
    return String.format(
        Locale.ROOT,
        "/registry/%s/%s/%s-%06d-%s",
        resource,
        namespace,
        singular(resource),
        index,
        suffix(random));
  }

  private static String singular(String resource) {
    String last = resource.substring(resource.lastIndexOf('/') + 1);
    return last.endsWith("s") ? last.substring(0, last.length() - 1) : last;
  }

  private static String suffix(Random random) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    char[] chars = new char[5];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  /**
   * A value of 200 B to 8 KiB, skewed towards small ones as real objects are: the {@code k8s\0}
   * envelope prefix of the API server's protobuf encoding, then random bytes.
   */
  private static byte[] newValue(Random random) {
    double r = random.nextDouble();
    int size = MIN_VALUE_BYTES + (int) ((MAX_VALUE_BYTES - MIN_VALUE_BYTES) * r * r);
    byte[] value = new byte[size];
    random.nextBytes(value);
    System.arraycopy(K8S_PREFIX, 0, value, 0, K8S_PREFIX.length);
    return value;
  }

  private static ByteSequence bytes(String key) {
    return ByteSequence.from(key, StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not finish within " + REQUEST_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }

  /** Keeps up to {@code maxInFlight} requests outstanding and remembers the first failure. */
  private static final class Pipeline {
    private final int maxInFlight;
    private final Semaphore permits;
    private final AtomicLong revision = new AtomicLong();
    private final AtomicReference<IllegalStateException> failure = new AtomicReference<>();
    private long bytesWritten;
    private long puts;
    private long deletes;

    Pipeline(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      this.permits = new Semaphore(maxInFlight);
    }

    void put(KV kv, String key, byte[] value, PutOption option) {
      ByteSequence keyBytes = bytes(key);
      bytesWritten += keyBytes.size() + value.length;
      puts++;
      submit(key, () -> kv.put(keyBytes, ByteSequence.from(value), option));
    }

    void delete(KV kv, String key) {
      deletes++;
      submit(key, () -> kv.delete(bytes(key)));
    }

    private void submit(String key, Supplier<CompletableFuture<? extends Response>> request) {
      throwIfFailed();
      acquire(1);
      CompletableFuture<? extends Response> future;
      try {
        future = request.get();
      } catch (RuntimeException e) {
        permits.release();
        throw e;
      }
      future.whenComplete(
          (response, error) -> {
            if (error != null) {
              failure.compareAndSet(
                  null,
                  new IllegalStateException(
                      "etcd request for key " + key + " failed: " + error, error));
            } else {
              revision.accumulateAndGet(response.getHeader().getRevision(), Math::max);
            }
            permits.release();
          });
    }

    void drain() {
      acquire(maxInFlight);
      permits.release(maxInFlight);
      throwIfFailed();
    }

    long revision() {
      return revision.get();
    }

    long bytesWritten() {
      return bytesWritten;
    }

    long puts() {
      return puts;
    }

    long deletes() {
      return deletes;
    }

    private void acquire(int count) {
      try {
        if (!permits.tryAcquire(count, REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "etcd requests did not complete within " + REQUEST_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while loading etcd", e);
      }
    }

    private void throwIfFailed() {
      IllegalStateException error = failure.get();
      if (error != null) {
        throw error;
      }
    }
  }
}
