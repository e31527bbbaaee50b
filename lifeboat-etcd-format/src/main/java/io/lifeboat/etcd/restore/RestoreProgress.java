package io.lifeboat.etcd.restore;

/**
 * Callbacks while a restore runs, for a progress display. Called on the restoring thread; they
 * must return quickly and not throw.
 */
public interface RestoreProgress {
  /** Ignores everything. */
  static RestoreProgress none() {
    return new RestoreProgress() {};
  }

  /** The snapshot is about to be read: its size in bytes. */
  default void started(long snapshotBytes) {}

  /** Rows copied so far into the new database (called every few tens of thousands of rows). */
  default void rowsCopied(long rows) {}

  /** A step began, in words: "writing the WAL", "moving the data directory into place". */
  default void step(String description) {}
}
