package io.lifeboat.etcd.snapshot;

/** Whether reading a snapshot checks its sha256 trailer. */
public enum TrailerPolicy {
  /** Check the trailer when present (the default). */
  VERIFY,
  /** Do exactly etcdctl's work: ignore the trailer ({@code --skip-hash-check}). */
  SKIP
}
