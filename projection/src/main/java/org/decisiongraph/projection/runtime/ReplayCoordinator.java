package org.decisiongraph.projection.runtime;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.projection.CatchUpResult;
import org.decisiongraph.projection.ProjectionFailedException;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.decisiongraph.store.runtime.RuntimeStore.Run;

/**
 * Replay (catch_up) and rebuild jobs (projections spec 7.6, decisions P13, P15-P17). At most one active job per
 * (tenant, scope), where {@code all} is its own scope. A job runs in batches on the runtime's executor, records
 * progress in {@code dg_projection_runs} after each batch, honours {@code until_log_seq}, always resumes from the
 * durable cursor ({@code since_log_seq} is informational), and checks for cancellation between batches; batches
 * already committed stay committed.
 */
final class ReplayCoordinator {
    private final RuntimeStore store;
    private final ExecutorService executor;
    private final Clock clock;
    private final IdGenerator ids;
    private final RuntimeListener listener;
    private final Function<String, TenantContext> tenants;
    private final int batchSize;
    private final Map<String, Job> active = new ConcurrentHashMap<>();
    private final JobDone done;

    /** Called after a job ends, so the runtime can resync its workers. */
    interface JobDone {
        void finished(String tenant, List<ProjectionName> projections);
    }

    private static final class Job {
        private volatile Run run;
        private volatile boolean cancelled;
        private final long startedNanos = System.nanoTime();

        Job(Run run) {
            this.run = run;
        }
    }

    ReplayCoordinator(RuntimeStore store, ExecutorService executor, Clock clock, IdGenerator ids, RuntimeListener listener,
                      Function<String, TenantContext> tenants, int batchSize, JobDone done) {
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.ids = ids;
        this.listener = listener;
        this.tenants = tenants;
        this.batchSize = batchSize;
        this.done = done;
    }

    int activeJobs() {
        return active.size();
    }

    /**
     * Starts a job. {@code projection} is a projection name or {@code all}; unknown → INVALID_ARGUMENT
     * {@code Unknown projection '<name>'}; a running job of the same scope → CONFLICT.
     */
    Run start(String tenant, String projection, String mode, long sinceLogSeq, Long untilLogSeq, String metadataJson) {
        return start(tenant, projection, mode, sinceLogSeq, untilLogSeq, metadataJson, null);
    }

    /**
     * As above; {@code external} non-null runs a {@code catch_up} of that external projection (platform spec 1.9: the
     * {@code workflow} projection supports {@code catch_up} only; {@code rebuild} → INVALID_ARGUMENT
     * {@code The <name> projection cannot be rebuilt}).
     */
    Run start(String tenant, String projection, String mode, long sinceLogSeq, Long untilLogSeq, String metadataJson,
              ExternalProjection external) {
        if (external != null && "rebuild".equals(mode)) {
            throw DgErrors.invalidArgument("The " + external.name() + " projection cannot be rebuilt");
        }
        List<ProjectionName> scope = external != null ? List.of() : "all".equals(projection) ? ProjectionName.CANONICAL_ORDER
                : List.of(ProjectionName.parse(projection));
        if (sinceLogSeq < 0) {
            throw DgErrors.logSeqNegative(sinceLogSeq);
        }
        if (untilLogSeq != null && untilLogSeq < 0) {
            throw DgErrors.logSeqNegative(untilLogSeq);
        }
        String key = tenant + "/" + projection;
        Run run = new Run("replay-" + ids.newId(), tenant, projection, mode, "queued", now(), null, null, sinceLogSeq,
                untilLogSeq, 0, 0, null, null, metadataJson);
        Job job = new Job(run);
        if (active.putIfAbsent(key, job) != null) {
            throw alreadyRunning(tenant, projection);
        }
        try {
            store.insertRun(run);
        } catch (RuntimeException e) {
            active.remove(key, job);
            throw e;
        }
        listener.runChanged(run, "started", 0);
        executor.execute(() -> {
            if (external != null) {
                executeExternal(key, job, external);
            } else {
                execute(key, job, scope);
            }
        });
        return run;
    }

    /** The conflict of a duplicate start (message of projections spec 7.6). */
    static DgException alreadyRunning(String tenant, String projection) {
        return new DgException(ErrorCode.DG_ERR_CONFLICT, "A replay job is already running for " + tenant + "/" + projection);
    }

    boolean isActive(String tenant, String projection) {
        return active.containsKey(tenant + "/" + projection);
    }

    /** Cancels an active job of the tenant; empty when no such active job. */
    Optional<Run> cancel(String tenant, String jobId) {
        for (Map.Entry<String, Job> e : active.entrySet()) {
            Job job = e.getValue();
            if (job.run.jobId().equals(jobId) && job.run.tenantId().equals(tenant)) {
                synchronized (job) {
                    if (job.cancelled || !job.run.isOpen()) {
                        return Optional.empty();
                    }
                    job.cancelled = true;
                    Run r = job.run;
                    job.run = new Run(r.jobId(), r.tenantId(), r.projectionName(), r.mode(), "cancelled", r.requestedAt(),
                            r.startedAt(), now(), r.sinceLogSeq(), r.untilLogSeq(), r.processedEvents(), r.lastLogSeq(),
                            null, null, r.metadataJson());
                    store.updateRun(job.run);
                }
                active.remove(e.getKey(), job);
                listener.runChanged(job.run, "cancelled", seconds(job));
                return Optional.of(job.run);
            }
        }
        return Optional.empty();
    }

    private void execute(String key, Job job, List<ProjectionName> scope) {
        TenantContext tenant = tenants.apply(job.run.tenantId());
        Run r0 = job.run;
        long until = r0.untilLogSeq() == null ? Long.MAX_VALUE : r0.untilLogSeq();
        long processed = 0;
        long last = 0;
        try {
            if (!update(job, "running", now(), null, 0, 0, null, null)) {
                return;
            }
            boolean rebuild = "rebuild".equals(r0.mode());
            Projector projector = new Projector(tenant.projections().store(), tenant.projections().feed());
            for (ProjectionName p : scope) {
                if (rebuild) {
                    projector.clear(p);
                    store.deleteFailures(r0.tenantId(), p.wireName());
                    tenant.requestCheckpoint();
                }
                long position = tenant.projections().store().cursor(p);
                last = position;
                while (true) {
                    if (job.cancelled) {
                        return;
                    }
                    long stop = Math.min(until, position > Long.MAX_VALUE - batchSize ? Long.MAX_VALUE : position + batchSize);
                    CatchUpResult res;
                    try {
                        res = projector.catchUp(p, batchSize, stop);
                    } catch (ProjectionFailedException e) {
                        last = e.lastLogSeq();
                        processed += e.processedEvents();
                        throw e;
                    }
                    processed += res.processedEvents();
                    last = res.lastLogSeq();
                    if (res.processedEvents() > 0) {
                        store.autoResolve(r0.tenantId(), p.wireName(), last, now());
                        tenant.requestCheckpoint();
                        listener.projectionChanged(r0.tenantId());
                        if (!update(job, "running", null, null, processed, last, null, null)) {
                            return;
                        }
                        listener.runChanged(job.run, "progress", seconds(job));
                    }
                    if (res.processedEvents() == 0 || last >= until || res.pendingEvents() == 0) {
                        break;
                    }
                    position = last;
                }
            }
            tenant.checkpointNow();
            if (update(job, "completed", null, now(), processed, last, null, null)) {
                listener.runChanged(job.run, "completed", seconds(job));
            }
        } catch (RuntimeException e) {
            DgException err = e instanceof ProjectionFailedException pf ? pf.error()
                    : e instanceof DgException d ? d : DgErrors.projectionRuntimeError(String.valueOf(e.getMessage()), e);
            if (update(job, "failed", null, now(), processed, last, err.code().apiCode(), err.message())) {
                listener.runChanged(job.run, "failed", seconds(job));
            }
        } finally {
            active.remove(key, job);
            done.finished(r0.tenantId(), scope);
        }
    }

    /** A {@code catch_up} of an external projection: its batches from its durable cursor up to {@code until_log_seq}. */
    private void executeExternal(String key, Job job, ExternalProjection external) {
        Run r0 = job.run;
        String tenant = r0.tenantId();
        long until = r0.untilLogSeq() == null ? Long.MAX_VALUE : r0.untilLogSeq();
        long processed = 0;
        long last = 0;
        try {
            if (!update(job, "running", now(), null, 0, 0, null, null)) {
                return;
            }
            last = external.cursor(tenant);
            while (last < until && !job.cancelled) {
                long next = external.catchUpBatch(tenant, batchSize);
                if (next <= last) {
                    break;
                }
                processed += next - last;
                last = next;
                listener.projectionChanged(tenant);
                if (!update(job, "running", null, null, processed, last, null, null)) {
                    return;
                }
                listener.runChanged(job.run, "progress", seconds(job));
            }
            if (job.cancelled) {
                return;
            }
            if (update(job, "completed", null, now(), processed, last, null, null)) {
                listener.runChanged(job.run, "completed", seconds(job));
            }
        } catch (RuntimeException e) {
            DgException err = e instanceof DgException d ? d : DgErrors.projectionRuntimeError(String.valueOf(e.getMessage()), e);
            if (update(job, "failed", null, now(), processed, last, err.code().apiCode(), err.message())) {
                listener.runChanged(job.run, "failed", seconds(job));
            }
        } finally {
            active.remove(key, job);
            done.finished(tenant, List.of());
        }
    }

    /** Writes the job's new state unless it was cancelled meanwhile; false when cancelled. */
    private boolean update(Job job, String status, String startedAt, String finishedAt, long processed, long last,
                           String errorCode, String errorMessage) {
        synchronized (job) {
            if (job.cancelled) {
                return false;
            }
            Run r = job.run;
            job.run = new Run(r.jobId(), r.tenantId(), r.projectionName(), r.mode(), status,
                    r.requestedAt(), startedAt != null ? (r.startedAt() != null ? r.startedAt() : startedAt) : r.startedAt(),
                    finishedAt, r.sinceLogSeq(), r.untilLogSeq(), processed, last, errorCode, errorMessage, r.metadataJson());
            store.updateRun(job.run);
            if ("running".equals(status) && startedAt != null) {
                listener.runChanged(job.run, "running", 0);
            }
            return true;
        }
    }

    private static double seconds(Job job) {
        return (System.nanoTime() - job.startedNanos) / 1e9;
    }

    private String now() {
        return Timestamps.toRfc3339(clock.instant());
    }
}
