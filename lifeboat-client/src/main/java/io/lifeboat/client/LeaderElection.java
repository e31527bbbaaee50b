package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * Leadership among several Lifeboat replicas through etcd's election API: each replica campaigns
 * under one election name with a key bound to its own lease; etcd makes the oldest key the leader.
 * When the leader dies its lease expires after the TTL and the next candidate is elected.
 *
 * <p>Safety first: a replica counts itself leader only while its lease is known to be alive, that
 * is until the TTL has passed since the last keep-alive that etcd confirmed (less a margin for
 * clock skew between the two). A replica that cannot renew stops leading before etcd can elect
 * another, so two replicas never both believe they lead.
 *
 * <p>Talks to one endpoint at a time; after a failure it moves on to the next.
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
  private final Optional<SSLContext> tls;
  private final Failures failures;
  private final byte[] name;
  private final byte[] candidate;
  private final String candidateId;
  private final Duration ttl;
  private final Listener listener;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;
  /** Runs the campaign call, which blocks until elected, while the election thread renews. */
  private final ExecutorService campaigns;
  private volatile Instant leaseValidUntil = Instant.MIN;
  private volatile boolean elected;
  private int endpointIndex;
  private volatile EndpointChannel channel;
  private volatile Optional<byte[]> leaderKey = Optional.empty();
  private volatile long leaseId;

  private LeaderElection(ConnectionSettings settings, Optional<SSLContext> tls, String name,
      String candidateId, Duration ttl, Listener listener, Clock clock) {
    this.settings = settings;
    this.tls = tls;
    this.failures = new Failures(settings.tls(), settings.user(), settings.dialTimeout());
    this.name = name.getBytes(StandardCharsets.UTF_8);
    this.candidateId = candidateId;
    this.candidate = candidateId.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.listener = listener;
    this.clock = clock;
    this.thread = new Thread(this::run, "lifeboat-election");
    this.thread.setDaemon(true);
    this.campaigns =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread campaign = new Thread(runnable, "lifeboat-election-campaign");
              campaign.setDaemon(true);
              return campaign;
            });
    this.channel = EndpointChannel.open(settings.endpoints().get(0), tls, settings);
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
    Optional<SSLContext> tls = Optional.empty();
    boolean anyHttps = settings.endpoints().stream().anyMatch(e -> e.getScheme().equals("https"));
    if (settings.tls().configured() || anyHttps) {
      tls = Optional.of(TlsMaterial.load(settings.tls(), InstantSource.system()).sslContext());
    }
    LeaderElection election =
        new LeaderElection(settings, tls, name, candidateId, ttl, listener, Clock.systemUTC());
    election.thread.start();
    return election;
  }

  /** True while this replica leads and its lease is known to be alive. */
  public boolean isLeader() {
    return elected && clock.instant().isBefore(leaseValidUntil);
  }

  private void run() {
    Duration pause = Duration.ofMillis(500);
    while (!closed.get()) {
      try {
        campaignAndLead();
        pause = Duration.ofMillis(500);
      } catch (InterruptedException e) {
        return;
      } catch (GrpcException | RuntimeException e) {
        if (closed.get()) {
          return;
        }
        listener.problem("leader election: " + describe(e));
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
  private void campaignAndLead() throws InterruptedException, GrpcException {
    EndpointChannel c = channel;
    long renewEvery = Math.max(500, ttl.toMillis() / 3);
    Instant asked = clock.instant();
    long lease =
        EtcdMessages.grantedLease(
            c.unary(EtcdMessages.LEASE_GRANT, EtcdMessages.leaseGrantRequest(ttl.toSeconds())));
    leaseId = lease;
    leaseValidUntil = asked.plus(ttl);
    byte[] request = EtcdMessages.campaignRequest(name, lease, candidate);
    Future<ByteBuffer> campaign =
        campaigns.submit(() -> c.awaiting(EtcdMessages.CAMPAIGN, request));
    // While waiting to be elected the lease must stay alive too, or our candidate key vanishes.
    try {
      while (!campaign.isDone()) {
        try {
          campaign.get(renewEvery, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          renew(c, lease);
        }
        if (closed.get()) {
          return;
        }
      }
      leaderKey = Optional.of(EtcdMessages.leaderKey(campaign.get()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GrpcException grpc) {
        throw grpc;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      // Interrupting the call closes its connection, which ends the campaign on the server too.
      campaign.cancel(true);
    }
    renew(c, lease);
    elected = true;
    listener.elected(candidateId);
    while (!closed.get()) {
      if (!sleep(Duration.ofMillis(renewEvery))) {
        throw new InterruptedException();
      }
      renew(c, lease);
    }
  }

  private void renew(EndpointChannel c, long lease) throws GrpcException {
    Instant asked = clock.instant();
    long granted =
        EtcdMessages.renewedTtl(
            c.unary(EtcdMessages.LEASE_KEEP_ALIVE, EtcdMessages.leaseRequest(lease)));
    if (granted <= 0) {
      throw new IllegalStateException("lease " + Long.toHexString(lease) + " expired");
    }
    // Count from when we asked, less a margin for clock skew: never beyond what etcd grants.
    leaseValidUntil = asked.plusSeconds(granted).minus(skewMargin());
  }

  private Duration skewMargin() {
    return ttl.dividedBy(5);
  }

  /** Moves on to the next endpoint, with a fresh connection. */
  private void reconnect() {
    EndpointChannel old = channel;
    endpointIndex = (endpointIndex + 1) % settings.endpoints().size();
    channel = EndpointChannel.open(settings.endpoints().get(endpointIndex), tls, settings);
    old.close();
  }

  private String describe(Exception e) {
    URI endpoint = channel.endpoint();
    return e instanceof GrpcException
        ? failures.translate(endpoint, "leader election", e, -1).getMessage()
        : Failures.shorten(rootMessage(e));
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
    campaigns.shutdownNow();
    EndpointChannel c = channel;
    if (wasLeader && leaderKey.isPresent()) {
      try {
        c.unary(EtcdMessages.RESIGN, EtcdMessages.resignRequest(leaderKey.get()));
        c.unary(EtcdMessages.LEASE_REVOKE, EtcdMessages.leaseRequest(leaseId));
      } catch (GrpcException | RuntimeException e) {
        // The lease expires by itself within the TTL.
      }
    }
    c.close();
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
