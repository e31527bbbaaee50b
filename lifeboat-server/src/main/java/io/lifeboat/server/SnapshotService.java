package io.lifeboat.server;

import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.retention.RetentionPolicy;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot machinery the server drives: the same code paths as {@code snapshot save},
 * {@code snapshot ls} and {@code snapshot prune}, implemented by the CLI module.
 */
public interface SnapshotService {
  /**
   * Takes a snapshot under {@code name} and stores it in every configured location (local first,
   * then uploads). An upload failure is reported in the result, not thrown: the local snapshot stands.
   *
   * @throws IOException when no snapshot could be taken or stored locally
   */
  TakenSnapshot take(SnapshotName name) throws IOException;

  /** Every complete snapshot in every location, newest first, one entry per name. */
  List<ListedSnapshot> list() throws IOException;

  /** One snapshot by name, from whichever locations hold it. */
  Optional<ListedSnapshot> find(SnapshotName name) throws IOException;

  /** Applies {@code policy} to each location independently; returns what was deleted. */
  List<Deletion> applyRetention(RetentionPolicy policy, Instant now) throws IOException;

  /** Succeeds when at least one etcd endpoint answers; the message of the failure says why not. */
  void checkEtcd() throws IOException;
}
