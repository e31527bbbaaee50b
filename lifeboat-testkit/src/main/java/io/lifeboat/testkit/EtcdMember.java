package io.lifeboat.testkit;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;

/** One member of an {@link EtcdCluster}: its URLs, data directory and log file. */
public record EtcdMember(String name, URI clientUrl, URI peerUrl, Path dataDir, Path logFile) {
  public EtcdMember {
    requireNonNull(name, "name");
    requireNonNull(clientUrl, "clientUrl");
    requireNonNull(peerUrl, "peerUrl");
    requireNonNull(dataDir, "dataDir");
    requireNonNull(logFile, "logFile");
  }
}
