/**
 * When the server takes snapshots. {@link io.lifeboat.server.schedule.Schedule#parse} reads the
 * schedule a user writes, either a Go duration ({@code 6h}, {@code @every 30m}: a fixed interval)
 * or a five-field cron expression evaluated in a time zone (UTC unless the configuration or a
 * {@code CRON_TZ=} prefix says otherwise), with the semantics Kubernetes CronJobs have, so the same
 * line means the same slots in both. A {@link io.lifeboat.server.schedule.Schedule} only computes
 * the next slot after a given instant; the scheduler owns the clock, so tests pass instants
 * instead of waiting.
 */
package io.lifeboat.server.schedule;
