package io.lifeboat.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The etcd releases the tests run against, and where their binaries are.
 *
 * <p>Each version's bin directory is resolved, in order, from a system property (so a test can
 * point it elsewhere without touching the environment), an environment variable, and a default.
 * A missing binary is an error with the install command, never a reason to skip a test.
 */
public enum EtcdVersion {
  V3_4("3.4", "lifeboat.etcd.3.4.bin", "LIFEBOAT_ETCD_3_4_BIN", false) {
    @Override
    Path defaultBinDir() {
      return Path.of("/usr/bin");
    }
  },
  V3_5("3.5", "lifeboat.etcd.3.5.bin", "LIFEBOAT_ETCD_3_5_BIN", true) {
    @Override
    Path defaultBinDir() {
      return Path.of(System.getProperty("user.home"), ".cache", "lifeboat", "etcd-3.5", "usr", "bin");
    }
  };

  private final String displayName;
  private final String systemProperty;
  private final String environmentVariable;
  private final boolean hasEtcdutl;

  EtcdVersion(
      String displayName, String systemProperty, String environmentVariable, boolean hasEtcdutl) {
    this.displayName = displayName;
    this.systemProperty = systemProperty;
    this.environmentVariable = environmentVariable;
    this.hasEtcdutl = hasEtcdutl;
  }

  abstract Path defaultBinDir();

  /** "3.4" or "3.5". */
  public String displayName() {
    return displayName;
  }

  /** The system property that overrides the bin directory, checked before the environment. */
  public String systemProperty() {
    return systemProperty;
  }

  /** The environment variable that overrides the bin directory. */
  public String environmentVariable() {
    return environmentVariable;
  }

  /**
   * The directory holding this version's etcd and etcdctl (and etcdutl for 3.5).
   *
   * @throws IllegalStateException naming the directory and how to install etcd there
   */
  public Path binDir() {
    Path dir = configuredBinDir();
    requireExecutable(dir, "etcd");
    requireExecutable(dir, "etcdctl");
    if (hasEtcdutl) {
      requireExecutable(dir, "etcdutl");
    }
    return dir;
  }

  public Path etcd() {
    return binDir().resolve("etcd");
  }

  public Path etcdctl() {
    return binDir().resolve("etcdctl");
  }

  /** etcdutl exists from 3.5 on; 3.4 does snapshot status and restore with etcdctl. */
  public Optional<Path> etcdutl() {
    return hasEtcdutl ? Optional.of(binDir().resolve("etcdutl")) : Optional.empty();
  }

  private Path configuredBinDir() {
    String fromProperty = System.getProperty(systemProperty);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return Path.of(fromProperty);
    }
    String fromEnvironment = System.getenv(environmentVariable);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return defaultBinDir();
  }

  private void requireExecutable(Path dir, String binary) {
    Path file = dir.resolve(binary);
    if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "etcd %s not found at %s: run .ci/install-etcd.sh (or set %s)",
              displayName,
              file,
              environmentVariable));
    }
  }
}
