package org.decisiongraph.projection.runtime;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.projection.CatchUpResult;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit signals of one tenant for its three digested projections: one catch-up for all of them instead of
 * one per worker. Each event is then read, hash-checked and sequence-checked once, and each batch is one
 * transaction that moves all three cursors ({@link Projector#catchUp(java.util.Set, int, long)}: the same rows
 * as three separate catch-ups), where three workers read every event three times and queued three transactions
 * behind SQLite's single writer.
 *
 * <p>The workers stay what they are: their cursors, statuses, failure rows, retries, leases and safety timers. A
 * pass takes only the workers it can claim ({@link ProjectionWorker#claimForGroup}: idle, not draining on their
 * own, lease held); the others are left to themselves (one draining on its own hands the signal back when it is
 * done; a retrying or failed one waits for its external sync, as without the group). A pass that meets any error
 * stops and signals every claimed worker instead: each one's own catch-up then meets the error itself, so exactly
 * the projections it concerns record their failure rows and retry, as without the group.
 */
final class GroupPass {
    private static final Logger LOG = LoggerFactory.getLogger(GroupPass.class);
    private final TenantContext tenant;
    private final Map<ProjectionName, ProjectionWorker> workers;
    private final Projector projector;
    private final ScheduledExecutorService executor;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final Supplier<SyncTracer> tracer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean dirty;
    private volatile boolean stopped;
    /** The context of the first signal not yet served (tracing only). */
    private final java.util.concurrent.atomic.AtomicReference<Object> signalContext = new java.util.concurrent.atomic.AtomicReference<>();

    GroupPass(TenantContext tenant, Map<ProjectionName, ProjectionWorker> workers, ScheduledExecutorService executor,
              RuntimeSettings settings, Clock clock, Supplier<SyncTracer> tracer) {
        this.tenant = tenant;
        this.workers = new EnumMap<>(workers);
        this.projector = new Projector(tenant.projections().store(), tenant.projections().feed());
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
        this.tracer = tracer;
    }

    /** Events were committed: catch the projections up (after {@code coalesce_ms}, like an idle worker). */
    void signal() {
        signal(true);
    }

    /**
     * {@link #signal()}; {@code traced} false for the runtime's own wake-ups (safety timers, hand-backs), whose
     * thread's context must not become the parent of the next catch-up's spans.
     */
    void signal(boolean traced) {
        if (stopped) {
            return;
        }
        Object context = traced ? tracer.get().capture() : null;
        if (context != null) {
            signalContext.compareAndSet(null, context);
        }
        dirty = true;
        if (scheduled.compareAndSet(false, true)) {
            try {
                if (settings.coalesceMs() == 0) {
                    executor.execute(this::drain);
                } else {
                    executor.schedule(this::drain, settings.coalesceMs(), TimeUnit.MILLISECONDS);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // the runtime is shutting down
            }
        }
    }

    void stop() {
        stopped = true;
    }

    private void drain() {
        try {
            while (dirty && !stopped) {
                dirty = false;
                if (!passOnce()) {
                    break;
                }
            }
        } finally {
            scheduled.set(false);
            if (dirty && !stopped && scheduled.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }

    /** One pass; false when it stopped at an error (the workers took over). */
    private boolean passOnce() {
        EnumMap<ProjectionName, ProjectionWorker> claimed = new EnumMap<>(ProjectionName.class);
        for (var e : workers.entrySet()) {
            if (e.getValue().claimForGroup()) {
                claimed.put(e.getKey(), e.getValue());
            } else {
                // draining on its own (it hands the signal back when done), failed or retrying (plain signals are
                // ignored), or leased by another node (its safety timer signals again)
                e.getValue().markSignalled();
            }
        }
        if (claimed.isEmpty()) {
            signalContext.set(null); // the workers' own catch-ups serve the signals so far
            return true;
        }
        // a signal's context belongs to the first read after it (the read sees the events the signal announced):
        // it is taken before each read, and the spans are made when the pass ends
        Object[] context = new Object[1];
        java.time.Instant began = java.time.Instant.now();
        EnumMap<ProjectionName, Long> processed = new EnumMap<>(ProjectionName.class);
        EnumMap<ProjectionName, Long> reached = new EnumMap<>(ProjectionName.class);
        claimed.keySet().forEach(p -> {
            processed.put(p, 0L);
            reached.put(p, claimed.get(p).committedCursor());
        });
        String errorCode = null;
        try {
            long leaseTakenAt = clock.millis();
            long position = -1;
            while (!stopped) {
                Object signalled = signalContext.getAndSet(null);
                if (context[0] == null) {
                    context[0] = signalled;
                }
                List<CatchUpResult> results = projector.catchUp(claimed.keySet(), settings.batchSize(), untilAfter(claimed, position));
                long least = Long.MAX_VALUE;
                boolean pending = false;
                for (CatchUpResult r : results) {
                    ProjectionWorker w = claimed.get(r.projection());
                    if (r.processedEvents() > 0) {
                        processed.merge(r.projection(), r.processedEvents(), Long::sum);
                        w.committed(r.lastLogSeq(), r.processedEvents());
                    }
                    reached.put(r.projection(), r.lastLogSeq());
                    least = Math.min(least, r.lastLogSeq());
                    pending |= r.pendingEvents() > 0;
                }
                if (!pending || least <= position) {
                    break;
                }
                position = least;
                if (clock.millis() - leaseTakenAt > settings.leaseTtlMs() / 2) {
                    claimed.values().forEach(ProjectionWorker::renewLease);
                    leaseTakenAt = clock.millis();
                }
            }
            claimed.forEach((p, w) -> w.synced(processed.get(p)));
            return true;
        } catch (RuntimeException e) {
            errorCode = e instanceof DgException dg ? dg.code().apiCode() : ErrorCode.DG_ERR_STORAGE.apiCode();
            LOG.debug("projection_group_pass_stopped tenant={} code={} message={}", tenant.tenant(), errorCode,
                    e.getMessage());
            return false;
        } finally {
            String code = errorCode;
            claimed.forEach((p, w) -> w.startGroupSpan(context[0], began).end(processed.get(p), reached.get(p), code));
            claimed.values().forEach(ProjectionWorker::releaseFromGroup);
            if (code != null) {
                // each worker's own catch-up meets the error and handles it (failure row, retry) as without the group
                claimed.values().forEach(ProjectionWorker::catchUpAlone);
            }
        }
    }

    /**
     * The bound of one batch after {@code position} (-1: the first batch of the pass, after the claimed workers'
     * cursors as they last committed them; the projector reads the stored cursors itself, so a bound from a stale
     * cursor only makes the first batch shorter).
     */
    private long untilAfter(Map<ProjectionName, ProjectionWorker> claimed, long position) {
        if (position < 0) {
            position = claimed.values().stream().mapToLong(ProjectionWorker::committedCursor).min().orElse(0);
        }
        return position > Long.MAX_VALUE - settings.batchSize() ? Long.MAX_VALUE : position + settings.batchSize();
    }
}
