package org.decisiongraph.projection.runtime;

/**
 * Knobs of the projection runtime (projections spec 7.8, decision P19: only knobs that change behaviour).
 *
 * @param batchSize          events per worker/job batch ({@code projection_batch_size}, 250)
 * @param pollIntervalMs     the one safety timer per worker ({@code projection_poll_interval_ms}, 1000)
 * @param retryBaseMs        first retry delay of a recoverable failure ({@code projection_retry_base_ms}, 250)
 * @param maxRetries         retries before a recoverable failure becomes terminal ({@code projection_max_retries}, 5)
 * @param partitions         identity metadata of worker keys ({@code projection_partitions}, 8)
 * @param leaseTtlMs         how long a node's lease on a (tenant, projection) lives without renewal (Postgres)
 * @param threads            worker threads shared by all workers, jobs and checkpoints
 * @param checkpointIntervalMs least time between two digest checkpoints of a tenant (the last batch always gets one)
 * @param coalesceMs         how long an idle worker waits after a commit's signal before it catches up, so that the
 *                           commits of a stream of single appends share one catch-up transaction (0: at once)
 */
public record RuntimeSettings(int batchSize, long pollIntervalMs, long retryBaseMs, int maxRetries, int partitions,
                              long leaseTtlMs, int threads, long checkpointIntervalMs, long coalesceMs) {
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(250, 1000, 250, 5, 8, 15_000, 4, 500, 10);

    public RuntimeSettings {
        if (batchSize < 1 || pollIntervalMs < 1 || retryBaseMs < 1 || maxRetries < 0 || partitions < 1 || leaseTtlMs < 1
                || threads < 1 || checkpointIntervalMs < 0 || coalesceMs < 0) {
            throw new IllegalArgumentException("invalid projection runtime settings: batch_size=" + batchSize
                    + ", poll_interval_ms=" + pollIntervalMs + ", retry_base_ms=" + retryBaseMs + ", max_retries="
                    + maxRetries + ", partitions=" + partitions + ", lease_ttl_ms=" + leaseTtlMs + ", threads=" + threads + ", checkpoint_interval_ms=" + checkpointIntervalMs + ", coalesce_ms=" + coalesceMs);
        }
    }

    public RuntimeSettings withPollIntervalMs(long value) {
        return new RuntimeSettings(batchSize, value, retryBaseMs, maxRetries, partitions, leaseTtlMs, threads,
                checkpointIntervalMs, coalesceMs);
    }

    public RuntimeSettings withRetryBaseMs(long value) {
        return new RuntimeSettings(batchSize, pollIntervalMs, value, maxRetries, partitions, leaseTtlMs, threads,
                checkpointIntervalMs, coalesceMs);
    }

    public RuntimeSettings withLeaseTtlMs(long value) {
        return new RuntimeSettings(batchSize, pollIntervalMs, retryBaseMs, maxRetries, partitions, value, threads,
                checkpointIntervalMs, coalesceMs);
    }

    public RuntimeSettings withCoalesceMs(long value) {
        return new RuntimeSettings(batchSize, pollIntervalMs, retryBaseMs, maxRetries, partitions, leaseTtlMs, threads,
                checkpointIntervalMs, value);
    }
}
