/**
 * The long-running snapshot service: a scheduler that takes a snapshot at each slot while this
 * replica leads, applies retention after each success, and reports through logs, metrics and an
 * HTTP API. Snapshots are taken through {@link io.lifeboat.server.SnapshotService}, which the CLI
 * implements with the same code as {@code snapshot save} and {@code snapshot prune}.
 */
package io.lifeboat.server;
