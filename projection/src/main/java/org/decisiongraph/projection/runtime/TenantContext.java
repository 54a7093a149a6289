package org.decisiongraph.projection.runtime;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.decisiongraph.projection.Projections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projections of one tenant inside the runtime, plus its digest checkpointer: workers and jobs ask for a
 * checkpoint after each committed batch; requests coalesce, and checkpoints of one tenant start at most once per
 * {@code checkpointIntervalMs} (trailing edge: a request always gets a checkpoint after it), so the stored digests
 * always end at the latest committed cursors while a busy tenant does not recompute its digests after every small
 * batch (decision P21 allows any schedule with identical values).
 */
final class TenantContext {
    private static final Logger LOG = LoggerFactory.getLogger(TenantContext.class);

    private final Projections projections;
    private final ScheduledExecutorService executor;
    private final Runnable changed;
    private final long intervalNanos;
    private volatile long lastStarted = Long.MIN_VALUE / 2;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean dirty;

    TenantContext(Projections projections, ScheduledExecutorService executor, Runnable changed, long checkpointIntervalMs) {
        this.projections = projections;
        this.executor = executor;
        this.changed = changed;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMs);
    }

    Projections projections() {
        return projections;
    }

    String tenant() {
        return projections.tenantId();
    }

    /** Asks for a digest checkpoint (asynchronous, coalesced). */
    void requestCheckpoint() {
        dirty = true;
        if (scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        long wait = lastStarted + intervalNanos - System.nanoTime();
        if (wait <= 0) {
            executor.execute(this::drain);
        } else {
            executor.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Writes a checkpoint now, on the calling thread. */
    void checkpointNow() {
        projections.checkpoint();
        changed.run();
    }

    private void drain() {
        try {
            if (dirty) {
                dirty = false;
                lastStarted = System.nanoTime();
                try {
                    checkpointNow();
                } catch (RuntimeException e) {
                    LOG.warn("projection_checkpoint_failed tenant={} message={}", tenant(), e.getMessage());
                }
            }
        } finally {
            scheduled.set(false);
            if (dirty && scheduled.compareAndSet(false, true)) {
                try {
                    schedule();
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    scheduled.set(false); // shutting down
                }
            }
        }
    }
}
