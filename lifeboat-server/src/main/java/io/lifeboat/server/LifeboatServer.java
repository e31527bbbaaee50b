package io.lifeboat.server;

import io.lifeboat.client.ConnectionException;
import io.lifeboat.client.LeaderElection;
import io.lifeboat.repository.retention.GoDuration;
import io.lifeboat.server.config.ServerConfig;
import io.lifeboat.server.http.ApiServer;
import io.lifeboat.server.metrics.ServerMetrics;
import io.lifeboat.server.schedule.Schedule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The running service: the scheduler, the election that decides whether this replica snapshots,
 * and the HTTP listener, wired from one {@link ServerConfig}.
 */
public final class LifeboatServer implements AutoCloseable {
  private final EventLog log;
  private final SnapshotScheduler scheduler;
  private final Optional<LeaderElection> election;
  private final ApiServer api;
  private final ServerMetrics metrics;

  private LifeboatServer(EventLog log, SnapshotScheduler scheduler, Optional<LeaderElection> election, ApiServer api,
      ServerMetrics metrics) {
    this.log = log;
    this.scheduler = scheduler;
    this.election = election;
    this.api = api;
    this.metrics = metrics;
  }

  /**
   * Starts serving.
   *
   * @param locations the location labels snapshots are stored in ({@code local}, {@code s3})
   * @throws IOException when the HTTP listener cannot start or the token file is unusable
   */
  public static LifeboatServer start(ServerConfig config, SnapshotService service, List<String> locations,
      EventLog log, Clock clock) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(clock, "clock");
    ServerMetrics metrics = new ServerMetrics(locations);
    try {
      // After a restart the freshness gauge starts from what the repository holds, not from "never".
      service.list().stream().findFirst().ifPresent(s -> metrics.lastSuccess(s.metadata().createdAt()));
    } catch (IOException | RuntimeException e) {
      log.warn("Listing existing snapshots failed", "err", e.getMessage());
    }
    Optional<LeaderElection> election = Optional.empty();
    if (config.election().enabled()) {
      String candidate = candidateId();
      try {
        election = Optional.of(LeaderElection.start(config.etcd().connectionSettings(), config.election().name(),
            candidate, config.election().leaseTtl(), new ElectionLog(log, metrics)));
      } catch (ConnectionException e) {
        throw new IOException(e.getMessage(), e);
      }
      metrics.leader(false);
      log.info("Campaigning for leadership", "election", config.election().name(), "candidate", candidate,
          "lease_ttl", GoDuration.format(config.election().leaseTtl()));
    } else {
      metrics.leader(true);
    }
    Optional<LeaderElection> elected = election;
    SnapshotScheduler scheduler = new SnapshotScheduler(config.schedule(), config.retention(), service, metrics, log,
        () -> elected.map(LeaderElection::isLeader).orElse(true), clock);
    Optional<Duration> maxAge = config.schedule().enabled()
        ? Optional.of(config.schedule().maxSnapshotAge().orElseGet(() -> twoIntervals(config.schedule().schedule(),
            clock.instant())))
        : Optional.empty();
    ServerReadiness readiness = new ServerReadiness(service, scheduler::lastSuccess, maxAge, clock);
    ApiServer api;
    try {
      api = ApiServer.start(config.http(), service, scheduler, readiness, metrics,
          problem -> log.error("HTTP request failed", "err", problem));
    } catch (IOException | RuntimeException e) {
      election.ifPresent(LeaderElection::close);
      throw e;
    }
    if (config.http().tokenFile().isEmpty() && !config.http().allowUnauthenticatedLoopback()) {
      log.warn("The snapshot API refuses every request: no token file given (--token-file)");
    }
    log.info("Listening", "address", describe(api.address()), "endpoints", "/healthz /readyz /metrics /api/v1/snapshots");
    if (config.schedule().enabled()) {
      log.info("Initializing Rolling Backups", "creation", describe(config.schedule().schedule()),
          "retention", config.retention(), "config", config.source());
    } else {
      log.info("Rolling backups are disabled; snapshots only on request", "config", config.source());
    }
    scheduler.start();
    return new LifeboatServer(log, scheduler, election, api, metrics);
  }

  public InetSocketAddress httpAddress() {
    return api.address();
  }

  /**
   * Stops taking new snapshots, waits up to {@code grace} for a running one to finish, resigns
   * leadership and stops the listener.
   *
   * @return true when no snapshot was cut short
   */
  public boolean shutdown(Duration grace) {
    log.info("Shutting down: letting a running snapshot finish", "grace", GoDuration.format(grace));
    boolean clean = scheduler.shutdown(grace);
    election.ifPresent(LeaderElection::close);
    metrics.leader(false);
    api.close();
    if (clean) {
      log.info("Stopped");
    } else {
      log.error("Stopped while a snapshot was still running: it was interrupted and not stored (its temporary file"
          + " and any partial upload are removed)");
    }
    return clean;
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private static String describe(Schedule schedule) {
    return schedule instanceof Schedule.Interval i ? GoDuration.format(i.period()) : schedule.describe();
  }

  private static String describe(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The default readiness limit: two slots of the schedule. */
  private static Duration twoIntervals(Schedule schedule, Instant now) {
    Instant first = schedule.next(now);
    Instant third = schedule.next(schedule.next(first));
    return Duration.between(first, third);
  }

  private static String candidateId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  /** Election events to the log and the leader gauge. */
  private record ElectionLog(EventLog log, ServerMetrics metrics) implements LeaderElection.Listener {
    @Override
    public void elected(String candidate) {
      metrics.leader(true);
      log.info("Elected leader: taking scheduled snapshots", "candidate", candidate);
    }

    @Override
    public void lost(String reason) {
      metrics.leader(false);
      log.warn("Lost leadership: no scheduled snapshots until elected again", "reason", reason);
    }

    @Override
    public void problem(String message) {
      log.warn("Leader election problem", "err", message);
    }
  }
}
