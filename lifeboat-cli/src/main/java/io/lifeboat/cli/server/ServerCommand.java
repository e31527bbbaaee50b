package io.lifeboat.cli.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    description = {
      "Run the recurring-snapshot service: a snapshot at every slot of the schedule (by the elected leader when"
          + " several replicas run), retention applied after each, /healthz /readyz /metrics and a snapshot API.",
      "Configuration: --config (Lifeboat's YAML) or --rke-config (an RKE cluster.yml), then the environment:"
          + " LIFEBOAT_* for every setting, Rancher's EMBEDDED_BACKUPS / BACKUP_PERIOD / BACKUP_RETENTION, and"
          + " ETCDCTL_* for what the file leaves unset. Flags here override all of them.",
      "SIGTERM lets a running snapshot finish (up to --shutdown-grace), then exits 0."
    },
    mixinStandardHelpOptions = true)
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Lifeboat's YAML configuration (see docs/server.md).")
  Path config;

  @Option(names = "--rke-config", paramLabel = "FILE",
      description = "An RKE cluster.yml: etcd nodes give the endpoints, services.etcd.backup_config the schedule,"
          + " retention and S3 settings.")
  Path rkeConfig;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "HTTP listen address (default 127.0.0.1:9090; env LIFEBOAT_LISTEN).")
  String listen;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File whose first line is the bearer token the API requires (env LIFEBOAT_TOKEN_FILE).")
  Path tokenFile;

  @Option(names = "--no-auth-on-loopback",
      description = "Serve the API without a token; only allowed when listening on a loopback address.")
  boolean noAuthOnLoopback;

  @Option(names = "--log-format", paramLabel = "logfmt|json", description = "Log lines as logfmt (default) or JSON.")
  String logFormat;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10m",
      description = "On SIGTERM, how long a running snapshot may take to finish (default: ${DEFAULT-VALUE}).")
  String shutdownGrace;

  @Override
  public Integer call() throws Exception {
    return ServerRunner.run(this, spec);
  }
}
