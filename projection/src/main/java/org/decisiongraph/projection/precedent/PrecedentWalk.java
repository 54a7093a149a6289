package org.decisiongraph.projection.precedent;

import static org.decisiongraph.projection.payload.PayloadFields.object;
import static org.decisiongraph.projection.payload.PayloadFields.str;
import static org.decisiongraph.projection.payload.PayloadFields.textOrNull;
import static org.decisiongraph.projection.payload.PayloadFields.truthy;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.payload.PayloadFields;
import org.decisiongraph.store.readmodel.PrecedentRow;

/**
 * The walk over one trace's events, in trace_seq order, that yields its precedent rows (projections spec 2.6):
 * the first TraceStarted with a primary_entity map sets the entity triple (while entity_type is still null);
 * every PolicyEvaluated and ExceptionRequested gives a row carrying the triple captured before it. The walk
 * can be fed incrementally; the first validation failure is kept and raised by {@link #rows()}.
 */
public final class PrecedentWalk {
    private String entityType;
    private String entitySystem;
    private String entityId;
    private final List<PrecedentRow> rows = new ArrayList<>(4);
    private DgException failure;

    /** The rows of a whole trace; throws SCHEMA_VIOLATION for the first invalid event. */
    public static List<PrecedentRow> of(List<StoredEvent> traceEvents) {
        PrecedentWalk walk = new PrecedentWalk();
        traceEvents.forEach(walk::accept);
        return walk.rows();
    }

    public void accept(StoredEvent event) {
        if (failure != null) {
            return;
        }
        EventType type = EventType.fromWireName(event.eventType());
        if (type == null) {
            return;
        }
        JsonObject p = PayloadFields.asObject(event.payload());
        switch (type) {
            case TRACE_STARTED -> {
                if (entityType == null && p.get("primary_entity") instanceof JsonObject pe) {
                    entityType = textOrNull(pe, "entity_type");
                    entitySystem = textOrNull(pe, "system");
                    entityId = textOrNull(pe, "entity_id");
                }
            }
            case POLICY_EVALUATED -> {
                JsonObject policy = object(p, "policy");
                Json pid = policy.get("policy_id");
                Json pver = policy.get("policy_version");
                if (!truthy(pid) || !truthy(pver)) {
                    failure = DgErrors.policyEvaluatedRequiresPolicy();
                    return;
                }
                rows.add(row(event, str(pid), str(pver), null));
            }
            case EXCEPTION_REQUESTED -> {
                JsonObject policy = object(p, "policy");
                Json pid = policy.get("policy_id");
                Json pver = policy.get("policy_version");
                Json exceptionId = p.get("exception_id");
                if (!truthy(pid) || !truthy(pver) || !truthy(exceptionId)) {
                    failure = DgErrors.exceptionRequestedRequiresPolicy();
                    return;
                }
                rows.add(row(event, str(pid), str(pver), str(exceptionId)));
            }
            default -> {
                // PrecedentCited and the rest do not feed the v2 index
            }
        }
    }

    private PrecedentRow row(StoredEvent event, String policyId, String policyVersion, String exceptionId) {
        return new PrecedentRow(event.eventId(), event.logSeq(), event.traceId(), policyId, policyVersion, exceptionId,
                entityType, entitySystem, entityId);
    }

    /** The rows so far, in trace_seq order; throws the first validation failure. */
    public List<PrecedentRow> rows() {
        if (failure != null) {
            throw failure;
        }
        return List.copyOf(rows);
    }
}
