/**
 * Writers for etcd's raft files: a WAL segment ({@link io.lifeboat.etcd.wal.WalSegmentWriter}: framing, padding,
 * CRC-32C chain, preallocation), the bootstrap records a restore writes ({@link io.lifeboat.etcd.wal.BootstrapWal}) and
 * the {@code .snap} file with the v2 store ({@link io.lifeboat.etcd.wal.SnapFiles}, {@link io.lifeboat.etcd.wal.V2Store}).
 * The bytes equal those of {@code etcdctl}/{@code etcdutl snapshot restore} 3.4.23 and 3.5.16.
 */
package io.lifeboat.etcd.wal;
