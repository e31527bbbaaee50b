package io.lifeboat.etcd.snapshot;

/**
 * What {@code etcdctl snapshot status} reports, computed the same way (etcd 3.4 and 3.5).
 *
 * @param hash CRC-32C over every bucket name, key and value in order (unsigned 32-bit)
 * @param revision the main revision of the last row of the {@code key} bucket, 0 when empty
 * @param totalKey the number of rows in all buckets
 * @param totalSize the bbolt image size (pages times page size), without the trailer
 */
public record SnapshotStatus(long hash, long revision, long totalKey, long totalSize) {}
