package io.lifeboat.repository;

import java.io.InputStream;
import java.util.List;

/**
 * Where snapshot objects live: a local directory or an S3 bucket prefix. Keys are
 * {@link ObjectKind#fileName file names} of snapshot objects; a store never reads, lists or deletes
 * anything else at its location, so it can share a directory or prefix with other tools.
 *
 * <h2>What survives each kind of failure</h2>
 *
 * <ul>
 *   <li><b>{@link #put} is all or nothing.</b> Until {@code put} returns normally, no object carries
 *       the final key: the local store writes to a hidden temporary file and links it into place
 *       after an fsync; the S3 store uses one PUT (atomic in S3) or a multipart upload that becomes
 *       visible only at CompleteMultipartUpload. If the source fails, delivers another length than
 *       announced, the process is killed, the disk fills, the network drops or the retry budget runs
 *       out, the key stays absent: locally a leftover temporary file is removed (on close or a
 *       SIGTERM) and never listed; in S3 the multipart upload is aborted (after a kill, an
 *       incomplete multipart upload may remain until a bucket lifecycle rule removes it, but it is
 *       never a readable object).
 *   <li><b>Existing objects are never overwritten.</b> {@code put} of an existing key fails with
 *       {@link StoreException.Reason#ALREADY_EXISTS} and leaves the existing object as it was.
 *   <li><b>A snapshot is complete only when its {@link ObjectKind#METADATA} object exists.</b> The
 *       store does not order a snapshot's two objects; callers write the data object first and the
 *       metadata last, and delete the metadata first. A data object without metadata is the trace
 *       of an interrupted save, never a snapshot to restore from.
 *   <li><b>Reads do not trust the transport.</b> {@link #get} returns the stored bytes; transient
 *       failures while reading from S3 resume at the offset reached, pinned to the same object
 *       version. Callers check the sha256 recorded in the metadata after reading; a mismatch is an
 *       {@link IntegrityException}.
 *   <li><b>Transient faults</b> (5xx, throttling, connection resets, timeouts) are retried inside
 *       the store per request with backoff and a bounded number of attempts; once exhausted the
 *       operation fails with a {@link StoreException#retryable() retryable} StoreException and the
 *       rules above still hold. Configuration faults (missing bucket, bad credentials, wrong
 *       region, unreachable endpoint) fail at once with their own {@link StoreException.Reason}.
 * </ul>
 *
 * <p>Implementations are safe for concurrent use by several threads.
 */
public interface SnapshotStore extends AutoCloseable {

  /** Where this store is, for messages: a directory path or {@code s3://bucket/folder/} (no secrets). */
  String location();

  /**
   * Checks that the location is usable (the directory can be created or written; the bucket exists
   * and the credentials are accepted), so configuration faults are reported before a long backup.
   */
  void check() throws StoreException;

  /**
   * Stores an object under {@code kind.fileName(name)}, reading {@code source} to its end.
   *
   * @throws StoreException {@code ALREADY_EXISTS} if the key exists; {@code SOURCE_FAILED} if the
   *     source failed or its length differed from the announced one; otherwise as the location fails
   */
  void put(SnapshotName name, ObjectKind kind, ObjectSource source) throws StoreException;

  /**
   * Opens a stored object for reading. The caller closes the stream.
   *
   * @throws StoreException {@code NOT_FOUND} when it does not exist
   */
  InputStream get(SnapshotName name, ObjectKind kind) throws StoreException;

  boolean exists(SnapshotName name, ObjectKind kind) throws StoreException;

  /**
   * Every snapshot object at the location, sorted by file name. Foreign objects, temporary files and
   * objects in sub-folders are not listed.
   */
  List<StoredObject> list() throws StoreException;

  /**
   * Deletes one object.
   *
   * @return whether it existed
   */
  boolean delete(SnapshotName name, ObjectKind kind) throws StoreException;

  @Override
  void close();
}
