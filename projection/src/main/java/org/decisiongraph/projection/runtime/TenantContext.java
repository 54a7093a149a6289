package org.decisiongraph.projection.runtime;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.SqlReadModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projections of one tenant inside the runtime, plus its digest checkpointer: workers and jobs ask for a
 * checkpoint after each committed batch; requests coalesce, and checkpoints of one tenant start at most once per
 * {@code checkpointIntervalMs} (trailing edge: a request always gets a checkpoint after it), so the stored digests
 * always end at the latest committed cursors while a busy tenant does not recompute its digests after every small
 * batch (decision P21 allows any schedule with identical values). A digest reads every row of the tenant, so its
 * cost grows with the read model: the gap between two checkpoints is also at least {@value #COST_FACTOR} times the
 * last one's working time, which keeps the checkpointer near 2 % of one core however large the tenant grows,
 * and while it runs it paces itself to a quarter of one core ({@link Pacer}). A checkpoint asked for by a replay job
 * runs unpaced on the job's thread.
 */
final class TenantContext {
    private static final Logger LOG = LoggerFactory.getLogger(TenantContext.class);
    /** Least gap between two checkpoints of a tenant, as a multiple of the last checkpoint's working time (pauses not counted). */
    static final int COST_FACTOR = 49;
    /**
     * Share of one core a running background checkpoint may take: it reads rows in slices of {@link #SLICE_NANOS}
     * and sleeps in between, so a checkpoint of a large tenant spreads over several seconds instead of taking a
     * whole core away from requests for a second or more.
     */
    static final double CPU_SHARE = 0.25;
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Projections projections;
    private final ScheduledExecutorService executor;
    private final Runnable changed;
    private final long intervalNanos;
    private final Clock clock;
    private volatile long lastStarted = Long.MIN_VALUE / 2;
    private volatile long lastDurationNanos;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean dirty;

    TenantContext(Projections projections, ScheduledExecutorService executor, Runnable changed, long checkpointIntervalMs,
                  Clock clock) {
        this.projections = projections;
        this.clock = clock;
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
        long wait = lastStarted + Math.max(intervalNanos, COST_FACTOR * lastDurationNanos) - System.nanoTime();
        if (wait <= 0) {
            executor.execute(this::drain);
        } else {
            executor.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Writes a checkpoint now, on the calling thread. On a SQL store the digests are computed from one read
     * snapshot (rows and cursors of one committed state, no write lock held, so appends and workers go on) and
     * stored in a short transaction; otherwise under every projection lock ({@link Projections#checkpoint}).
     */
    void checkpointNow() {
        checkpointNow(() -> {
        });
    }

    /** {@link #checkpointNow()}, calling {@code perRow} for every digested row of a SQL store. */
    private void checkpointNow(Runnable perRow) {
        if (projections.store() instanceof SqlReadModelStore sql && !sql.isReferenceLayout()) {
            long[] cursors = new long[3];
            ProjectionDigests[] digests = new ProjectionDigests[1];
            sql.snapshot(() -> {
                for (int i = 0; i < 3; i++) {
                    cursors[i] = sql.cursor(ProjectionName.CANONICAL_ORDER.get(i));
                }
                digests[0] = Digests.compute(sql, perRow);
            });
            ProjectionDigests d = digests[0];
            String now = Timestamps.toRfc3339(clock.instant());
            sql.putCheckpointsUnlessNewer(List.of(
                    new DigestCheckpoint(ProjectionName.CONTEXT_GRAPH.wireName(), d.contextGraph(), cursors[0], now),
                    new DigestCheckpoint(ProjectionName.TRACE_SUMMARY.wireName(), d.traceSummary(), cursors[1], now),
                    new DigestCheckpoint(ProjectionName.PRECEDENT_INDEX.wireName(), d.precedentIndex(), cursors[2], now),
                    new DigestCheckpoint(ProjectionName.FULL_PROJECTION, d.fullProjection(),
                            Math.min(cursors[0], Math.min(cursors[1], cursors[2])), now)));
        } else {
            projections.checkpoint();
        }
        changed.run();
    }

    private void drain() {
        try {
            if (dirty) {
                dirty = false;
                long started = System.nanoTime();
                lastStarted = started;
                Pacer pacer = Pacer.of(CPU_SHARE, SLICE_NANOS, executor::isShutdown);
                try {
                    checkpointNow(pacer);
                } catch (RuntimeException e) {
                    LOG.warn("projection_checkpoint_failed tenant={} message={}", tenant(), e.getMessage());
                } finally {
                    // the work, not the pauses, sets the gap to the next checkpoint
                    lastDurationNanos = System.nanoTime() - started - pacer.pausedNanos();
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
