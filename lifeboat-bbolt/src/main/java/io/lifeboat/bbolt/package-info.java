/**
 * A strict bbolt reader for untrusted etcd snapshots, and a streaming writer of fresh files; JDK only.
 *
 * <p>{@link io.lifeboat.bbolt.BoltFile#open} validates and selects a meta page; {@link io.lifeboat.bbolt.Bucket}
 * and {@link io.lifeboat.bbolt.Cursor} walk the trees from the root, reading each page with one positional read into
 * a reused buffer. Every malformed structure, including runtime failures while decoding a page, ends in
 * {@link io.lifeboat.bbolt.CorruptFileException} naming the file, page and offset.
 *
 * <p>{@link io.lifeboat.bbolt.BoltWriter} and {@link io.lifeboat.bbolt.BucketWriter} write a fresh, compact bbolt
 * file from sorted rows by bulk loading: one open page per tree level, pages written as they fill, so memory does
 * not grow with the data.
 */
package io.lifeboat.bbolt;
