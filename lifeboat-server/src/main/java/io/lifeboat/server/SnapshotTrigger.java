package io.lifeboat.server;

import java.io.IOException;

/** Takes a snapshot now, outside the schedule, through the scheduler so runs never overlap. */
public interface SnapshotTrigger {
  /**
   * @throws SnapshotInProgressException when a snapshot is being taken right now
   * @throws IOException when the snapshot failed
   */
  TakenSnapshot takeNow() throws IOException;
}
