package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.election.LeaderKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leadership among several Lifeboat replicas through etcd's election API: each replica campaigns
 * under one election name with a key bound to its own lease; etcd makes the oldest key the leader.
 * When the leader dies its lease expires after the TTL and the next candidate is elected.
 *
 * <p>Safety first: a replica counts itself leader only while its lease is known to be alive, that
 * is until the TTL has passed since the last keep-alive that etcd confirmed (less a margin for
 * clock skew between the two). A replica that cannot renew stops leading before etcd can elect
 * another, so two replicas never both believe they lead.
 */
public final class LeaderElection implements AutoCloseable {
  /** What the election tells its owner; called from the election's thread. */
  public interface Listener {
    void elected(String candidate);

    void lost(String reason);

    /** A failure talking to etcd; the election retries by itself. */
    void problem(String message);
  }

  private final ConnectionSettings settings;
  private final ByteSequence name;
  private final ByteSequence candidate;
  private final String candidateId;
  private final Duration ttl;
  private final Listener listener;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;
  private volatile Instant leaseValidUntil = Instant.MIN;
  private volatile boolean elected;
  private volatile Client client;
  private volatile Optional<LeaderKey> leaderKey = Optional.empty();

  private LeaderElection(ConnectionSettings settings, String name, String candidateId, Duration ttl,
      Listener listener, Clock clock) {
    this.settings = settings;
    this.name = ByteSequence.from(name, StandardCharsets.UTF_8);
    this.candidateId = candidateId;
    this.candidate = ByteSequence.from(candidateId, StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.listener = listener;
    this.clock = clock;
    this.thread = new Thread(this::run, "lifeboat-election");
    this.thread.setDaemon(true);
  }

  /**
   * Starts campaigning in the background.
   *
   * @param name the election name; every replica of one deployment uses the same
   * @param candidateId this replica's identity, stored as the leader key's value (host and pid)
   * @param ttl the lease TTL: how long a dead leader keeps the role, at least 2 s
   * @throws ConnectionException for unusable TLS files
   */
  public static LeaderElection start(ConnectionSettings settings, String name, String candidateId, Duration ttl,
      Listener listener) throws ConnectionException {
    requireNonNull(settings, "settings");
    requireNonNull(name, "name");
    requireNonNull(candidateId, "candidateId");
    requireNonNull(ttl, "ttl");
    requireNonNull(listener, "listener");
    if (ttl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("the election lease TTL must be at least 2s");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("the election name must not be empty");
    }
    LeaderElection election = new LeaderElection(settings, name, candidateId, ttl, listener, Clock.systemUTC());
    election.client = election.newClient();
    election.thread.start();
    return election;
  }

  /** True while this replica leads and its lease is known to be alive. */
  public boolean isLeader() {
    return elected && clock.instant().isBefore(leaseValidUntil);
  }

  private Client newClient() throws ConnectionException {
    ClientBuilder builder = Client.builder()
        .endpoints(settings.endpoints())
        .connectTimeout(settings.dialTimeout())
        .keepaliveTime(Duration.ofSeconds(5))
        .keepaliveTimeout(Duration.ofSeconds(5))
        .retryMaxAttempts(2)
        .retryDelay(100)
        .retryMaxDelay(1000)
        .waitForReady(false);
    boolean anyHttps = settings.endpoints().stream().anyMatch(e -> e.getScheme().equals("https"));
    if (settings.tls().configured() || anyHttps) {
      builder.sslContext(TlsMaterial.load(settings.tls(), java.time.InstantSource.system()).sslContext());
    }
    settings.user().ifPresent(u -> builder.user(ByteSequence.from(u, StandardCharsets.UTF_8)));
    settings.password().ifPresent(p -> builder.password(ByteSequence.from(p.value(), StandardCharsets.UTF_8)));
    return builder.build();
  }

  private void run() {
    Duration pause = Duration.ofMillis(500);
    while (!closed.get()) {
      try {
        campaignAndLead();
        pause = Duration.ofMillis(500);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        if (closed.get()) {
          return;
        }
        listener.problem("leader election: " + Failures.shorten(rootMessage(e)));
      }
      if (elected) {
        elected = false;
        listener.lost("the lease could not be renewed");
      }
      if (!sleep(pause)) {
        return;
      }
      pause = pause.multipliedBy(2).compareTo(ttl) > 0 ? ttl : pause.multipliedBy(2);
      reconnect();
    }
  }

  /** One term: a fresh lease, a campaign that waits until elected, then renewals until one fails. */
  private void campaignAndLead() throws InterruptedException, ExecutionException, TimeoutException {
    Client c = client;
    long renewEvery = Math.max(500, ttl.toMillis() / 3);
    Instant asked = clock.instant();
    long leaseId = c.getLeaseClient().grant(ttl.toSeconds()).get(rpcTimeout(), TimeUnit.MILLISECONDS).getID();
    leaseValidUntil = asked.plus(ttl);
    CompletableFuture<io.etcd.jetcd.election.CampaignResponse> campaign =
        c.getElectionClient().campaign(name, leaseId, candidate);
    // While waiting to be elected the lease must stay alive too, or our candidate key vanishes.
    while (!campaign.isDone()) {
      try {
        campaign.get(renewEvery, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        renew(c, leaseId);
      }
      if (closed.get()) {
        campaign.cancel(true);
        return;
      }
    }
    leaderKey = Optional.of(campaign.get().getLeader());
    renew(c, leaseId);
    elected = true;
    listener.elected(candidateId);
    while (!closed.get()) {
      if (!sleep(Duration.ofMillis(renewEvery))) {
        throw new InterruptedException();
      }
      renew(c, leaseId);
    }
  }

  private void renew(Client c, long leaseId) throws InterruptedException, ExecutionException, TimeoutException {
    Instant asked = clock.instant();
    long granted = c.getLeaseClient().keepAliveOnce(leaseId).get(rpcTimeout(), TimeUnit.MILLISECONDS).getTTL();
    if (granted <= 0) {
      throw new IllegalStateException("lease " + Long.toHexString(leaseId) + " expired");
    }
    // Count from when we asked, less a margin for clock skew: never beyond what etcd grants.
    leaseValidUntil = asked.plusSeconds(granted).minus(skewMargin());
  }

  private Duration skewMargin() {
    return ttl.dividedBy(5);
  }

  private long rpcTimeout() {
    return settings.dialTimeout().plus(settings.commandTimeout()).toMillis();
  }

  private void reconnect() {
    Client old = client;
    try {
      client = newClient();
    } catch (ConnectionException e) {
      listener.problem("leader election: " + e.getMessage());
      return;
    }
    closeQuietly(old);
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return !closed.get();
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Resigns when leading (the next candidate takes over at once instead of after the TTL), then stops. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean wasLeader = elected;
    elected = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Client c = client;
    if (wasLeader && leaderKey.isPresent()) {
      try {
        c.getElectionClient().resign(leaderKey.get()).get(rpcTimeout(), TimeUnit.MILLISECONDS);
        c.getLeaseClient().revoke(leaderKey.get().getLease()).get(rpcTimeout(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // The lease expires by itself within the TTL.
      }
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Client c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      // Closing a client whose channels already failed; nothing to keep.
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }
}
