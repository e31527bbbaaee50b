/**
 * A strict, read-only bbolt reader for untrusted etcd snapshots, JDK only.
 *
 * <p>{@link io.lifeboat.bbolt.BoltFile#open} validates and selects a meta page; {@link io.lifeboat.bbolt.Bucket}
 * and {@link io.lifeboat.bbolt.Cursor} walk the trees from the root, reading each page with one positional read into
 * a reused buffer. Every malformed structure, including runtime failures while decoding a page, ends in
 * {@link io.lifeboat.bbolt.CorruptFileException} naming the file, page and offset.
 */
package io.lifeboat.bbolt;
