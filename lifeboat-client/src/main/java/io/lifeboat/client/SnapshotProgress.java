package io.lifeboat.client;

/** Told how many bytes of a snapshot have been written so far, after every chunk. */
@FunctionalInterface
public interface SnapshotProgress {
  void bytes(long total);

  static SnapshotProgress none() {
    return total -> {};
  }
}
