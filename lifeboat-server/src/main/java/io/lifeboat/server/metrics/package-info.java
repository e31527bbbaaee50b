/**
 * What the server reports to Prometheus: {@link io.lifeboat.server.metrics.ServerMetrics} records
 * snapshots, upload failures, retention deletions, leadership and the schedule, and renders them in
 * the Prometheus text format for {@code GET /metrics}.
 *
 * <p>Every series name starts with {@code lifeboat_}. The only label is {@code location}
 * ({@code local}, {@code s3}), whose values come from the configuration, so the number of series is
 * fixed. Failure reasons are never labels: they are free text and would make a new series for each
 * message; they belong in the logs.
 */
package io.lifeboat.server.metrics;
