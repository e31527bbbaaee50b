package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A connection to an etcd cluster: member status, member list and snapshot streaming, each bound
 * to one named endpoint. TLS files are checked before any connection; every failure is an {@link
 *  EtcdClientException} naming the endpoint. The gRPC calls run over {@link
 * io.lifeboat.client.http2.Http2Connection}, our own HTTP/2 client: a gRPC framework's start-up
 * and CPU cost more than a whole snapshot of a small cluster.
 */
public final class EtcdClient implements AutoCloseable {
  /** Bytes of user name and password together: the login request must fit one HTTP/2 frame. */
  static final int MAX_CREDENTIALS = 8 * 1024;
  /** Extra wait beyond the RPC deadlines before a probe is given up. */
  private static final Duration PROBE_MARGIN = Duration.ofMillis(500);

  private final ConnectionSettings settings;
  private final Optional<SSLContext> sslContext;
  private final Failures failures;
  private final Map<URI, EndpointChannel> channels = new ConcurrentHashMap<>();
  private final ExecutorService probes;

  private EtcdClient(ConnectionSettings settings, Optional<SSLContext> sslContext) {
    this.settings = settings;
    this.sslContext = sslContext;
    this.failures = new Failures(settings.tls(), settings.user(), settings.dialTimeout());
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, "lifeboat-etcd-probe-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    this.probes = Executors.newCachedThreadPool(threads);
  }

  /**
   * Checks the TLS files, then dials every endpoint in parallel (and logs in when a user is
   * given), each bounded by the dial and command timeouts. Succeeds when at least one endpoint
   * answers; unreachable members show up later in {@link #probeAll()}.
   *
   * @throws ConnectionException for bad TLS files or a TLS handshake the settings cannot pass
   * @throws EtcdAuthenticationException when etcd rejects the user or password
   * @throws EtcdUnavailableException when no endpoint answers, naming each one and why
   */
  public static EtcdClient connect(ConnectionSettings settings) throws EtcdClientException {
    return connect(settings, InstantSource.system());
  }

  static EtcdClient connect(ConnectionSettings settings, InstantSource clock)
      throws EtcdClientException {
    requireNonNull(settings, "settings");
    requireNonNull(clock, "clock");
    if (settings.password().isPresent() && settings.user().isEmpty()) {
      throw new ConnectionException("--password given without --user");
    }
    long credentials =
        settings.user().map(u -> u.getBytes(StandardCharsets.UTF_8).length).orElse(0)
            + settings.password().map(p -> p.value().getBytes(StandardCharsets.UTF_8).length).orElse(0);
    if (credentials > MAX_CREDENTIALS) {
      // The login request goes in one HTTP/2 frame; no real user name or password comes near this.
      throw new ConnectionException(
          String.format(
              Locale.ROOT,
              "--user and --password together are %d bytes, more than the %d allowed",
              credentials,
              MAX_CREDENTIALS));
    }
    boolean anyHttps = settings.endpoints().stream().anyMatch(e -> e.getScheme().equals("https"));
    Optional<SSLContext> ssl = Optional.empty();
    if (settings.tls().configured() || anyHttps) {
      TlsMaterial material = TlsMaterial.load(settings.tls(), clock);
      ssl = Optional.of(material.sslContext());
    }
    EtcdClient client = new EtcdClient(settings, ssl);
    try {
      client.dialAll();
      return client;
    } catch (EtcdClientException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Asks every endpoint for its status in parallel; never throws for an endpoint's failure. */
  public List<EndpointProbe> probeAll() {
    List<Future<EndpointProbe>> futures = new ArrayList<>();
    for (URI endpoint : settings.endpoints()) {
      futures.add(probes.submit(() -> probe(endpoint)));
    }
    long deadline = System.nanoTime() + probeBound().toNanos();
    List<EndpointProbe> result = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      URI endpoint = settings.endpoints().get(i);
      result.add(await(endpoint, futures.get(i), deadline));
    }
    return List.copyOf(result);
  }

  /**
   * The member to stream from: the leader when it is healthy (reachable, no errors or alarms),
   * else the healthy member with the highest raft index. The fallbacks are the other healthy
   * members, highest raft index first.
   *
   * @throws EtcdUnavailableException when no member is healthy, with each endpoint's reason
   */
  public static SnapshotSourceChoice chooseSource(List<EndpointProbe> probes)
      throws EtcdUnavailableException {
    requireNonNull(probes, "probes");
    List<MemberStatus> healthy = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (EndpointProbe probe : probes) {
      if (probe.status().isEmpty()) {
        String failure = probe.failure().orElse("no status");
        problems.add(
            failure.startsWith(probe.endpoint().toString())
                ? failure
                : probe.endpoint() + ": " + failure);
      } else if (!probe.status().get().errors().isEmpty()) {
        problems.add(
            probe.endpoint() + ": reports " + String.join("; ", probe.status().get().errors()));
      } else {
        healthy.add(probe.status().get());
      }
    }
    if (healthy.isEmpty()) {
      throw new EtcdUnavailableException(
          probes.isEmpty()
              ? "no endpoints to take a snapshot from"
              : "no healthy etcd member to take a snapshot from: " + String.join("; ", problems));
    }
    List<MemberStatus> ordered = new ArrayList<>(healthy);
    ordered.sort(
        Comparator.comparing(MemberStatus::isLeader)
            .thenComparingLong(MemberStatus::raftIndex)
            .reversed());
    MemberStatus chosen = ordered.get(0);
    String reason;
    if (chosen.isLeader()) {
      reason = "leader";
    } else {
      long leaderId =
          probes.stream()
              .flatMap(p -> p.status().stream())
              .mapToLong(MemberStatus::leaderId)
              .filter(id -> id != 0)
              .findFirst()
              .orElse(0);
      Optional<EndpointProbe> leaderProbe =
          probes.stream()
              .filter(p -> p.status().map(s -> s.isLeader()).orElse(false))
              .findFirst();
      String leaderState;
      if (leaderId == 0) {
        leaderState = "no leader known";
      } else if (leaderProbe.isPresent()) {
        leaderState =
            String.format(
                Locale.ROOT,
                "leader %s reports %s",
                MemberStatus.hex(leaderId),
                String.join("; ", leaderProbe.get().status().orElseThrow().errors()));
      } else {
        leaderState =
            String.format(Locale.ROOT, "leader %s unreachable", MemberStatus.hex(leaderId));
      }
      reason = "highest raft index, " + leaderState;
    }
    return new SnapshotSourceChoice(chosen, reason, ordered.subList(1, ordered.size()));
  }

  /**
   * Streams the snapshot of exactly the member at {@code endpoint} into {@code out} (etcd's
   * image followed by its sha256 trailer, which is checked), telling {@code progress} after each
   * chunk. Holds at most a few MB in memory whatever the writer's speed.
   *
   * @return the bytes written, trailer included, and their SHA-256
   * @throws IOException from {@code out}, after the stream has been cancelled
   * @throws EtcdUnavailableException when the member fails or dies, naming it and the bytes
   *     received so far
   * @throws EtcdAuthenticationException when the user may not take snapshots
   * @throws SnapshotIntegrityException when the stream ends without a valid sha256 trailer
   */
  public StreamedSnapshot streamSnapshot(URI endpoint, WritableByteChannel out, SnapshotProgress progress)
      throws IOException {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(out, "out");
    requireNonNull(progress, "progress");
    EndpointChannel channel = channel(endpoint);
    return SnapshotStream.copy(channel, failures, out, progress);
  }

  /**
   * The cluster's members as the first answering endpoint sees them.
   *
   * @throws EtcdClientException when no endpoint answers, naming each
   */
  public List<Member> memberList() throws EtcdClientException {
    List<String> problems = new ArrayList<>();
    EtcdClientException last = null;
    for (URI endpoint : settings.endpoints()) {
      try {
        return EtcdMessages.members(
            channel(endpoint).unary(EtcdMessages.MEMBER_LIST, EtcdMessages.EMPTY_REQUEST));
      } catch (GrpcException e) {
        last = failures.translate(endpoint, "member list", e, -1);
        if (!(last instanceof EtcdUnavailableException)) {
          throw last;
        }
        problems.add(last.getMessage());
      }
    }
    throw new EtcdUnavailableException(
        "member list failed on every endpoint: " + String.join("; ", problems), last);
  }

  /** The endpoints this client was given, normalized. */
  public List<URI> endpoints() {
    return settings.endpoints();
  }

  @Override
  public void close() {
    probes.shutdownNow();
    channels.values().forEach(EndpointChannel::close);
    channels.clear();
  }

  private void dialAll() throws EtcdClientException {
    List<Future<Optional<EtcdClientException>>> futures = new ArrayList<>();
    for (URI endpoint : settings.endpoints()) {
      futures.add(probes.submit(() -> dial(endpoint)));
    }
    long deadline = System.nanoTime() + probeBound().toNanos();
    List<EtcdClientException> problems = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      URI endpoint = settings.endpoints().get(i);
      Optional<EtcdClientException> problem;
      try {
        problem = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        futures.get(i).cancel(true);
        problem = Optional.of(timedOut(endpoint));
      } catch (ExecutionException e) {
        problem = Optional.of(failures.translate(endpoint, "dial", e.getCause(), -1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EtcdUnavailableException("interrupted while dialing " + endpoint, e);
      }
      problem.ifPresent(problems::add);
    }
    // A setting that is wrong (TLS, password) is wrong everywhere: report it even if some
    // endpoint answered.
    for (EtcdClientException problem : problems) {
      if (!(problem instanceof EtcdUnavailableException)) {
        throw problem;
      }
    }
    if (problems.size() == settings.endpoints().size()) {
      if (problems.size() == 1) {
        throw problems.get(0);
      }
      EtcdUnavailableException all =
          new EtcdUnavailableException(
              "no etcd endpoint answered: "
                  + problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
      problems.forEach(all::addSuppressed);
      throw all;
    }
  }

  private Optional<EtcdClientException> dial(URI endpoint) {
    try {
      EndpointChannel channel = channel(endpoint);
      if (settings.user().isPresent()) {
        channel.authenticate();
      } else {
        channel.unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST);
      }
      return Optional.empty();
    } catch (GrpcException e) {
      return Optional.of(failures.translate(endpoint, "dial", e, -1));
    }
  }

  private EndpointProbe probe(URI endpoint) {
    try {
      return EndpointProbe.reached(
          EtcdMessages.status(
              endpoint, channel(endpoint).unary(EtcdMessages.STATUS, EtcdMessages.EMPTY_REQUEST)));
    } catch (GrpcException e) {
      return EndpointProbe.failed(
          endpoint, failures.translate(endpoint, "status", e, -1).getMessage());
    }
  }

  private EndpointProbe await(URI endpoint, Future<EndpointProbe> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return EndpointProbe.failed(endpoint, timedOut(endpoint).getMessage());
    } catch (ExecutionException e) {
      return EndpointProbe.failed(
          endpoint, failures.translate(endpoint, "status", e.getCause(), -1).getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EndpointProbe.failed(endpoint, endpoint + ": interrupted");
    }
  }

  private EtcdUnavailableException timedOut(URI endpoint) {
    return new EtcdUnavailableException(
        String.format(
            Locale.ROOT,
            "%s: no answer within %s (dial timeout %s, command timeout %s)",
            endpoint,
            Failures.format(probeBound()),
            Failures.format(settings.dialTimeout()),
            Failures.format(settings.commandTimeout())));
  }

  private Duration probeBound() {
    return settings.dialTimeout().plus(settings.commandTimeout()).plus(PROBE_MARGIN);
  }

  private EndpointChannel channel(URI endpoint) {
    return channels.computeIfAbsent(
        endpoint, e -> EndpointChannel.open(e, sslContext, settings));
  }
}
