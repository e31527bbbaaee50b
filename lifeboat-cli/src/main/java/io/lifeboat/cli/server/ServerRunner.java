package io.lifeboat.cli.server;

import io.lifeboat.cli.EtcdConnectionOptions;
import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.GoDuration;
import io.lifeboat.cli.LifeboatCommand;
import io.lifeboat.cli.UsageException;
import io.lifeboat.server.EventLog;
import io.lifeboat.server.LifeboatServer;
import io.lifeboat.server.config.ConfigException;
import io.lifeboat.server.config.ConfigLoader;
import io.lifeboat.server.config.LogFormat;
import io.lifeboat.server.config.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import sun.misc.Signal;

/** Wires {@code lifeboat server}: configuration, the snapshot service, the server, and the signals that stop it. */
final class ServerRunner {
  private ServerRunner() {}

  static int run(ServerCommand command, CommandSpec spec) throws Exception {
    Duration grace = GoDuration.parse("--shutdown-grace", command.shutdownGrace);
    Map<String, String> environment = new HashMap<>(System.getenv());
    overrides(command, spec, environment);
    ServerConfig config;
    try {
      config = ConfigLoader.load(Optional.ofNullable(command.config), Optional.ofNullable(command.rkeConfig),
          environment);
    } catch (ConfigException e) {
      // Every problem at once, one self-contained line each (the usual error path joins lines).
      java.io.PrintWriter err = spec.commandLine().getErr();
      for (String problem : e.problems()) {
        err.println("Error: " + problem);
      }
      err.flush();
      return ExitCode.USAGE.code();
    }
    Clock clock = Clock.systemUTC();
    boolean debug = "1".equals(System.getenv("LIFEBOAT_DEBUG"));
    EventLog log = new EventLog(config.logFormat(), System.err, clock, debug);
    CountDownLatch stop = new CountDownLatch(1);
    // HUP too (a closed terminal): otherwise the one-shot commands' handler (StopOnSignal) would cut it short.
    for (String signal : new String[] {"TERM", "INT", "HUP"}) {
      Signal.handle(new Signal(signal), s -> {
        log.info("Received signal", "signal", "SIG" + s.getName());
        stop.countDown();
      });
    }
    try (CliSnapshotService service = CliSnapshotService.open(config, log, clock)) {
      LifeboatServer server = LifeboatServer.start(config, service, service.locationLabels(), log, clock);
      stop.await();
      // Exit 0 either way, as the issue asks: a snapshot cut short by the grace is not stored, its
      // temporary file goes with the process (PendingFile's shutdown hook), and the log says so.
      server.shutdown(grace);
      return ExitCode.OK.code();
    }
  }

  /** Flags, and global etcd flags given explicitly, override the environment and the files. */
  private static void overrides(ServerCommand command, CommandSpec spec, Map<String, String> environment) {
    if (command.listen != null) {
      environment.put("LIFEBOAT_LISTEN", command.listen);
    }
    if (command.tokenFile != null) {
      environment.put("LIFEBOAT_TOKEN_FILE", command.tokenFile.toString());
    }
    if (command.noAuthOnLoopback) {
      environment.put("LIFEBOAT_API_NO_AUTH_ON_LOOPBACK", "true");
    }
    if (command.logFormat != null) {
      try {
        LogFormat.parse(command.logFormat);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--log-format: " + e.getMessage());
      }
      environment.put("LIFEBOAT_LOG_FORMAT", command.logFormat);
    }
    ParseResult rootResult = spec.root().commandLine().getParseResult();
    ParseResult ownResult = spec.commandLine().getParseResult();
    java.util.function.Predicate<String> given = name -> rootResult.hasMatchedOption(name)
        || ownResult.hasMatchedOption(name);
    EtcdConnectionOptions etcd = ((LifeboatCommand) spec.root().userObject()).connection();
    if (given.test("--endpoints")) {
      environment.put("LIFEBOAT_ENDPOINTS", etcd.endpoints());
    }
    etcd.cacert().filter(p -> given.test("--cacert"))
        .ifPresent(p -> environment.put("LIFEBOAT_CACERT", p.toString()));
    etcd.cert().filter(p -> given.test("--cert"))
        .ifPresent(p -> environment.put("LIFEBOAT_CERT", p.toString()));
    etcd.key().filter(p -> given.test("--key"))
        .ifPresent(p -> environment.put("LIFEBOAT_KEY", p.toString()));
    if (given.test("--dial-timeout")) {
      environment.put("LIFEBOAT_DIAL_TIMEOUT", io.lifeboat.repository.retention.GoDuration.format(etcd.dialTimeout()));
    }
    if (given.test("--command-timeout")) {
      environment.put("LIFEBOAT_COMMAND_TIMEOUT",
          io.lifeboat.repository.retention.GoDuration.format(etcd.commandTimeout()));
    }
    if (given.test("--insecure-skip-tls-verify")) {
      environment.put("LIFEBOAT_INSECURE_SKIP_TLS_VERIFY", Boolean.toString(etcd.insecureSkipTlsVerify()));
    }
    if (given.test("--user") || given.test("--password")) {
      throw new UsageException("the server reads etcd credentials from its configuration (etcd.user and"
          + " etcd.passwordFile, or LIFEBOAT_USER and LIFEBOAT_PASSWORD_FILE), never from flags");
    }
  }
}
