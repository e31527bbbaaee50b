package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * A real etcd cluster of one or more members on free loopback ports, for integration tests.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.builder().version(EtcdVersion.V3_5).members(3).tls(true)
 *     .name("backup_threeMembers").start()) {
 *   etcd.etcdctl("put", "k", "v").requireSuccess();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops every member, deletes the data directories and keeps each member's
 * log under {@code target/etcd-logs/<name>/}; failures raised here name that directory.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Grace for SIGTERM in {@link #close()}. Members stopping together each try to hand leadership
   * to a peer that is itself stopping, which takes about 7 s; the data is deleted anyway, so close
   * waits only briefly before SIGKILL.
   */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final int START_ATTEMPTS = 3;
  private static final Map<String, String> ETCDCTL_ENV = Map.of("ETCDCTL_API", "3");

  private final EtcdVersion version;
  private final List<EtcdMember> members;
  private final Optional<TlsFiles> tls;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final Path logDir;
  private final Duration startTimeout;
  private final Map<String, List<String>> commands;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  /** etcdctl flags for the health check, e.g. {@code --user root:pass} for a restored cluster with auth on. */
  private List<String> healthCheckAuth = List.of();
  private Client client;
  private boolean closed;

  private EtcdCluster(
      EtcdVersion version,
      List<EtcdMember> members,
      Optional<TlsFiles> tls,
      Path workDir,
      boolean ownsWorkDir,
      Path logDir,
      Duration startTimeout,
      Map<String, List<String>> commands) {
    this.version = version;
    this.members = List.copyOf(members);
    this.tls = tls;
    this.workDir = workDir;
    this.ownsWorkDir = ownsWorkDir;
    this.logDir = logDir;
    this.startTimeout = startTimeout;
    this.commands = Map.copyOf(commands);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Boots real etcd, plain HTTP, on data directories that a restore wrote (by Lifeboat or by
   * upstream etcdctl/etcdutl). Each member's name, peer URL and client URL must be those it was
   * restored with; the WAL supplies the cluster, so no {@code --initial-cluster} is passed.
   * Waits until every member is healthy.
   *
   * @throws AssertionError if a member does not come up, with the tail of its log
   */
  public static EtcdCluster boot(EtcdVersion version, String name, List<EtcdMember> members) {
    return boot(version, name, members, List.<String>of());
  }

  private static EtcdCluster boot(EtcdVersion version, String name, List<EtcdMember> members,
      List<String> healthCheckAuth) {
    requireNonNull(version, "version");
    requireNonNull(members, "members");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no members to boot");
    }
    Path etcd = version.etcd();
    version.etcdctl();
    Path logs = EtcdLogDirs.claim(Path.of(System.getProperty("basedir", "."), "target", "etcd-logs"), name);
    Map<String, List<String>> commands = new LinkedHashMap<>();
    List<EtcdMember> placed = new ArrayList<>();
    for (EtcdMember m : members) {
      EtcdMember member = new EtcdMember(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(),
          logs.resolve(m.name() + ".log"));
      placed.add(member);
      commands.put(member.name(), List.of(etcd.toString(), "--name=" + member.name(),
          "--data-dir=" + member.dataDir(), "--listen-client-urls=" + member.clientUrl(),
          "--advertise-client-urls=" + member.clientUrl(), "--listen-peer-urls=" + member.peerUrl(),
          "--initial-advertise-peer-urls=" + member.peerUrl(), "--logger=zap", "--log-outputs=stderr"));
    }
    Path workDir = placed.get(0).dataDir().getParent();
    EtcdCluster cluster = new EtcdCluster(version, placed, Optional.empty(), workDir, false, logs,
        Duration.ofSeconds(30), commands);
    cluster.healthCheckAuth = List.copyOf(healthCheckAuth);
    try {
      placed.forEach(cluster::launch);
      Optional<StartFailure> failure = cluster.awaitHealthy(placed);
      if (failure.isPresent()) {
        throw new AssertionError(failure.get().message());
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.stopWithoutCleanup();
      throw e;
    }
  }

  /**
   * Like {@link #boot(EtcdVersion, String, List)} for a snapshot with authentication enabled: the
   * health check (a read) then needs a user, given as etcdctl's {@code --user user:password}.
   */
  public static EtcdCluster boot(EtcdVersion version, String name, List<EtcdMember> members, String user) {
    return boot(version, name, members, List.of("--user", requireNonNull(user, "user")));
  }

  private String[] healthCheckArgs() {
    List<String> args = new ArrayList<>(healthCheckAuth);
    args.addAll(List.of("endpoint", "health", "--dial-timeout=1s", "--command-timeout=2s"));
    return args.toArray(String[]::new);
  }

  /** A loopback port free at the time of the call, for members a test lays out itself. */
  public static int freeLoopbackPort() {
    return freePort();
  }

  /**
   * Runs any command with a time limit and captures its output. A command still running at the
   * deadline is killed and reported with exit code 124 and a note at the end of stderr.
   */
  public static CommandResult run(Duration timeout, List<String> command) {
    requireNonNull(timeout, "timeout");
    requireNonNull(command, "command");
    return ProcessRunner.run(timeout, command, Map.of());
  }

  public EtcdVersion version() {
    return version;
  }

  public List<EtcdMember> members() {
    return members;
  }

  /** Comma-separated client URLs of every member ({@code https} when TLS is on). */
  public String endpoints() {
    return members.stream().map(m -> m.clientUrl().toString()).collect(Collectors.joining(","));
  }

  public Optional<TlsFiles> tls() {
    return tls;
  }

  /** Where the members' logs are kept, also after {@link #close()}. */
  public Path logDir() {
    return logDir;
  }

  /** The data and certificate directory; deleted by {@link #close()} when the cluster made it. */
  public Path workDir() {
    return workDir;
  }

  /** The process currently (or last) running {@code member}, if it was ever started. */
  public Optional<ProcessHandle> process(EtcdMember member) {
    requireMember(member);
    return Optional.ofNullable(processes.get(member.name())).map(Process::toHandle);
  }

  /**
   * Runs this version's etcdctl against all members, with {@code --endpoints}, the TLS flags and
   * {@code ETCDCTL_API=3} already set. For 3.5 snapshot status and restore use {@link #etcdutl}.
   */
  public CommandResult etcdctl(String... args) {
    return runEtcdctl(endpoints(), args);
  }

  /** Like {@link #etcdctl} against {@code member} alone. */
  public CommandResult etcdctlOn(EtcdMember member, String... args) {
    requireMember(member);
    return runEtcdctl(member.clientUrl().toString(), args);
  }

  /** Runs etcdutl (3.5 only), which works on files and needs no endpoint. */
  public CommandResult etcdutl(String... args) {
    requireNonNull(args, "args");
    Path etcdutl =
        version
            .etcdutl()
            .orElseThrow(
                () ->
                    new UnsupportedOperationException(
                        "etcd "
                            + version.displayName()
                            + " has no etcdutl; use etcdctl snapshot status/restore"));
    List<String> command = new ArrayList<>();
    command.add(etcdutl.toString());
    command.addAll(Arrays.asList(args));
    return ProcessRunner.run(COMMAND_TIMEOUT, command, Map.of());
  }

  /** A jetcd client for all members (with the client certificate when TLS is on), closed with the cluster. */
  public synchronized Client client() {
    if (closed) {
      throw new IllegalStateException("cluster is closed; logs are in " + logDir);
    }
    if (client == null) {
      client = newClient(members);
    }
    return client;
  }

  /**
   * A new jetcd client for the given members, configured like {@link #client()}; the caller closes
   * it. Useful to talk to survivors only after {@link #kill}.
   */
  public Client newClient(List<EtcdMember> targets) {
    requireNonNull(targets, "targets");
    targets.forEach(this::requireMember);
    ClientBuilder builder =
        Client.builder()
            .endpoints(targets.stream().map(EtcdMember::clientUrl).toArray(URI[]::new));
    if (tls.isPresent()) {
      TlsFiles files = tls.get();
      try {
        builder.sslContext(
            ssl ->
                ssl.trustManager(files.caCert().toFile())
                    .keyManager(files.clientCert().toFile(), files.clientKey().toFile()));
      } catch (SSLException e) {
        throw new IllegalStateException("cannot load the test client certificate", e);
      }
    }
    return builder.build();
  }

  /** Sends SIGKILL to {@code member} and waits for it to exit. */
  public void kill(EtcdMember member) {
    requireMember(member);
    Process process = processes.get(member.name());
    if (process != null) {
      destroy(process, Duration.ZERO);
    }
  }

  /** Sends SIGTERM to {@code member}, and SIGKILL if it has not exited within 10 seconds. */
  public void stop(EtcdMember member) {
    requireMember(member);
    Process process = processes.get(member.name());
    if (process != null) {
      destroy(process, STOP_TIMEOUT);
    }
  }

  /**
   * Starts a stopped or killed member again on its data directory and waits until it is healthy.
   */
  public void restart(EtcdMember member) {
    requireMember(member);
    Process running = processes.get(member.name());
    if (running != null && running.isAlive()) {
      throw new IllegalStateException(member.name() + " is still running; stop or kill it first");
    }
    launch(member);
    awaitHealthy(List.of(member)).ifPresent(failure -> {
      throw new AssertionError(failure.message());
    });
  }

  /**
   * Stops every member (also after a failure), closes the client and deletes the data directories.
   * The logs stay in {@link #logDir()}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    processes.values().forEach(Process::destroy);
    long graceEnd = System.nanoTime() + CLOSE_GRACE.toNanos();
    for (Process process : processes.values()) {
      Duration left = Duration.ofNanos(Math.max(1, graceEnd - System.nanoTime()));
      destroy(process, left);
    }
    try {
      if (ownsWorkDir) {
        deleteRecursively(workDir);
      } else {
        for (EtcdMember member : members) {
          deleteRecursively(member.dataDir());
        }
      }
    } catch (UncheckedIOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "etcd %s cluster of %d member(s) at %s (logs in %s)",
        version.displayName(),
        members.size(),
        endpoints(),
        logDir);
  }

  private CommandResult runEtcdctl(String endpoints, String... args) {
    requireNonNull(args, "args");
    List<String> command = new ArrayList<>();
    command.add(version.etcdctl().toString());
    command.add("--endpoints=" + endpoints);
    tls.ifPresent(
        files -> {
          command.add("--cacert=" + files.caCert());
          command.add("--cert=" + files.clientCert());
          command.add("--key=" + files.clientKey());
        });
    command.addAll(Arrays.asList(args));
    return ProcessRunner.run(COMMAND_TIMEOUT, command, ETCDCTL_ENV);
  }

  private void requireMember(EtcdMember member) {
    requireNonNull(member, "member");
    if (!members.contains(member)) {
      throw new IllegalArgumentException(member.name() + " is not a member of " + this);
    }
  }

  private void launch(EtcdMember member) {
    ProcessBuilder builder =
        new ProcessBuilder(commands.get(member.name()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(member.logFile().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    ProcessRunner.scrubEtcdEnvironment(builder.environment());
    try {
      Process process = builder.start();
      LiveProcesses.register(process);
      process.onExit().thenAccept(LiveProcesses::forget);
      processes.put(member.name(), process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + commands.get(member.name()).get(0), e);
    }
  }

  private static void destroy(Process process, Duration grace) {
    try {
      if (grace.isZero()) {
        process.destroyForcibly();
      } else {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        process.destroyForcibly();
      }
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      if (!process.isAlive()) {
        LiveProcesses.forget(process);
      }
    }
  }

  /** Why a member did not come up, and whether starting again on other ports may help. */
  private record StartFailure(String message, boolean portTaken) {}

  /** Polls each member with {@code etcdctl endpoint health} until all are healthy. */
  private Optional<StartFailure> awaitHealthy(List<EtcdMember> targets) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    List<EtcdMember> pending = new ArrayList<>(targets);
    CommandResult lastCheck = new CommandResult(0, "", "");
    while (true) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        EtcdMember member = it.next();
        Process process = processes.get(member.name());
        if (!process.isAlive()) {
          String tail = logTail(member.logFile());
          return Optional.of(
              new StartFailure(
                  String.format(
                      Locale.ROOT,
                      "etcd %s member %s exited with code %d while starting; logs in %s; last"
                          + " lines of %s:%n%s",
                      version.displayName(),
                      member.name(),
                      process.exitValue(),
                      logDir,
                      member.logFile().getFileName(),
                      tail),
                  tail.contains("address already in use")));
        }
        lastCheck =
            etcdctlOn(member, healthCheckArgs());
        if (lastCheck.succeeded()) {
          it.remove();
        }
      }
      if (pending.isEmpty()) {
        return Optional.empty();
      }
      if (System.nanoTime() > deadline) {
        EtcdMember member = pending.get(0);
        return Optional.of(
            new StartFailure(
                String.format(
                    Locale.ROOT,
                    "etcd %s member %s not healthy within %s; logs in %s; last health check: %s;"
                        + " last lines of %s:%n%s",
                    version.displayName(),
                    member.name(),
                    startTimeout,
                    logDir,
                    CommandResult.truncate(lastCheck.output()),
                    member.logFile().getFileName(),
                    logTail(member.logFile())),
                false));
      }
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd to start", e);
      }
    }
  }

  /** The last 30 lines (at most 8 KiB) of a log, for failure messages. */
  static String logTail(Path log) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      long size = channel.size();
      int length = (int) Math.min(size, 8192);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      channel.read(buffer, size - length);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      List<String> lines = text.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path root) {
    try {
      EtcdLogDirs.deleteRecursively(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Configures and starts an {@link EtcdCluster}. */
  public static final class Builder {
    private EtcdVersion version = EtcdVersion.V3_5;
    private int memberCount = 1;
    private boolean tls;
    private Optional<Path> workDir = Optional.empty();
    private Optional<Path> logRoot = Optional.empty();
    private long quotaBackendBytes;
    private String name = "etcd";
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The etcd release; 3.5 unless set. */
    public Builder version(EtcdVersion version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /** 1 (default), 3 or 5 members. */
    public Builder members(int count) {
      if (count != 1 && count != 3 && count != 5) {
        throw new IllegalArgumentException("members must be 1, 3 or 5, not " + count);
      }
      this.memberCount = count;
      return this;
    }

    /** Mutual TLS for clients and peers, with certificates from a fresh {@link CertificateAuthority}. */
    public Builder tls(boolean enabled) {
      this.tls = enabled;
      return this;
    }

    /** Where data directories and certificates go; a new temporary directory unless set. */
    public Builder workDir(Path dir) {
      this.workDir = Optional.of(requireNonNull(dir, "dir"));
      return this;
    }

    /** Where log directories go; {@code ${basedir}/target/etcd-logs} unless set. */
    public Builder logRoot(Path dir) {
      this.logRoot = Optional.of(requireNonNull(dir, "dir"));
      return this;
    }

    /** etcd's {@code --quota-backend-bytes}; etcd's default (2 GiB) unless set. */
    public Builder quotaBackendBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("quotaBackendBytes must be positive, not " + bytes);
      }
      this.quotaBackendBytes = bytes;
      return this;
    }

    /** The test's name, used for the log directory {@code target/etcd-logs/<name>}. */
    public Builder name(String testName) {
      this.name = requireNonNull(testName, "testName");
      return this;
    }

    /** How long each member may take to report healthy; 30 seconds unless set. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Starts the members and waits until every one reports healthy.
     *
     * @throws IllegalStateException if this version's binaries are missing (with the install hint)
     * @throws AssertionError if the cluster does not come up, with the log directory and log tail
     */
    public EtcdCluster start() {
      Path etcd = version.etcd();
      version.etcdctl();
      Path dir;
      boolean ownsDir;
      try {
        if (workDir.isPresent()) {
          dir = Files.createDirectories(workDir.get());
          ownsDir = false;
        } else {
          dir = Files.createTempDirectory("lifeboat-etcd-");
          ownsDir = true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the etcd work directory", e);
      }
      Path logs = claimLogDir();
      Optional<TlsFiles> tlsFiles =
          tls
              ? Optional.of(CertificateAuthority.create("lifeboat-test-ca").writeTlsFiles(dir.resolve("tls")))
              : Optional.empty();
      String token = "lifeboat-" + UUID.randomUUID();
      String scheme = tls ? "https" : "http";

      AssertionError lastFailure = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        List<EtcdMember> members = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        IntSupplier newPort =
            () -> {
              int port;
              do {
                port = freePort();
              } while (!ports.add(port));
              return port;
            };
        for (int i = 0; i < memberCount; i++) {
          String memberName = "member-" + i;
          members.add(
              new EtcdMember(
                  memberName,
                  URI.create(scheme + "://127.0.0.1:" + newPort.getAsInt()),
                  URI.create(scheme + "://127.0.0.1:" + newPort.getAsInt()),
                  dir.resolve(memberName),
                  logs.resolve(memberName + ".log")));
        }
        String initialCluster =
            members.stream()
                .map(m -> m.name() + "=" + m.peerUrl())
                .collect(Collectors.joining(","));
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (EtcdMember member : members) {
          createPrivateDir(member.dataDir());
          commands.put(member.name(), command(etcd, member, initialCluster, token, tlsFiles));
        }
        EtcdCluster cluster =
            new EtcdCluster(version, members, tlsFiles, dir, ownsDir, logs, startTimeout, commands);
        Optional<StartFailure> failure;
        try {
          members.forEach(cluster::launch);
          failure = cluster.awaitHealthy(members);
        } catch (RuntimeException | Error e) {
          cluster.stopWithoutCleanup();
          cluster.close();
          throw e;
        }
        if (failure.isEmpty()) {
          return cluster;
        }
        cluster.stopWithoutCleanup();
        for (EtcdMember member : members) {
          deleteRecursively(member.dataDir());
        }
        lastFailure = new AssertionError(failure.get().message());
        if (!failure.get().portTaken()) {
          break;
        }
      }
      if (ownsDir) {
        deleteRecursively(dir);
      }
      throw lastFailure;
    }

    private List<String> command(
        Path etcd,
        EtcdMember member,
        String initialCluster,
        String token,
        Optional<TlsFiles> tlsFiles) {
      List<String> command = new ArrayList<>();
      command.add(etcd.toString());
      command.add("--name=" + member.name());
      command.add("--data-dir=" + member.dataDir());
      command.add("--listen-client-urls=" + member.clientUrl());
      command.add("--advertise-client-urls=" + member.clientUrl());
      command.add("--listen-peer-urls=" + member.peerUrl());
      command.add("--initial-advertise-peer-urls=" + member.peerUrl());
      command.add("--initial-cluster=" + initialCluster);
      command.add("--initial-cluster-state=new");
      command.add("--initial-cluster-token=" + token);
      // 3.4 defaults to the deprecated capnslog logger; zap gives both versions the same format.
      command.add("--logger=zap");
      command.add("--log-outputs=stderr");
      if (quotaBackendBytes > 0) {
        command.add("--quota-backend-bytes=" + quotaBackendBytes);
      }
      tlsFiles.ifPresent(
          files -> {
            command.add("--client-cert-auth");
            command.add("--trusted-ca-file=" + files.caCert());
            command.add("--cert-file=" + files.serverCert());
            command.add("--key-file=" + files.serverKey());
            command.add("--peer-client-cert-auth");
            command.add("--peer-trusted-ca-file=" + files.caCert());
            command.add("--peer-cert-file=" + files.peerCert());
            command.add("--peer-key-file=" + files.peerKey());
          });
      return List.copyOf(command);
    }

    private Path claimLogDir() {
      Path root =
          logRoot.orElseGet(
              () -> Path.of(System.getProperty("basedir", "."), "target", "etcd-logs"));
      return EtcdLogDirs.claim(root, name);
    }
  }

  /** Kills every member without deleting anything: used between start attempts. */
  private void stopWithoutCleanup() {
    processes.values().forEach(process -> destroy(process, Duration.ZERO));
  }

  private static void createPrivateDir(Path dir) {
    try {
      // etcd refuses (3.4) or warns about (3.5) data directories readable by others.
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /**
   * A loopback port free at the time of the call. Another process may take it before etcd binds
   * it; {@link Builder#start()} then starts again on new ports.
   */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
