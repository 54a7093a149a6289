package org.decisiongraph.projection.runtime;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.ProjectionFailedException;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker of one (tenant, projection) (projections spec 7.3). It sleeps until signalled (after commits, by
 * the append hook; an idle worker waits {@code coalesce_ms} so that close commits share one catch-up) or until its
 * one low-frequency safety timer fires, then catches its projection up in batches;
 * each committed batch moves the durable cursor, auto-resolves failures behind it and asks for a digest
 * checkpoint. Errors: {@code storage} (and unexpected exceptions, wrapped as {@code storage}) are retried after
 * {@code retry_base × 2^(n−1)} up to {@code max_retries}; anything else, or exhausted retries, records a failure
 * row for the event the worker stopped at and parks the worker in {@code failed}: it never skips the event, and
 * only an external sync ({@link #sync(boolean)} with {@code external = true}) resumes it.
 *
 * <p>With leases (Postgres), a sync first takes the (tenant, projection) lease, so among several nodes exactly
 * one works the scope at a time; a node that finds the lease taken tries again shortly; a dead node's lease
 * expires and the next node's signal or timer takes the work over. The projector's per-batch cursor check and
 * the advisory lock keep the rows exact even without the lease.
 */
final class ProjectionWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionWorker.class);
    private static final long CONTENDED_RETRY_MS = 100;

    private final TenantContext tenant;
    private final WorkerTarget projection;
    private final RuntimeStore store;
    private final ScheduledExecutorService executor;
    private final RetryScheduler retries;
    private final java.util.function.Supplier<SyncTracer> tracer;
    /** The context of the first signal not yet served by a catch-up (tracing only). */
    private final java.util.concurrent.atomic.AtomicReference<Object> signalContext = new java.util.concurrent.atomic.AtomicReference<>();
    private final RuntimeSettings settings;
    private final Clock clock;
    private final RuntimeListener listener;
    private final String nodeId;
    private final boolean leases;
    private final int partition;

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean dirty;
    /** An external sync (retry timer, operator retry) arrived and has not been served by a sync yet. */
    private volatile boolean externalWake;
    private volatile boolean stopped;
    /** The tenant's group pass serving this worker's plain signals, or null (external projections, before joining). */
    private volatile GroupPass group;
    private final AtomicLong processedTotal = new AtomicLong();
    private ScheduledFuture<?> timer;
    private int contended;
    /**
     * The failure row this worker recorded when it stopped (external projections only: their other open rows are
     * quarantined events behind the cursor, which the cursor must not resolve); resolved once the cursor passes it.
     */
    private volatile RuntimeStore.Failure stoppedAt;
    /** Whether open failure rows may exist (auto-resolve is skipped otherwise: no write per batch). */
    private volatile boolean mayHaveOpenFailures = true;

    // state, guarded by this
    private String status = "idle";
    private long cursor;
    private String lastSyncAt;
    private JsonObject lastError;
    private int retryCount;
    private long syncCount;

    ProjectionWorker(TenantContext tenant, WorkerTarget projection, RuntimeStore store, ScheduledExecutorService executor,
                     RetryScheduler retries, java.util.function.Supplier<SyncTracer> tracer, RuntimeSettings settings, Clock clock, RuntimeListener listener, String nodeId, boolean leases) {
        this.tenant = tenant;
        this.projection = projection;
        this.store = store;
        this.executor = executor;
        this.retries = retries;
        this.tracer = tracer;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.nodeId = nodeId;
        this.leases = leases;
        this.partition = Math.floorMod((tenant.tenant() + ":" + projection.name()).hashCode(), settings.partitions());
    }

    /** Boot: read the durable cursor, start the safety timer, schedule an immediate sync. */
    void start() {
        try {
            cursor = projection.cursor();
        } catch (RuntimeException e) {
            cursor = 0;
        }
        try {
            mayHaveOpenFailures = store.openFailures(tenant.tenant(), projection.name()) > 0;
        } catch (RuntimeException e) {
            mayHaveOpenFailures = true;
        }
        listener.workerStarted(tenant.tenant(), projection.name());
        timer = executor.scheduleWithFixedDelay(() -> sync(false), settings.pollIntervalMs(), settings.pollIntervalMs(),
                TimeUnit.MILLISECONDS);
        sync(false);
    }

    /**
     * Asks for a catch-up. A {@code failed} worker ignores non-external signals; a {@code retrying} worker waits
     * for its retry timer unless the sync is external.
     */
    void sync(boolean external) {
        if (stopped) {
            return;
        }
        synchronized (this) {
            if (!external && ("failed".equals(status) || "retrying".equals(status))) {
                return;
            }
            if (external) {
                mayHaveOpenFailures = true;
            }
            if (external && "failed".equals(status)) {
                status = "idle";
            }
        }
        GroupPass g = group;
        if (!external && g != null) {
            g.signal(false); // plain signals of a grouped worker (timer, lease look-again) go to the group pass
            return;
        }
        if (external) {
            externalWake = true;
        }
        Object context = tracer.get().capture();
        if (context != null) {
            signalContext.compareAndSet(null, context);
        }
        dirty = true;
        if (scheduled.compareAndSet(false, true)) {
            // an idle worker lets a stream of commits gather for coalesce_ms: one catch-up transaction for them all
            if (external || settings.coalesceMs() == 0) {
                executor.execute(this::drain);
            } else {
                executor.schedule(this::drain, settings.coalesceMs(), TimeUnit.MILLISECONDS);
            }
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The status; {@code cursor} is the durable cursor (the worker's own view may trail a commit by a moment). */
    WorkerStatus status() {
        long durable;
        try {
            durable = projection.cursor();
        } catch (RuntimeException e) {
            durable = -1;
        }
        synchronized (this) {
            return new WorkerStatus(tenant.tenant(), projection.name(), partition, durable >= 0 ? durable : cursor,
                    lastSyncAt, lastError, retryCount, stopped ? "stopped" : status, syncCount);
        }
    }

    /** The cursor as this worker last committed or read it (no database read). */
    synchronized long committedCursor() {
        return cursor;
    }

    /** Events this worker committed since it started (tests and benchmarks: no double processing). */
    long processedTotal() {
        return processedTotal.get();
    }

    private void drain() {
        try {
            while (dirty && !stopped) {
                dirty = false;
                externalWake = false;
                if (!syncOnce() || group != null) {
                    break; // a grouped worker hands later plain signals back to the group (afterBusy)
                }
            }
        } finally {
            scheduled.set(false);
            afterBusy();
        }
    }

    /**
     * After this worker's own drain or a group pass: a signal that came meanwhile must not be lost (a retrying or
     * failed worker is woken by nothing but an external sync). An external one runs the worker's own drain; a
     * plain one does too, unless the worker is grouped: then it goes back to the group pass.
     */
    private void afterBusy() {
        boolean again;
        boolean handBack;
        GroupPass g = group;
        synchronized (this) {
            boolean signalled = dirty && !stopped;
            again = signalled && (externalWake || (g == null && "idle".equals(status)));
            handBack = signalled && !again && g != null && "idle".equals(status);
        }
        if (again && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        } else if (handBack) {
            dirty = false;
            g.signal(false);
        }
    }

    /** One sync; false when the worker must not continue now (contended, retrying, failed). */
    private boolean syncOnce() {
        if (leases && !takeLease()) {
            // another node works this scope: look again later, backing off up to the poll interval
            long delay = Math.min(settings.pollIntervalMs(), CONTENDED_RETRY_MS << Math.min(contended++, 10));
            // a retrying worker ignores plain signals: its look-again must count as its retry, or it is lost when the
            // lease cannot be taken (another node, or the database still unreachable) and the worker stays "retrying"
            boolean retrying;
            synchronized (this) {
                retrying = "retrying".equals(status);
            }
            executor.schedule(() -> sync(retrying), delay, TimeUnit.MILLISECONDS);
            return false;
        }
        contended = 0;
        long processed = 0;
        long leaseTakenAt = clock.millis();
        SyncTracer.Span span = tracer.get().start(tenant.tenant(), projection.name(), signalContext.getAndSet(null));
        String errorCode = null;
        try {
            long position = projection.cursor();
            while (!stopped) {
                WorkerTarget.Step r = projection.catchUp(settings.batchSize(),
                        position > Long.MAX_VALUE - settings.batchSize() ? Long.MAX_VALUE : position + settings.batchSize());
                if (r.processed() > 0) {
                    processed += r.processed();
                    committed(r.lastLogSeq(), r.processed());
                }
                if (r.lastLogSeq() <= position || r.pending() == 0) {
                    synchronized (this) {
                        cursor = r.lastLogSeq();
                    }
                    break;
                }
                position = r.lastLogSeq();
                if (leases && clock.millis() - leaseTakenAt > settings.leaseTtlMs() / 2) {
                    takeLease();
                    leaseTakenAt = clock.millis();
                }
            }
            synced(processed);
            return true;
        } catch (RuntimeException e) {
            if (e instanceof ProjectionFailedException pf && pf.processedEvents() > 0) {
                // batches committed by this catch-up before the failing one: they count, and they need their
                // digest checkpoint (the retry may find nothing left to do)
                processed += pf.processedEvents();
                processedTotal.addAndGet(pf.processedEvents());
                if (projection.digested()) {
                    tenant.requestCheckpoint();
                }
                listener.projectionChanged(tenant.tenant());
            }
            errorCode = e instanceof DgException dg ? dg.code().apiCode() : ErrorCode.DG_ERR_STORAGE.apiCode();
            failed(e, processed);
            return false;
        } finally {
            long reached;
            synchronized (this) {
                reached = cursor;
            }
            span.end(processed, reached, errorCode);
            if (leases) {
                releaseLease();
            }
        }
    }

    /**
     * A batch of {@code events} was committed up to {@code lastLogSeq} (by this worker or by the group pass):
     * cursor, failures behind it, checkpoint, listeners.
     */
    void committed(long lastLogSeq, long events) {
        processedTotal.addAndGet(events);
        synchronized (this) {
            cursor = lastLogSeq;
        }
        if (mayHaveOpenFailures && projection.digested()) {
            store.autoResolve(tenant.tenant(), projection.name(), lastLogSeq, now());
            mayHaveOpenFailures = store.openFailures(tenant.tenant(), projection.name()) > 0;
        }
        if (projection.digested()) {
            tenant.requestCheckpoint();
        } else {
            resolveStoppedAt(lastLogSeq);
        }
        listener.projectionChanged(tenant.tenant());
    }

    // --- the tenant's group pass ({@link GroupPass}) ------------------------------------------------

    /** From now on plain signals go to {@code value} (the tenant's group pass). */
    void joinGroup(GroupPass value) {
        group = value;
    }

    /**
     * The group pass could not claim this worker: remember the signal unless plain signals are ignored now
     * (failed, retrying); a running drain of the worker's own hands it back to the group when it ends.
     */
    void markSignalled() {
        synchronized (this) {
            if ("failed".equals(status) || "retrying".equals(status)) {
                return;
            }
        }
        dirty = true;
    }

    /**
     * Hands this worker's projection to the tenant's group pass: true when the worker is idle, its own drain is
     * neither scheduled nor running, and (with leases) this node holds the lease. Until {@link #releaseFromGroup}
     * the worker's own drain does not start; signals meanwhile are kept and served after the release.
     */
    boolean claimForGroup() {
        if (stopped || !scheduled.compareAndSet(false, true)) {
            return false;
        }
        boolean idle;
        synchronized (this) {
            idle = "idle".equals(status);
        }
        if (!idle || (leases && !takeLease())) {
            releaseClaim();
            return false;
        }
        if (!externalWake) {
            dirty = false; // the pass serves the plain signals so far
        }
        return true;
    }

    /** The group pass stopped at an error: this worker catches up on its own now, and meets the error itself. */
    void catchUpAlone() {
        if (stopped) {
            return;
        }
        externalWake = true;
        dirty = true;
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** The group pass is done with this worker (lease released); a signal that came meanwhile runs its own drain. */
    void releaseFromGroup() {
        if (leases) {
            releaseLease();
        }
        releaseClaim();
    }

    private void releaseClaim() {
        scheduled.set(false);
        afterBusy();
    }

    /** The span of a group catch-up of this projection, under the group's signal context or else this worker's. */
    SyncTracer.Span startGroupSpan(Object groupContext, java.time.Instant began) {
        Object own = signalContext.getAndSet(null);
        return tracer.get().start(tenant.tenant(), projection.name(), groupContext != null ? groupContext : own, began);
    }

    /** A catch-up of this projection (by this worker or by the group pass) ended without an error. */
    void synced(long processed) {
        synchronized (this) {
            lastSyncAt = now();
            lastError = null;
            retryCount = 0;
            status = "idle";
            syncCount++;
        }
        listener.workerSynced(tenant.tenant(), projection.name(), processed);
    }

    /** Renews this node's lease (group passes longer than half the lease time). */
    void renewLease() {
        if (leases) {
            takeLease();
        }
    }

    private void releaseLease() {
        try {
            store.releaseLease(tenant.tenant(), projection.name(), nodeId);
        } catch (RuntimeException e) {
            LOG.warn("projection_lease_release_failed tenant={} projection={}", tenant.tenant(), projection.name());
        }
    }

    private void resolveStoppedAt(long cursorNow) {
        RuntimeStore.Failure f = stoppedAt;
        if (f != null && f.logSeq() != null && f.logSeq() <= cursorNow) {
            stoppedAt = null;
            String metadata = JsonWriter.canonical(((JsonObject) org.decisiongraph.core.json.JsonParser.parse(f.metadataJson()))
                    .with("resolution", JsonObject.builder().put("manual", false).put("passed_by_cursor", cursorNow).build()));
            store.resolve(f.id(), now(), metadata);
        }
    }

    private boolean takeLease() {
        long nowMs = clock.millis();
        try {
            return store.tryLease(tenant.tenant(), projection.name(), nodeId, nowMs, nowMs + settings.leaseTtlMs());
        } catch (RuntimeException e) {
            LOG.warn("projection_lease_failed tenant={} projection={} message={}", tenant.tenant(), projection.name(),
                    e.getMessage());
            return false;
        }
    }

    private void failed(RuntimeException e, long processedBefore) {
        DgException error = switch (e) {
            case ProjectionFailedException pf -> pf.error();
            case DgException dg -> dg;
            default -> DgErrors.projectionRuntimeError(String.valueOf(e.getMessage()), e);
        };
        boolean recoverable = error.code() == ErrorCode.DG_ERR_STORAGE;
        long durable;
        try {
            durable = projection.cursor();
        } catch (RuntimeException ex) {
            durable = -1;
        }
        int attempts;
        synchronized (this) {
            if (durable >= 0) {
                cursor = durable;
            }
            retryCount++;
            attempts = retryCount;
            lastError = JsonObject.builder().put("code", error.code().apiCode()).put("message", error.message())
                    .put("details", JsonObject.builder().put("projection_name", projection.name())
                            .put("tenant_id", tenant.tenant()).put("last_log_seq", cursor).build())
                    .build();
        }
        boolean terminal = !recoverable || attempts > settings.maxRetries();
        listener.workerFailed(tenant.tenant(), projection.name(), error.code().apiCode(), terminal);
        if (!terminal) {
            long delay = settings.retryBaseMs() * (1L << Math.min(attempts - 1, 20));
            synchronized (this) {
                status = "retrying";
            }
            LOG.warn("projection_worker_retrying tenant={} projection={} retry_count={} delay_ms={} message={}",
                    tenant.tenant(), projection.name(), attempts, delay, error.message());
            retries.schedule(() -> sync(true), delay);
            return;
        }
        synchronized (this) {
            status = "failed";
        }
        LOG.error("projection_worker_failed tenant={} projection={} code={} message={}", tenant.tenant(),
                projection.name(), error.code().apiCode(), error.message());
        try {
            recordFailure(e, error, recoverable, attempts, processedBefore);
        } catch (RuntimeException ex) {
            LOG.error("projection_failure_record_failed tenant={} projection={}", tenant.tenant(), projection.name(), ex);
        }
        listener.projectionChanged(tenant.tenant());
    }

    /** The failure row for the event the worker stopped at (projections spec 7.4); none if no event is found. */
    private void recordFailure(RuntimeException e, DgException error, boolean recoverable, int retries, long processed) {
        mayHaveOpenFailures = true;
        StoredEvent event = projection.failedEvent(e);
        if (event == null) {
            return;
        }
        if (store.hasOpenFailure(tenant.tenant(), projection.name(), event.logSeq())) {
            return; // one open row per stopped-at event: a repeated sync on the same event adds nothing
        }
        String metadata = JsonWriter.canonical(JsonObject.builder().put("processed_events", processed)
                .put("recoverable", recoverable).build());
        RuntimeStore.Failure row = new RuntimeStore.Failure(UUID.randomUUID().toString(), tenant.tenant(), projection.name(),
                event.logSeq(), event.traceId(), event.eventId(), error.code().apiCode(), error.message(), recoverable,
                retries, "open", metadata, now(), null);
        store.insertFailure(row);
        if (!projection.digested()) {
            stoppedAt = row;
        }
    }

    private String now() {
        return Timestamps.toRfc3339(clock.instant());
    }
}
