package io.lifeboat.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the server's configuration from one file, either Lifeboat's own {@code lifeboat.yml} or an
 * RKE {@code cluster.yml}, and the environment.
 *
 * <p>Precedence, later wins; simple on purpose, so that what runs can be predicted from the inputs:
 *
 * <ol>
 *   <li>built-in defaults: etcd at {@code http://127.0.0.1:2379}, a snapshot every 12h keeping the
 *       newest 6 (RKE's defaults), zstd in {@code /var/lib/lifeboat/snapshots};
 *   <li>the file; an RKE {@code cluster.yml} also switches to RKE's layout (zip, {@code <time>_etcd},
 *       {@code /opt/rke/etcd-snapshots}) and RKE's TLS files, see {@link RkeClusterFile};
 *   <li>{@code ETCDCTL_ENDPOINTS}, {@code ETCDCTL_CACERT}, {@code ETCDCTL_CERT}, {@code ETCDCTL_KEY},
 *       {@code ETCDCTL_USER}, {@code ETCDCTL_PASSWORD}: only for settings the file did not give,
 *       because a file describes its cluster while these variables are often left over in a shell;
 *   <li>Rancher 1.6's {@code EMBEDDED_BACKUPS}, {@code BACKUP_PERIOD}, {@code BACKUP_RETENTION}
 *       (an age), overriding the file;
 *   <li>{@code LIFEBOAT_*}, one per setting, overriding everything. An unknown {@code LIFEBOAT_*}
 *       variable is an error, to catch typos; {@code LIFEBOAT_JAVA_OPTS}, {@code LIFEBOAT_DEBUG} and
 *       {@code LIFEBOAT_CDS_DIR}, {@code LIFEBOAT_JAR} belong to the launcher and are ignored here.
 * </ol>
 *
 * Empty variables count as unset. {@code AWS_*} variables are not read here: without S3 keys the
 * AWS SDK's own chain supplies credentials.
 *
 * <p>One load reports every problem it finds, not just the first: a setting with a problem is
 * skipped (the earlier layer's value stays) and reading goes on through the rest of the file and
 * the environment. Only a file that cannot be read as YAML with a mapping at the top, or both
 * files given, stops the load at once.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param lifeboatYaml Lifeboat's own file, if any
   * @param rkeClusterYaml an RKE {@code cluster.yml}, if any; not together with {@code lifeboatYaml}
   * @param environment the process environment (a map, so tests can pass their own)
   * @throws ConfigException with every problem found, {@linkplain ConfigException#problems() one a
   *     line}: the file's in line order, each naming file, line and key, then the environment's,
   *     sorted, each naming its variable
   */
  public static ServerConfig load(Optional<Path> lifeboatYaml, Optional<Path> rkeClusterYaml,
      Map<String, String> environment) throws ConfigException {
    requireNonNull(lifeboatYaml, "lifeboatYaml");
    requireNonNull(rkeClusterYaml, "rkeClusterYaml");
    requireNonNull(environment, "environment");
    if (lifeboatYaml.isPresent() && rkeClusterYaml.isPresent()) {
      throw new ConfigException("give either a lifeboat.yml (" + lifeboatYaml.get() + ") or an RKE cluster.yml ("
          + rkeClusterYaml.get() + "), not both");
    }
    ConfigDraft draft = new ConfigDraft();
    Problems problems = new Problems();
    String source = "environment";
    if (lifeboatYaml.isPresent()) {
      LifeboatYaml.read(lifeboatYaml.get(), draft, problems);
      source = "lifeboat.yml " + lifeboatYaml.get();
    } else if (rkeClusterYaml.isPresent()) {
      RkeClusterFile.read(rkeClusterYaml.get(), draft, problems);
      source = "RKE cluster.yml " + rkeClusterYaml.get();
    }
    EnvironmentOverlay.apply(environment, draft, problems);
    Optional<ServerConfig> config = draft.build(source, problems);
    problems.throwIfAny();
    return config.orElseThrow();
  }
}
