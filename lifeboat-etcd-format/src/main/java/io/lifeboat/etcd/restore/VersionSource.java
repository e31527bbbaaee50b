package io.lifeboat.etcd.restore;

/** Why a restore chose its {@link TargetVersion}. */
public enum VersionSource {
  /** The request named the version ({@code --etcd-version}). */
  FLAG,
  /** The snapshot records the version of the cluster it came from. */
  SNAPSHOT,
  /** Neither: the default, 3.5. */
  DEFAULT
}
