package org.decisiongraph.projection;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.DefaultKeys;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Payloads;
import org.decisiongraph.core.event.Refs.ApprovalSubject;
import org.decisiongraph.core.event.Refs.Change;
import org.decisiongraph.core.event.Refs.EntityRef;
import org.decisiongraph.core.event.Refs.EvidenceRef;
import org.decisiongraph.core.event.Refs.Fact;
import org.decisiongraph.core.event.Refs.PolicyRef;
import org.decisiongraph.core.event.Refs.SourceObjectRef;
import org.decisiongraph.core.event.Refs.Violation;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.query.ContextSubgraph;
import org.decisiongraph.projection.query.GraphFilter;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;

/**
 * The library facade of the reference (core spec 7.2, the v1 contract), one tenant of one database. Appends
 * take the next {@code trace_seq} of the trace, a fresh event id, {@code occurred_at} = the argument or now,
 * and the reference's default idempotency keys; after each append the projections are brought up to date
 * inline (batches of 1000). It accepts the reference's 10 event types. Java has no keyword arguments: the
 * optional tail of the typed methods is the {@link Tail} record, whose {@link Tail#DEFAULTS} are the
 * reference's defaults.
 */
public final class DecisionGraph implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    /**
     * The optional arguments every typed event method shares, in the reference's order: idempotency key (null:
     * the default key), correlation id, causation event id, schema version, tags, occurred_at (null or empty: now).
     */
    public record Tail(String idempotencyKey, String correlationId, String causationEventId, long schemaVersion,
                       List<String> tags, String occurredAt) {
        public static final Tail DEFAULTS = new Tail(null, null, null, 1, List.of(), null);

        public Tail {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        public Tail withIdempotencyKey(String key) {
            return new Tail(key, correlationId, causationEventId, schemaVersion, tags, occurredAt);
        }

        public Tail withOccurredAt(String at) {
            return new Tail(idempotencyKey, correlationId, causationEventId, schemaVersion, tags, at);
        }
    }

    private final Database db;
    private final boolean ownsDatabase;
    private final EventLog log;
    private final Projections projections;
    private final Clock clock;
    private final IdGenerator ids;

    private DecisionGraph(Database db, boolean ownsDatabase, Clock clock, IdGenerator ids) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
        this.ids = ids;
        this.log = EventLog.open(db, EventTypeSet.REFERENCE, clock);
        this.projections = Projections.open(db, EventLog.DEFAULT_TENANT, clock);
    }

    /** Opens (creating and migrating) a SQLite file; closing the facade closes it. */
    public static DecisionGraph open(Path dbPath) {
        return new DecisionGraph(Database.sqlite(dbPath), true, Clock.systemUTC(), IdGenerator.RANDOM_UUID);
    }

    /** A facade over an open database (tenant {@code default}); the caller keeps ownership of {@code db}. */
    public static DecisionGraph over(Database db, Clock clock, IdGenerator ids) {
        return new DecisionGraph(Objects.requireNonNull(db, "db"), false, Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ids, "ids"));
    }

    // --- appends ----------------------------------------------------------------------------------

    /** The generic append: the payload is passed through unchanged. */
    public StoredEvent appendEvent(String traceId, String eventType, Json payload, Source source, Actor actor, Tail tail) {
        long seq = log.nextTraceSeq(EventLog.DEFAULT_TENANT, traceId);
        String key = tail.idempotencyKey() != null ? tail.idempotencyKey() : DefaultKeys.append(eventType, traceId, seq);
        String occurred = tail.occurredAt() == null || tail.occurredAt().isEmpty()
                ? Timestamps.toRfc3339(clock.instant()) : tail.occurredAt();
        EventEnvelope e = new EventEnvelope(ids.newId(), traceId, seq, eventType, occurred, source, actor, key, payload,
                tail.correlationId(), tail.causationEventId(), tail.schemaVersion(), tail.tags());
        StoredEvent stored = log.append(EventLog.DEFAULT_TENANT, e).eventOrNull();
        projections.projector().catchUpAll(Projector.DEFAULT_BATCH_SIZE);
        return stored;
    }

    /** Starts a trace (a new id unless {@code traceId} is given) and returns its id; retry-safe ({@code start:<id>}). */
    public String startTrace(String workflow, String title, EntityRef primaryEntity, Source source, Actor actor,
                             Map<String, String> context, String traceId) {
        String id = traceId != null ? traceId : ids.newId();
        appendEvent(id, "TraceStarted", Payloads.traceStarted(workflow, title, primaryEntity, context), source, actor,
                Tail.DEFAULTS.withIdempotencyKey(DefaultKeys.startTrace(id)));
        return id;
    }

    /** Finishes a trace; retry-safe ({@code finish:<id>}). */
    public StoredEvent finishTrace(String traceId, String outcome, Source source, Actor actor, String summary) {
        return appendEvent(traceId, "TraceFinished", Payloads.traceFinished(outcome, summary), source, actor,
                Tail.DEFAULTS.withIdempotencyKey(DefaultKeys.finishTrace(traceId)));
    }

    public StoredEvent observeInput(String traceId, String inputId, SourceObjectRef inputSource, List<Fact> facts,
                                    Source source, Actor actor, Tail tail) {
        return appendEvent(traceId, "InputObserved", Payloads.inputObserved(inputId, inputSource, facts), source, actor, tail);
    }

    public StoredEvent observeEntity(String traceId, EntityRef entity, String role, List<Fact> facts, Source source,
                                     Actor actor, Tail tail) {
        return appendEvent(traceId, "EntityObserved", Payloads.entityObserved(entity, role, facts), source, actor, tail);
    }

    public StoredEvent evaluatePolicy(String traceId, PolicyRef policy, List<String> inputs, String decision, Source source,
                                      Actor actor, List<Violation> violations, JsonObject explanation, Tail tail) {
        return appendEvent(traceId, "PolicyEvaluated", Payloads.policyEvaluated(policy, inputs, decision, violations, explanation),
                source, actor, tail);
    }

    public StoredEvent requestException(String traceId, String exceptionId, PolicyRef policy, String reason, Source source,
                                        Actor actor, List<EvidenceRef> evidence, Tail tail) {
        return appendEvent(traceId, "ExceptionRequested", Payloads.exceptionRequested(exceptionId, policy, reason, evidence),
                source, actor, tail);
    }

    public StoredEvent recordApproval(String traceId, String approvalId, ApprovalSubject subject, Actor approver,
                                      String decision, Source source, Actor actor, String reason, List<EvidenceRef> evidence,
                                      Tail tail) {
        return appendEvent(traceId, "ApprovalRecorded",
                Payloads.approvalRecorded(approvalId, subject, approver, decision, reason, evidence), source, actor, tail);
    }

    public StoredEvent citePrecedent(String traceId, String citedTraceId, String reason, Source source, Actor actor,
                                     String similarityScore, Tail tail) {
        return appendEvent(traceId, "PrecedentCited", Payloads.precedentCited(citedTraceId, reason, similarityScore),
                source, actor, tail);
    }

    public StoredEvent proposeAction(String traceId, String actionId, String actionType, EntityRef targetEntity,
                                     String targetSystem, List<Change> changes, Source source, Actor actor, Tail tail) {
        return appendEvent(traceId, "ActionProposed",
                Payloads.actionProposed(actionId, actionType, targetEntity, targetSystem, changes), source, actor, tail);
    }

    public StoredEvent commitAction(String traceId, String actionId, String status, Source source, Actor actor,
                                    String externalReference, String error, Tail tail) {
        return appendEvent(traceId, "ActionCommitted", Payloads.actionCommitted(actionId, status, externalReference, error),
                source, actor, tail);
    }

    // --- reads ------------------------------------------------------------------------------------

    /** The trace's events by {@code trace_seq}; {@code DG_ERR_NOT_FOUND} when it has none (decision D11). */
    public List<StoredEvent> getTraceEvents(String traceId) {
        List<StoredEvent> events = log.traceEvents(EventLog.DEFAULT_TENANT, traceId);
        if (events.isEmpty()) {
            throw DgErrors.traceNotFound(traceId);
        }
        return events;
    }

    public ContextSubgraph getContextSubgraph(String nodeType, String nodeId, int maxDepth) {
        return projections.queries().contextSubgraph(new NodeRef(nodeType, nodeId), GraphFilter.DEFAULTS.withMaxDepth(maxDepth));
    }

    public List<PrecedentHit> findPrecedents(PrecedentQuery query) {
        return projections.queries().findPrecedents(query);
    }

    public ProjectionHealth getProjectionHealth(boolean includeDigests) {
        return projections.health(includeDigests);
    }

    public boolean isTraceFinished(String traceId) {
        return log.isTraceFinished(EventLog.DEFAULT_TENANT, traceId);
    }

    /** Projects the events after the cursor; returns how many were projected ({@code log_seq} is gap-free per tenant). */
    public long syncProjections(int batchSize) {
        if (batchSize <= 0) {
            throw DgErrors.batchSizeNotPositive();
        }
        long before = projections.projectedLastSeq();
        projections.catchUp(batchSize);
        long after = projections.projectedLastSeq();
        return Math.max(0, after - before);
    }

    /** Rebuilds every projection from the log. */
    public void replayProjections(int batchSize) {
        if (batchSize <= 0) {
            throw DgErrors.batchSizeNotPositive();
        }
        projections.rebuild(batchSize);
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }
}
