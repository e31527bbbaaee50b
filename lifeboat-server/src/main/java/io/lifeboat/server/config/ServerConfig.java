package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import io.lifeboat.repository.retention.RetentionPolicy;

/**
 * Everything the server needs to run, whichever source it came from (see {@link ConfigLoader}).
 *
 * @param source where the configuration came from, for the startup log: {@code lifeboat.yml
 *     /etc/lifeboat.yml}, {@code RKE cluster.yml /x/cluster.yml} or {@code environment}
 */
public record ServerConfig(
    EtcdSettings etcd,
    ScheduleSettings schedule,
    RetentionPolicy retention,
    StorageSettings storage,
    HttpSettings http,
    ElectionSettings election,
    LogFormat logFormat,
    String source) {
  public ServerConfig {
    requireNonNull(etcd, "etcd");
    requireNonNull(schedule, "schedule");
    requireNonNull(retention, "retention");
    requireNonNull(storage, "storage");
    requireNonNull(http, "http");
    requireNonNull(election, "election");
    requireNonNull(logFormat, "logFormat");
    requireNonNull(source, "source");
  }
}
