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
import org.decisiongraph.projection.CatchUpResult;
import org.decisiongraph.projection.ProjectionFailedException;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker of one (tenant, projection) (projections spec 7.3). It sleeps until signalled (after commits, by
 * the append hook) or until its one low-frequency safety timer fires, then catches its projection up in batches;
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
    private final ProjectionName projection;
    private final RuntimeStore store;
    private final ScheduledExecutorService executor;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final RuntimeListener listener;
    private final String nodeId;
    private final boolean leases;
    private final Projector projector;
    private final int partition;

    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** An external sync (retry timer, operator) arrived that the running drain has not started yet. */
    private volatile boolean externalPending;
    private volatile boolean dirty;
    private volatile boolean stopped;
    private final AtomicLong processedTotal = new AtomicLong();
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> retryTimer;
    private int contended;
    /** Whether open failure rows may exist (auto-resolve is skipped otherwise: no write per batch). */
    private volatile boolean mayHaveOpenFailures = true;

    // state, guarded by this
    private String status = "idle";
    private long cursor;
    private String lastSyncAt;
    private JsonObject lastError;
    private int retryCount;
    private long syncCount;

    ProjectionWorker(TenantContext tenant, ProjectionName projection, RuntimeStore store, ScheduledExecutorService executor,
                     RuntimeSettings settings, Clock clock, RuntimeListener listener, String nodeId, boolean leases) {
        this.tenant = tenant;
        this.projection = projection;
        this.store = store;
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.nodeId = nodeId;
        this.leases = leases;
        this.projector = new Projector(tenant.projections().store(), tenant.projections().feed());
        this.partition = Math.floorMod((tenant.tenant() + ":" + projection.wireName()).hashCode(), settings.partitions());
    }

    /** Boot: read the durable cursor, start the safety timer, schedule an immediate sync. */
    void start() {
        try {
            cursor = tenant.projections().store().cursor(projection);
        } catch (RuntimeException e) {
            cursor = 0;
        }
        try {
            mayHaveOpenFailures = store.openFailures(tenant.tenant(), projection.wireName()) > 0;
        } catch (RuntimeException e) {
            mayHaveOpenFailures = true;
        }
        listener.workerStarted(tenant.tenant(), projection.wireName());
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
                externalPending = true;
            }
            if (external && "failed".equals(status)) {
                status = "idle";
            }
        }
        dirty = true;
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (retryTimer != null) {
            retryTimer.cancel(false);
        }
    }

    /** The status; {@code cursor} is the durable cursor (the worker's own view may trail a commit by a moment). */
    WorkerStatus status() {
        long durable;
        try {
            durable = tenant.projections().store().cursor(projection);
        } catch (RuntimeException e) {
            durable = -1;
        }
        synchronized (this) {
            return new WorkerStatus(tenant.tenant(), projection.wireName(), partition, durable >= 0 ? durable : cursor,
                    lastSyncAt, lastError, retryCount, stopped ? "stopped" : status, syncCount);
        }
    }

    /** Events this worker committed since it started (tests and benchmarks: no double processing). */
    long processedTotal() {
        return processedTotal.get();
    }

    private void drain() {
        try {
            while (dirty && !stopped) {
                dirty = false;
                externalPending = false;
                if (!syncOnce()) {
                    break;
                }
            }
        } finally {
            scheduled.set(false);
            boolean again;
            synchronized (this) {
                // a retry timer that fired while the failed sync was still finishing (its lease release can wait for
                // the pool's connection timeout while the database is down) must not be lost: the worker would stay
                // "retrying" forever, since signals do not wake a retrying worker
                again = dirty && !stopped && ("idle".equals(status) || externalPending);
            }
            if (again && scheduled.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
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
        try {
            long position = tenant.projections().store().cursor(projection);
            while (!stopped) {
                CatchUpResult r = projector.catchUp(projection, settings.batchSize(),
                        position > Long.MAX_VALUE - settings.batchSize() ? Long.MAX_VALUE : position + settings.batchSize());
                if (r.processedEvents() > 0) {
                    processed += r.processedEvents();
                    processedTotal.addAndGet(r.processedEvents());
                    synchronized (this) {
                        cursor = r.lastLogSeq();
                    }
                    if (mayHaveOpenFailures) {
                        store.autoResolve(tenant.tenant(), projection.wireName(), r.lastLogSeq(), now());
                        mayHaveOpenFailures = store.openFailures(tenant.tenant(), projection.wireName()) > 0;
                    }
                    tenant.requestCheckpoint();
                    listener.projectionChanged(tenant.tenant());
                }
                if (r.lastLogSeq() <= position || r.pendingEvents() == 0) {
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
            synchronized (this) {
                lastSyncAt = now();
                lastError = null;
                retryCount = 0;
                status = "idle";
                syncCount++;
            }
            listener.workerSynced(tenant.tenant(), projection.wireName(), processed);
            return true;
        } catch (RuntimeException e) {
            failed(e, processed);
            return false;
        } finally {
            if (leases) {
                try {
                    store.releaseLease(tenant.tenant(), projection.wireName(), nodeId);
                } catch (RuntimeException e) {
                    LOG.warn("projection_lease_release_failed tenant={} projection={}", tenant.tenant(), projection.wireName());
                }
            }
        }
    }

    private boolean takeLease() {
        long nowMs = clock.millis();
        try {
            return store.tryLease(tenant.tenant(), projection.wireName(), nodeId, nowMs, nowMs + settings.leaseTtlMs());
        } catch (RuntimeException e) {
            LOG.warn("projection_lease_failed tenant={} projection={} message={}", tenant.tenant(), projection.wireName(),
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
            durable = tenant.projections().store().cursor(projection);
        } catch (RuntimeException ex) {
            durable = -1;
        }
        int retries;
        synchronized (this) {
            if (durable >= 0) {
                cursor = durable;
            }
            retryCount++;
            retries = retryCount;
            lastError = JsonObject.builder().put("code", error.code().apiCode()).put("message", error.message())
                    .put("details", JsonObject.builder().put("projection_name", projection.wireName())
                            .put("tenant_id", tenant.tenant()).put("last_log_seq", cursor).build())
                    .build();
        }
        boolean terminal = !recoverable || retries > settings.maxRetries();
        listener.workerFailed(tenant.tenant(), projection.wireName(), error.code().apiCode(), terminal);
        if (!terminal) {
            long delay = settings.retryBaseMs() * (1L << Math.min(retries - 1, 20));
            synchronized (this) {
                status = "retrying";
            }
            LOG.warn("projection_worker_retrying tenant={} projection={} retry_count={} delay_ms={} message={}",
                    tenant.tenant(), projection.wireName(), retries, delay, error.message());
            retryTimer = executor.schedule(() -> sync(true), delay, TimeUnit.MILLISECONDS);
            return;
        }
        synchronized (this) {
            status = "failed";
        }
        LOG.error("projection_worker_failed tenant={} projection={} code={} message={}", tenant.tenant(),
                projection.wireName(), error.code().apiCode(), error.message());
        try {
            recordFailure(e, error, recoverable, retries, processedBefore);
        } catch (RuntimeException ex) {
            LOG.error("projection_failure_record_failed tenant={} projection={}", tenant.tenant(), projection.wireName(), ex);
        }
        listener.projectionChanged(tenant.tenant());
    }

    /** The failure row for the event the worker stopped at (projections spec 7.4); none if no event is found. */
    private void recordFailure(RuntimeException e, DgException error, boolean recoverable, int retries, long processed) {
        mayHaveOpenFailures = true;
        StoredEvent event = e instanceof ProjectionFailedException pf ? pf.event() : null;
        if (event == null) {
            long committed = tenant.projections().store().cursor(projection);
            var next = tenant.projections().feed().read(committed, Long.MAX_VALUE, 1);
            event = next.isEmpty() ? null : next.getFirst();
        }
        if (event == null) {
            return;
        }
        if (store.hasOpenFailure(tenant.tenant(), projection.wireName(), event.logSeq())) {
            return; // one open row per stopped-at event: a repeated sync on the same event adds nothing
        }
        String metadata = JsonWriter.canonical(JsonObject.builder().put("processed_events", processed)
                .put("recoverable", recoverable).build());
        store.insertFailure(new RuntimeStore.Failure(UUID.randomUUID().toString(), tenant.tenant(), projection.wireName(),
                event.logSeq(), event.traceId(), event.eventId(), error.code().apiCode(), error.message(), recoverable,
                retries, "open", metadata, now(), null));
    }

    private String now() {
        return Timestamps.toRfc3339(clock.instant());
    }
}
