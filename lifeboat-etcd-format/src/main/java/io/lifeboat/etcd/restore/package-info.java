/**
 * Restore of an etcd snapshot into member data directories for etcd 3.4 and 3.5, without an etcd binary:
 * {@link io.lifeboat.etcd.restore.SnapshotRestorer} takes a validated {@link io.lifeboat.etcd.restore.RestoreRequest}
 * (etcdctl's flags and defaults) and returns a {@link io.lifeboat.etcd.restore.RestoreResult}. The snapshot is checked
 * completely (sha256 trailer and every bbolt page) while the new database is streamed into a temporary directory,
 * which is renamed into place only when everything succeeded.
 */
package io.lifeboat.etcd.restore;
