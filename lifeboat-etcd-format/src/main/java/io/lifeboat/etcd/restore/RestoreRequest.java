package io.lifeboat.etcd.restore;

import io.lifeboat.etcd.membership.ClusterConfigException;
import io.lifeboat.etcd.membership.InitialCluster;
import io.lifeboat.etcd.membership.Member;
import io.lifeboat.etcd.membership.PeerUrls;
import io.lifeboat.etcd.snapshot.TrailerPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to restore and how, with etcdctl's flags. Construction validates it as etcd does before it
 * touches the disk (bootstrap checks, flag combinations), so a request that exists can be restored.
 *
 * @param snapshot the snapshot file ({@code etcdctl snapshot save} output, or a raw {@code member/snap/db}
 *     with {@link TrailerPolicy#SKIP})
 * @param dataDir the data directory to create ({@code --data-dir})
 * @param walDir a dedicated WAL directory ({@code --wal-dir}); empty for {@code <dataDir>/member/wal}
 * @param name this member's name ({@code --name})
 * @param initialCluster every member's peer URLs ({@code --initial-cluster})
 * @param token the cluster token ({@code --initial-cluster-token})
 * @param advertisePeerUrls this member's peer URLs ({@code --initial-advertise-peer-urls}), normalized
 * @param trailerPolicy whether the sha256 trailer is checked ({@code --skip-hash-check} is {@link TrailerPolicy#SKIP})
 * @param targetVersion the etcd version to write for
 * @param bumpRevision added to the latest revision ({@code --bump-revision}); 0 for none
 * @param markCompacted mark the bumped revision compacted ({@code --mark-compacted}); required with a bump
 * @param force move an existing non-empty data directory aside instead of refusing
 * @throws ClusterConfigException with etcd's message when etcd would refuse the flags
 */
public record RestoreRequest(Path snapshot, Path dataDir, Optional<Path> walDir, String name,
    InitialCluster initialCluster, String token, List<String> advertisePeerUrls, TrailerPolicy trailerPolicy,
    TargetVersion targetVersion, long bumpRevision, boolean markCompacted, boolean force) {

  /** etcdctl's default {@code --name}. */
  public static final String DEFAULT_NAME = "default";
  /** etcdctl's default {@code --initial-cluster-token}. */
  public static final String DEFAULT_TOKEN = "etcd-cluster";
  /** etcdctl's default {@code --initial-advertise-peer-urls}. */
  public static final String DEFAULT_ADVERTISE_PEER_URL = "http://localhost:2380";
  /** etcdctl's default {@code --initial-cluster}. */
  public static final String DEFAULT_INITIAL_CLUSTER = InitialCluster.DEFAULT;

  public RestoreRequest {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(walDir, "walDir");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(initialCluster, "initialCluster");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(trailerPolicy, "trailerPolicy");
    Objects.requireNonNull(targetVersion, "targetVersion");
    if (bumpRevision < 0) {
      throw new ClusterConfigException("--bump-revision must not be negative, got " + bumpRevision);
    }
    if ((bumpRevision == 0 && markCompacted) || (bumpRevision > 0 && !markCompacted)) {
      throw new ClusterConfigException("--mark-compacted required if --revision-bump > 0");
    }
    advertisePeerUrls = PeerUrls.parse(advertisePeerUrls);
    initialCluster.verifyBootstrap(name, advertisePeerUrls);
    initialCluster.members(token);
    if (walDir.isPresent() && walDir.get().toAbsolutePath().normalize()
        .equals(dataDir.toAbsolutePath().normalize())) {
      throw new ClusterConfigException("--wal-dir must not be the data directory itself: " + dataDir);
    }
  }

  /** A builder with etcdctl's defaults: name {@code default}, data dir {@code <name>.etcd}, and so on. */
  public static Builder builder(Path snapshot) {
    return new Builder(snapshot);
  }

  /** The members of the new cluster, sorted by unsigned ID. */
  public List<Member> members() {
    return initialCluster.members(token);
  }

  /** This member. */
  public Member member() {
    return members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  /** The WAL directory: {@link #walDir} or {@code <dataDir>/member/wal}. */
  public Path effectiveWalDir() {
    return walDir.orElse(dataDir.resolve("member").resolve("wal"));
  }

  /** Builds a {@link RestoreRequest}; unset values take etcdctl's defaults. */
  public static final class Builder {
    private final Path snapshot;
    private Optional<Path> dataDir = Optional.empty();
    private Optional<Path> walDir = Optional.empty();
    private String name = DEFAULT_NAME;
    private InitialCluster initialCluster = InitialCluster.parse(DEFAULT_INITIAL_CLUSTER);
    private String token = DEFAULT_TOKEN;
    private List<String> advertisePeerUrls = List.of(DEFAULT_ADVERTISE_PEER_URL);
    private TrailerPolicy trailerPolicy = TrailerPolicy.VERIFY;
    private TargetVersion targetVersion = TargetVersion.AUTO;
    private long bumpRevision;
    private boolean markCompacted;
    private boolean force;

    private Builder(Path snapshot) {
      this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    public Builder dataDir(Path value) {
      dataDir = Optional.of(value);
      return this;
    }

    public Builder walDir(Path value) {
      walDir = Optional.of(value);
      return this;
    }

    public Builder name(String value) {
      name = Objects.requireNonNull(value, "name");
      return this;
    }

    public Builder initialCluster(InitialCluster value) {
      initialCluster = Objects.requireNonNull(value, "initialCluster");
      return this;
    }

    /** Parses {@code --initial-cluster}. */
    public Builder initialCluster(String value) {
      return initialCluster(InitialCluster.parse(value));
    }

    public Builder token(String value) {
      token = Objects.requireNonNull(value, "token");
      return this;
    }

    public Builder advertisePeerUrls(List<String> value) {
      advertisePeerUrls = List.copyOf(value);
      return this;
    }

    public Builder trailerPolicy(TrailerPolicy value) {
      trailerPolicy = Objects.requireNonNull(value, "trailerPolicy");
      return this;
    }

    public Builder targetVersion(TargetVersion value) {
      targetVersion = Objects.requireNonNull(value, "targetVersion");
      return this;
    }

    public Builder bumpRevision(long value) {
      bumpRevision = value;
      return this;
    }

    public Builder markCompacted(boolean value) {
      markCompacted = value;
      return this;
    }

    public Builder force(boolean value) {
      force = value;
      return this;
    }

    /**
     * @throws ClusterConfigException when etcd would refuse these flags
     */
    public RestoreRequest build() {
      Path data = dataDir.orElse(Path.of(name + ".etcd"));
      return new RestoreRequest(snapshot, data, walDir, name, initialCluster, token, advertisePeerUrls,
          trailerPolicy, targetVersion, bumpRevision, markCompacted, force);
    }
  }
}
