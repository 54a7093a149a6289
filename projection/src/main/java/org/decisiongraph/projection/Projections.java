package org.decisiongraph.projection;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;
import org.decisiongraph.store.readmodel.SqlReadModelStore;
import org.decisiongraph.store.log.EventLog;

/**
 * The projections of one tenant of a database, wired together: the event log, the SQL read model, the
 * {@link Projector} and the {@link ProjectionQueries}. Catch-up uses the library batch size (1000, decision P20),
 * rebuild {@value #REBUILD_BATCH_SIZE}; both, when they committed anything, store the four digest checkpoints
 * (projections spec 4.5)
 * computed inside one write transaction holding every projection lock, so they match the committed rows and
 * cursors exactly. The database stays owned by the caller.
 *
 * <p>Checkpoints are written once per catch-up or rebuild call, after its last committed batch, not after every
 * intermediate batch: each checkpoint recomputes the digests over the whole tenant, which per batch would make a
 * rebuild quadratic (decision P21 allows any schedule that gives identical values).
 */
public final class Projections {
    /**
     * Batch size of {@link #rebuild()}: the reference's replay projects everything in one transaction; batches of
     * 10,000 keep memory bounded while committing (and checkpointing the SQLite WAL) ten times less often than
     * catch-up batches. Batch size never changes the output (projections spec 3.4).
     */
    public static final int REBUILD_BATCH_SIZE = 10_000;

    private final Database db;
    private final EventLog log;
    private final String tenant;
    private final SqlReadModelStore store;
    private final EventLogFeed feed;
    private final Projector projector;
    private final ProjectionQueries queries;
    private final Clock clock;

    private Projections(Database db, String tenant, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.log = EventLog.open(db, EventTypeSet.PLATFORM, clock);
        this.tenant = EventLog.normalizeTenant(tenant);
        this.store = SqlReadModelStore.open(db, this.tenant, clock);
        this.feed = new EventLogFeed(log, this.tenant);
        this.projector = new Projector(store, feed);
        this.queries = new ProjectionQueries(store, feed::lastLogSeq);
    }

    /** The projections of {@code tenant} (null: {@code default}) in {@code db}; {@code clock} stamps cursors and checkpoints. */
    public static Projections open(Database db, String tenant, Clock clock) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(clock, "clock");
        return new Projections(db, tenant, clock);
    }

    public Database database() {
        return db;
    }

    public String tenantId() {
        return tenant;
    }

    public EventLog eventLog() {
        return log;
    }

    public ReadModelStore store() {
        return store;
    }

    public EventLogFeed feed() {
        return feed;
    }

    public Projector projector() {
        return projector;
    }

    public ProjectionQueries queries() {
        return queries;
    }

    /** Brings the three projections up to the end of the log in batches of 1000; checkpoints if anything moved. */
    public List<CatchUpResult> catchUp() {
        return catchUp(Projector.DEFAULT_BATCH_SIZE);
    }

    public List<CatchUpResult> catchUp(int batchSize) {
        List<CatchUpResult> results = projector.catchUpAll(batchSize);
        if (results.stream().anyMatch(r -> r.processedEvents() > 0) || store.digestCheckpoint(ProjectionName.FULL_PROJECTION).isEmpty()) {
            checkpoint();
        }
        return results;
    }

    /** Clears the three projections and projects the whole log again (batches of {@value #REBUILD_BATCH_SIZE}); then checkpoints. */
    public List<CatchUpResult> rebuild() {
        return rebuild(REBUILD_BATCH_SIZE);
    }

    public List<CatchUpResult> rebuild(int batchSize) {
        List<CatchUpResult> results = projector.rebuildAll(batchSize);
        checkpoint();
        return results;
    }

    /** The digests of the stored projection tables (streamed). */
    public ProjectionDigests digests() {
        return Digests.compute(store);
    }

    /**
     * Computes the digests and stores the four checkpoints in one transaction that holds every projection lock:
     * components with their projection's cursor, full_projection with the lowest of the three.
     */
    public ProjectionDigests checkpoint() {
        ProjectionDigests[] out = new ProjectionDigests[1];
        store.write(EnumSet.allOf(ProjectionName.class), w -> {
            long cg = w.cursor(ProjectionName.CONTEXT_GRAPH);
            long ts = w.cursor(ProjectionName.TRACE_SUMMARY);
            long pi = w.cursor(ProjectionName.PRECEDENT_INDEX);
            // the locks are held: the committed rows read here cannot change until this transaction ends
            ProjectionDigests d = Digests.compute(store);
            String now = Timestamps.toRfc3339(clock.instant());
            w.putDigestCheckpoint(new DigestCheckpoint(ProjectionName.CONTEXT_GRAPH.wireName(), d.contextGraph(), cg, now));
            w.putDigestCheckpoint(new DigestCheckpoint(ProjectionName.TRACE_SUMMARY.wireName(), d.traceSummary(), ts, now));
            w.putDigestCheckpoint(new DigestCheckpoint(ProjectionName.PRECEDENT_INDEX.wireName(), d.precedentIndex(), pi, now));
            w.putDigestCheckpoint(new DigestCheckpoint(ProjectionName.FULL_PROJECTION, d.fullProjection(),
                    Math.min(cg, Math.min(ts, pi)), now));
            out[0] = d;
        });
        return out[0];
    }

    /** The lowest of the three projection cursors (the single cursor of a reference-layout file). */
    public long projectedLastSeq() {
        long min = Long.MAX_VALUE;
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            min = Math.min(min, store.cursor(p));
        }
        return min;
    }

    /** The reference's health view (projections spec 5.2) of the stored tables; digests only when asked. */
    public ProjectionHealth health(boolean includeDigests) {
        long last = log.lastLogSeq(tenant);
        return new ProjectionHealth(log.eventCount(tenant), log.traceCount(tenant), last, projectedLastSeq(),
                includeDigests ? digests() : null);
    }

    /** The service's health view (projections spec 5.3): cursors, checkpoint rows, open failures and runs. */
    public ServiceHealth serviceHealth() {
        long last = log.lastLogSeq(tenant);
        List<ServiceHealth.Status> statuses = new java.util.ArrayList<>(3);
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            var checkpoint = store.digestCheckpoint(p.wireName());
            statuses.add(new ServiceHealth.Status(p, store.cursor(p), last,
                    checkpoint.map(DigestCheckpoint::updatedAt).orElse(null),
                    checkpoint.map(DigestCheckpoint::digest).orElse(null), store.openFailureCount(p)));
        }
        String full = store.digestCheckpoint(ProjectionName.FULL_PROJECTION).map(DigestCheckpoint::digest).orElse(null);
        return new ServiceHealth(tenant, last, full, statuses, store.openRuns());
    }

    /** Offline integrity check of the log and the stored projections (see {@link Verification}). */
    public Verification.Report verify() {
        return Verification.run(this);
    }
}
