package org.decisiongraph.projection.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projection runtime inside {@code dg serve} (projections spec 7, platform spec 5): a {@link ProjectionWorker}
 * per (tenant, projection) for the three digested projections, started at boot for every tenant with a cursor row
 * or events and on demand at a tenant's first append; replay/rebuild jobs; digest verification jobs; failure
 * records; health. Plain Java concurrency: one small scheduled pool for workers, timers and checkpoints, virtual
 * threads for jobs. Time comes from the clock, ids from the id generator.
 */
public final class ProjectionRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRuntime.class);
    public static final List<String> PROJECTIONS = List.of("context_graph", "trace_summary", "precedent_index");

    private final Database db;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final IdGenerator ids;
    private final RuntimeStore store;
    private final ScheduledThreadPoolExecutor executor;
    /**
     * Digest checkpoints get their own thread: a checkpoint reads every row of its tenant, and on the workers' pool it
     * would hold a worker thread for that long while the workers wait behind it (projection lag).
     */
    private final ScheduledThreadPoolExecutor checkpoints;
    private final ExecutorService jobs;
    private final String nodeId;
    private final boolean leases;
    private final Map<String, TenantContext> tenants = new ConcurrentHashMap<>();
    private final Map<String, ProjectionWorker> workers = new ConcurrentHashMap<>();
    /** Per tenant: the pass that catches its three digested projections up together. */
    private final Map<String, GroupPass> groups = new ConcurrentHashMap<>();
    private final Map<String, String> activeVerifications = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<RuntimeListener> listeners = new CopyOnWriteArrayList<>();
    private final RuntimeListener fanout = new Fanout();
    private final List<ExternalProjection> externals = new CopyOnWriteArrayList<>();
    private final ReplayCoordinator replays;
    private volatile boolean closed;

    private final RetryScheduler retries;
    private volatile SyncTracer tracer = SyncTracer.NONE;

    private ProjectionRuntime(Database db, RuntimeSettings settings, Clock clock, IdGenerator ids, RetryScheduler retries) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
        this.store = new RuntimeStore(db);
        this.nodeId = "node-" + ids.newId();
        this.leases = db.dialect() == Dialect.POSTGRES;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "dg-projector-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(settings.threads(), factory);
        this.executor.setRemoveOnCancelPolicy(true);
        this.checkpoints = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dg-checkpoint");
            t.setDaemon(true);
            return t;
        });
        this.retries = retries != null ? retries
                : (task, delayMs) -> executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        this.jobs = Executors.newVirtualThreadPerTaskExecutor();
        this.replays = new ReplayCoordinator(store, jobs, clock, ids, fanout, this::tenant, settings.batchSize(),
                (tenant, projections) -> projections.forEach(p -> {
                    ProjectionWorker w = workers.get(key(tenant, p.wireName()));
                    if (w != null) {
                        w.sync(true);
                    }
                }));
    }

    /** A runtime over {@code db}; {@link #start} boots it. */
    public static ProjectionRuntime create(Database db, RuntimeSettings settings, Clock clock, IdGenerator ids) {
        return new ProjectionRuntime(Objects.requireNonNull(db, "db"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(ids, "ids"), null);
    }

    /** A runtime whose workers schedule their retries of recoverable failures on {@code retries}. */
    public static ProjectionRuntime create(Database db, RuntimeSettings settings, Clock clock, IdGenerator ids,
                                           RetryScheduler retries) {
        return new ProjectionRuntime(Objects.requireNonNull(db, "db"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(ids, "ids"),
                Objects.requireNonNull(retries, "retries"));
    }

    /** Traces the workers' catch-ups from now on (set before {@link #start} to trace every one). */
    public void tracer(SyncTracer value) {
        this.tracer = Objects.requireNonNull(value, "tracer");
    }

    SyncTracer tracer() {
        return tracer;
    }

    /**
     * Runs {@code projection} (e.g. the {@code workflow} projection) with one worker per tenant, like the digested
     * projections; workers start now for every known tenant and later with the others. Call once per name.
     */
    public void register(ExternalProjection projection) {
        Objects.requireNonNull(projection, "projection");
        if (PROJECTIONS.contains(projection.name()) || external(projection.name()).isPresent()) {
            throw new IllegalArgumentException("projection already registered: " + projection.name());
        }
        externals.add(projection);
        for (String tenant : store.knownTenants()) {
            ensureWorkers(tenant);
        }
        for (String tenant : List.copyOf(tenants.keySet())) {
            ensureWorkers(tenant);
        }
    }

    /** The registered external projections, in registration order. */
    public List<String> externalProjections() {
        return externals.stream().map(ExternalProjection::name).toList();
    }

    private Optional<ExternalProjection> external(String name) {
        return externals.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public void addListener(RuntimeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Boot: runs and verifications left open by a previous process become failed/interrupted; workers start for
     * every tenant with a cursor row or events.
     */
    public ProjectionRuntime start() {
        String now = now();
        int interrupted = store.markInterrupted(now);
        store.markVerificationsInterrupted(now);
        if (interrupted > 0) {
            LOG.warn("projection_runs_interrupted count={}", interrupted);
        }
        for (String tenant : store.knownTenants()) {
            ensureWorkers(tenant);
        }
        return this;
    }

    public String nodeId() {
        return nodeId;
    }

    public RuntimeSettings settings() {
        return settings;
    }

    public RuntimeStore store() {
        return store;
    }

    // --- workers -------------------------------------------------------------------------------------

    /** The tenant's projections (created on first use; no workers are started by this). */
    TenantContext tenant(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        return tenants.computeIfAbsent(t, id -> new TenantContext(Projections.open(db, id, clock), checkpoints,
                () -> fanout.projectionChanged(id), settings.checkpointIntervalMs(), clock));
    }

    /** The tenant's query facade (projection-backed reads with their staleness checks). */
    public ProjectionQueries queries(String tenant) {
        return tenant(tenant).projections().queries();
    }

    public EventLog eventLog(String tenant) {
        return tenant(tenant).projections().eventLog();
    }

    /** Starts the tenant's three workers if they are not running (idempotent). */
    public void ensureWorkers(String tenant) {
        if (closed) {
            return;
        }
        TenantContext ctx = tenant(tenant);
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            startWorker(ctx, p.wireName(), () -> WorkerTarget.digested(ctx, p));
        }
        if (!groups.containsKey(ctx.tenant())) {
            synchronized (workers) {
                if (!groups.containsKey(ctx.tenant()) && !closed) {
                    java.util.EnumMap<ProjectionName, ProjectionWorker> digested = new java.util.EnumMap<>(ProjectionName.class);
                    ProjectionName.CANONICAL_ORDER.forEach(p -> digested.put(p, workers.get(key(ctx.tenant(), p.wireName()))));
                    GroupPass group = new GroupPass(ctx, digested, executor, settings, clock, this::tracer);
                    digested.values().forEach(w -> w.joinGroup(group));
                    groups.put(ctx.tenant(), group);
                }
            }
        }
        for (ExternalProjection p : externals) {
            startWorker(ctx, p.name(), () -> WorkerTarget.external(ctx, p));
        }
    }

    private void startWorker(TenantContext ctx, String name, java.util.function.Supplier<WorkerTarget> target) {
        String key = key(ctx.tenant(), name);
        if (workers.containsKey(key)) {
            return;
        }
        synchronized (workers) {
            if (!workers.containsKey(key) && !closed) {
                ProjectionWorker w = new ProjectionWorker(ctx, target.get(), store, executor, retries, this::tracer, settings, clock, fanout, nodeId, leases);
                workers.put(key, w);
                w.start();
            }
        }
    }

    /** The append hook: events of {@code tenant} were committed; signal its workers. */
    public boolean eventsAppended(String tenant) {
        if (closed) {
            return false;
        }
        ensureWorkers(tenant);
        GroupPass group = groups.get(EventLog.normalizeTenant(tenant));
        if (group != null) { // null only while closing: ensureWorkers starts nothing then
            group.signal();
        }
        for (ExternalProjection p : externals) {
            ProjectionWorker w = workers.get(key(EventLog.normalizeTenant(tenant), p.name()));
            if (w != null) {
                w.sync(false);
            }
        }
        return true;
    }

    /** An external sync of one worker (the only way a {@code failed} worker resumes). */
    public WorkerStatus sync(String tenant, String projection) {
        ensureWorkers(tenant);
        ProjectionWorker w = workers.get(key(EventLog.normalizeTenant(tenant), projection));
        if (w == null) {
            throw DgErrors.unknownProjection(projection);
        }
        w.sync(true);
        return w.status();
    }

    /** The worker's status; {@code stopped} with its durable cursor when no worker runs. */
    public WorkerStatus workerStatus(String tenant, String projection) {
        String t = EventLog.normalizeTenant(tenant);
        ProjectionWorker w = workers.get(key(t, projection));
        if (w != null) {
            return w.status();
        }
        Optional<ExternalProjection> ext = external(projection);
        long cursor = ext.isPresent() ? ext.get().cursor(t) : tenant(t).projections().store().cursor(ProjectionName.parse(projection));
        int partition = Math.floorMod((t + ":" + projection).hashCode(), settings.partitions());
        return new WorkerStatus(t, projection, partition, cursor, null, null, 0, "stopped", 0);
    }

    /**
     * The last log_seq this node's worker committed for (tenant, projection), from memory (no database read: for
     * samplers that poll often); -1 when no worker runs here.
     */
    public long committedCursor(String tenant, String projection) {
        ProjectionWorker w = workers.get(key(EventLog.normalizeTenant(tenant), projection));
        return w == null ? -1 : w.committedCursor();
    }

    public List<WorkerStatus> workerStatuses(String tenant) {
        List<WorkerStatus> out = new ArrayList<>(PROJECTIONS.stream().map(p -> workerStatus(tenant, p)).toList());
        externals.forEach(e -> out.add(workerStatus(tenant, e.name())));
        return out;
    }

    /** Events committed by this node's worker of (tenant, projection) since it started; 0 without a worker. */
    public long processedByWorker(String tenant, String projection) {
        ProjectionWorker w = workers.get(key(EventLog.normalizeTenant(tenant), projection));
        return w == null ? 0 : w.processedTotal();
    }

    public int activeWorkers() {
        return workers.size();
    }

    public int activeReplayJobs() {
        return replays.activeJobs();
    }

    /** {@code runtime_snapshot} (projections spec 5.4). */
    public JsonObject snapshot() {
        return JsonObject.builder()
                .put("active_workers", activeWorkers())
                .put("active_replay_jobs", activeReplayJobs())
                .put("partition_count", settings.partitions())
                .put("projections", Json.strings(PROJECTIONS))
                .build();
    }

    // --- health ------------------------------------------------------------------------------------

    /** The tenant's projection health (projections spec 5.3). */
    public JsonObject health(String tenant) {
        TenantContext ctx = tenant(tenant);
        String t = ctx.tenant();
        long last = ctx.projections().eventLog().lastLogSeq(t);
        List<Json> projections = new ArrayList<>();
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            long cursor = ctx.projections().store().cursor(p);
            Optional<DigestCheckpoint> d = ctx.projections().store().digestCheckpoint(p.wireName());
            projections.add(JsonObject.builder()
                    .put("projection_name", p.wireName())
                    .put("last_log_seq", cursor)
                    .put("pending_events", Math.max(last - cursor, 0))
                    .put("is_stale", cursor < last)
                    .put("updated_at", Json.ofNullable(d.map(DigestCheckpoint::updatedAt).orElse(null)))
                    .put("digest", Json.ofNullable(d.map(DigestCheckpoint::digest).orElse(null)))
                    .put("open_failures", store.openFailures(t, p.wireName()))
                    .build());
        }
        Optional<DigestCheckpoint> full = ctx.projections().store().digestCheckpoint(ProjectionName.FULL_PROJECTION);
        JsonObject.Builder b = JsonObject.builder()
                .put("tenant_id", t)
                .put("event_log_last_seq", last)
                .put("full_digest", Json.ofNullable(full.map(DigestCheckpoint::digest).orElse(null)))
                .put("projections", Json.array(projections))
                .put("open_runs", Json.array(store.openRuns(t).stream().map(RuntimeJson::openRun).toList()));
        for (ExternalProjection e : externals) {
            b.put(e.name() + "_runtime", e.health(t, store.openFailures(t, e.name())));
        }
        return b.build();
    }

    // --- replays -----------------------------------------------------------------------------------

    /** Starts a replay ({@code catch_up}) or {@code rebuild} job; see {@link ReplayCoordinator}. */
    public RuntimeStore.Run startReplay(String tenant, String projection, String mode, long sinceLogSeq, Long untilLogSeq,
                                        JsonObject metadata) {
        String t = EventLog.normalizeTenant(tenant);
        tenant(t);
        return replays.start(t, projection, mode, sinceLogSeq, untilLogSeq, JsonWriter.canonical(metadata),
                external(projection).orElse(null));
    }

    /** Cancels an active job of the tenant; empty when the job is not active. */
    public Optional<RuntimeStore.Run> cancelReplay(String tenant, String jobId) {
        return replays.cancel(EventLog.normalizeTenant(tenant), jobId);
    }

    // --- failures ----------------------------------------------------------------------------------

    /**
     * The retry of a failure row (platform spec 1.15.5): for an external projection whose cursor has passed the
     * failed event (a quarantined event), re-applies the event and resolves the row on success (a failure that
     * persists leaves the row open and its message in the returned status); in every case an external sync of
     * the worker follows, which resumes a {@code failed} worker from its durable cursor.
     */
    public WorkerStatus retryFailure(RuntimeStore.Failure failure) {
        String t = failure.tenantId();
        Optional<ExternalProjection> ext = external(failure.projectionName());
        if (ext.isPresent() && failure.logSeq() != null && failure.logSeq() <= ext.get().cursor(t)) {
            JsonObject metadata = (JsonObject) org.decisiongraph.core.json.JsonParser.parse(failure.metadataJson());
            try {
                ext.get().reapply(t, failure.logSeq());
                store.resolve(failure.id(), now(), JsonWriter.canonical(metadata.with("resolution",
                        JsonObject.builder().put("manual", false).put("reapplied", true).build())));
            } catch (RuntimeException e) {
                LOG.warn("projection_failure_retry_failed tenant={} projection={} failure_id={} message={}", t,
                        failure.projectionName(), failure.id(), e.getMessage());
            }
            fanout.projectionChanged(t);
        }
        return sync(t, failure.projectionName());
    }

    /** Resolves an open failure by hand; never moves a cursor. False when it was already resolved. */
    public boolean resolveFailure(RuntimeStore.Failure failure, JsonObject resolution) {
        JsonObject metadata = (JsonObject) org.decisiongraph.core.json.JsonParser.parse(failure.metadataJson());
        boolean done = store.resolve(failure.id(), now(), JsonWriter.canonical(metadata.with("resolution", resolution)));
        fanout.projectionChanged(failure.tenantId());
        return done;
    }

    // --- digest verification -----------------------------------------------------------------------

    /**
     * Starts a digest verification of the tenant ({@code all} or one projection); CONFLICT {@code A digest
     * verification is already running for <tenant>} while one is active.
     */
    public RuntimeStore.Verification startVerification(String tenant, String projection, String reason, String requestId,
                                                       String accountId) {
        String t = EventLog.normalizeTenant(tenant);
        if (!"all".equals(projection)) {
            ProjectionName.parse(projection);
        }
        String id = "verify-" + ids.newId();
        if (activeVerifications.putIfAbsent(t, id) != null) {
            throw new DgException(ErrorCode.DG_ERR_CONFLICT, "A digest verification is already running for " + t);
        }
        RuntimeStore.Verification v = new RuntimeStore.Verification(id, t, projection, "queued", now(), null, null, reason,
                requestId, accountId, "[]", null, null);
        try {
            store.insertVerification(v);
        } catch (RuntimeException e) {
            activeVerifications.remove(t, id);
            throw e;
        }
        jobs.execute(() -> runVerification(v));
        return v;
    }

    /** The id of the tenant's active (queued or running) digest verification, if any. */
    public Optional<String> activeVerification(String tenant) {
        return Optional.ofNullable(activeVerifications.get(EventLog.normalizeTenant(tenant)));
    }

    private void runVerification(RuntimeStore.Verification v) {
        String started = now();
        RuntimeStore.Verification running = new RuntimeStore.Verification(v.verificationId(), v.tenantId(), v.projection(),
                "running", v.requestedAt(), started, null, v.reason(), v.requestId(), v.requestedByAccountId(), "[]", null, null);
        String result;
        try {
            store.updateVerification(running);
            List<DigestVerifier.Result> results = DigestVerifier.verify(tenant(v.tenantId()), v.projection());
            result = results.stream().allMatch(DigestVerifier.Result::match) ? "passed" : "failed";
            store.updateVerification(new RuntimeStore.Verification(v.verificationId(), v.tenantId(), v.projection(), result,
                    v.requestedAt(), started, now(), v.reason(), v.requestId(), v.requestedByAccountId(),
                    JsonWriter.canonical(DigestVerifier.resultsJson(results)), null, null));
        } catch (RuntimeException e) {
            result = "error";
            DgException err = e instanceof DgException d ? d : DgErrors.projectionRuntimeError(String.valueOf(e.getMessage()), e);
            LOG.warn("digest_verification_error tenant={} message={}", v.tenantId(), err.message());
            try {
                store.updateVerification(new RuntimeStore.Verification(v.verificationId(), v.tenantId(), v.projection(),
                        "error", v.requestedAt(), started, now(), v.reason(), v.requestId(), v.requestedByAccountId(), "[]",
                        err.code().apiCode(), err.message()));
            } catch (RuntimeException ignored) {
                // the row stays running; boot marks it interrupted
            }
        } finally {
            activeVerifications.remove(v.tenantId(), v.verificationId());
        }
        fanout.verificationFinished(v.tenantId(), result);
    }

    // --- lifecycle ---------------------------------------------------------------------------------

    /** Graceful stop: workers stop taking signals, running batches finish, the pools shut down. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.values().forEach(ProjectionWorker::stop);
        groups.values().forEach(GroupPass::stop);
        executor.shutdown();
        jobs.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
            if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
                jobs.shutdownNow();
            }
            checkpoints.shutdown(); // after the workers: their last batches' checkpoints still run
            if (!checkpoints.awaitTermination(10, TimeUnit.SECONDS)) {
                checkpoints.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
            jobs.shutdownNow();
            checkpoints.shutdownNow();
        }
    }

    /** Whether {@link #close} finished: workers stopped, the worker pool and the job threads terminated. */
    public boolean isTerminated() {
        return closed && executor.isTerminated() && jobs.isTerminated() && checkpoints.isTerminated();
    }

    private static String key(String tenant, String projection) {
        return tenant + "\u0000" + projection;
    }

    private String now() {
        return Timestamps.toRfc3339(clock.instant());
    }

    /** Delivers to every registered listener; a throwing listener is logged and skipped. */
    private final class Fanout implements RuntimeListener {
        private void each(java.util.function.Consumer<RuntimeListener> action) {
            for (RuntimeListener l : listeners) {
                try {
                    action.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("runtime_listener_failed", e);
                }
            }
        }

        @Override
        public void workerStarted(String tenant, String projection) {
            each(l -> l.workerStarted(tenant, projection));
        }

        @Override
        public void workerSynced(String tenant, String projection, long processedEvents) {
            each(l -> l.workerSynced(tenant, projection, processedEvents));
        }

        @Override
        public void workerFailed(String tenant, String projection, String errorCode, boolean terminal) {
            each(l -> l.workerFailed(tenant, projection, errorCode, terminal));
        }

        @Override
        public void projectionChanged(String tenant) {
            each(l -> l.projectionChanged(tenant));
        }

        @Override
        public void runChanged(RuntimeStore.Run run, String event, double durationSeconds) {
            each(l -> l.runChanged(run, event, durationSeconds));
        }

        @Override
        public void verificationFinished(String tenant, String result) {
            each(l -> l.verificationFinished(tenant, result));
        }
    }
}
