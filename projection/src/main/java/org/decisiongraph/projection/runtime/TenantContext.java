package org.decisiongraph.projection.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.decisiongraph.projection.Projections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projections of one tenant inside the runtime, plus its digest checkpointer: workers and jobs ask for a
 * checkpoint after each committed batch; requests that arrive while one runs coalesce into one more run, so the
 * stored digests always end at the latest committed cursors (decision P21 allows any schedule with identical
 * values).
 */
final class TenantContext {
    private static final Logger LOG = LoggerFactory.getLogger(TenantContext.class);

    private final Projections projections;
    private final Executor executor;
    private final Runnable changed;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean dirty;

    TenantContext(Projections projections, Executor executor, Runnable changed) {
        this.projections = projections;
        this.executor = executor;
        this.changed = changed;
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
            executor.execute(this::drain);
        }
    }

    /** Writes a checkpoint now, on the calling thread. */
    void checkpointNow() {
        projections.checkpoint();
        changed.run();
    }

    private void drain() {
        try {
            while (dirty) {
                dirty = false;
                try {
                    checkpointNow();
                } catch (RuntimeException e) {
                    LOG.warn("projection_checkpoint_failed tenant={} message={}", tenant(), e.getMessage());
                }
            }
        } finally {
            scheduled.set(false);
            if (dirty && scheduled.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }
}
