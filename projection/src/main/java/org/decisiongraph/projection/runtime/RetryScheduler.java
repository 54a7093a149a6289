package org.decisiongraph.projection.runtime;

/**
 * Where a worker's retry of a recoverable failure is scheduled ({@code retry_base × 2^(n−1)} ms after the failure,
 * projections spec 7.4). The runtime's default runs the retry on its own scheduled pool; tests pass their own to
 * see the backoff delays and decide when a retry runs.
 */
@FunctionalInterface
public interface RetryScheduler {
    /** Runs {@code retry} once, {@code delayMs} from now (or whenever the scheduler decides, for tests). */
    void schedule(Runnable retry, long delayMs);
}
