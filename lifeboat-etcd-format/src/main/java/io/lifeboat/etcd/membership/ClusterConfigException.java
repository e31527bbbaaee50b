package io.lifeboat.etcd.membership;

/**
 * A cluster configuration that etcd would refuse: a malformed {@code --initial-cluster} or peer URL,
 * a member name missing from the initial cluster, advertised peer URLs that disagree with it, or
 * flags that do not go together. The message is etcd's own where etcd has one, so operators can
 * search for it.
 */
public final class ClusterConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ClusterConfigException(String message) {
    super(message);
  }
}
