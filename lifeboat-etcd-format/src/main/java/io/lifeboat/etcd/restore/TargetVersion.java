package io.lifeboat.etcd.restore;

/** The etcd version a restored data directory is written for. */
public enum TargetVersion {
  /** etcd 3.4: the WAL's last snapshot record has no conf state. */
  V3_4("3.4"),
  /** etcd 3.5 (also read by 3.6): the WAL's last snapshot record carries the conf state. */
  V3_5("3.5"),
  /** What the snapshot records ({@code meta/storageVersion}, {@code cluster/clusterVersion}), else 3.5. */
  AUTO("auto");

  private final String label;

  TargetVersion(String label) {
    this.label = label;
  }

  /** {@code 3.4}, {@code 3.5} or {@code auto}, as {@code --etcd-version} spells it. */
  public String label() {
    return label;
  }
}
