package org.decisiongraph.projection.graph;

import static org.decisiongraph.projection.graph.GraphIds.*;
import static org.decisiongraph.projection.payload.PayloadFields.getOr;
import static org.decisiongraph.projection.payload.PayloadFields.object;
import static org.decisiongraph.projection.payload.PayloadFields.str;
import static org.decisiongraph.projection.payload.PayloadFields.truthy;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.payload.PayloadFields;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;

/**
 * The nodes and edges each event emits (projections spec 2.2, Python semantics, decision P3). Every row gets
 * the event's trace_id, log_seq and occurred_at. Types without graph rules emit nothing.
 */
public final class ContextGraphEmitter {
    private ContextGraphEmitter() {
    }

    public static GraphEmission emit(StoredEvent event) {
        EventType type = EventType.fromWireName(event.eventType());
        if (type == null) {
            return GraphEmission.NONE;
        }
        Emission out = new Emission(event);
        JsonObject p = PayloadFields.asObject(event.payload());
        String trace = nodeId(TRACE, event.traceId());
        switch (type) {
            case TRACE_STARTED -> {
                out.node(trace, TRACE);
                out.node(nodeId(ACTOR, event.actor().actorType() + ":" + event.actor().actorId()), ACTOR);
                if (p.has("primary_entity")) {
                    String entity = entityNode(object(p, "primary_entity"));
                    out.node(entity, ENTITY);
                    out.edge(TRACE_INVOLVES_ENTITY, trace, entity);
                }
            }
            case INPUT_OBSERVED -> {
                String input = nodeId(INPUT, getOr(p, "input_id", event.eventId()));
                out.node(input, INPUT);
                out.edge(TRACE_OBSERVED_INPUT, trace, input);
            }
            case ENTITY_OBSERVED -> {
                String entity = entityNode(object(p, "entity"));
                out.node(entity, ENTITY);
                out.edge(TRACE_INVOLVES_ENTITY, trace, entity);
            }
            case POLICY_EVALUATED -> {
                String policy = nodeId(POLICY, policyIdentifier(object(p, "policy"), event.eventId()));
                out.node(policy, POLICY);
                out.edge(TRACE_EVALUATED_POLICY, trace, policy);
            }
            case EXCEPTION_REQUESTED -> {
                String exception = nodeId(EXCEPTION, getOr(p, "exception_id", event.eventId()));
                out.node(exception, EXCEPTION);
                out.edge(TRACE_REQUESTED_EXCEPTION, trace, exception);
            }
            case APPROVAL_RECORDED -> {
                JsonObject subject = object(p, "subject");
                JsonObject approver = object(p, "approver");
                String actor = nodeId(ACTOR, getOr(approver, "actor_type", "person") + ":"
                        + getOr(approver, "actor_id", "unknown"));
                out.node(actor, ACTOR);
                Json subjectId = subject.get("subject_id");
                if (subject.get("subject_type") instanceof JsonString st && st.value().equals("exception")
                        && truthy(subjectId)) {
                    out.edge(EXCEPTION_APPROVED_BY, nodeId(EXCEPTION, str(subjectId)), actor);
                }
            }
            case PRECEDENT_CITED -> {
                Json cited = p.get("cited_trace_id");
                if (truthy(cited)) {
                    out.edge(TRACE_CITED_PRECEDENT, trace, nodeId(TRACE, str(cited)));
                }
            }
            case ACTION_PROPOSED -> {
                String action = nodeId(ACTION, getOr(p, "action_id", event.eventId()));
                out.node(action, ACTION);
                out.edge(TRACE_PROPOSED_ACTION, trace, action);
                if (p.get("target_entity") instanceof JsonObject target && !target.isEmpty()) {
                    out.edge(ACTION_TARGETS_ENTITY, action, entityNode(target));
                }
            }
            case ACTION_COMMITTED -> {
                Json actionId = p.get("action_id");
                if (truthy(actionId)) {
                    out.edge(TRACE_COMMITTED_ACTION, trace, nodeId(ACTION, str(actionId)));
                }
            }
            case TRACE_FINISHED, WORKFLOW_REVIEW_REQUESTED -> {
                // no graph rows
            }
        }
        return out.build();
    }

    /** {@code entity:{entity_type|unknown}:{entity_id|unknown}}; the system is not part of the id. */
    private static String entityNode(JsonObject entity) {
        return nodeId(ENTITY, getOr(entity, "entity_type", "unknown") + ":" + getOr(entity, "entity_id", "unknown"));
    }

    /**
     * {@code {pid}:{pver}} when the version is truthy, else {@code {pid}}; pid is {@code unknown:{event_id}} when
     * policy_id is absent or null; a null policy_version is falsy (Python).
     */
    private static String policyIdentifier(JsonObject policy, String eventId) {
        Json pid = policy.get("policy_id");
        String id = pid == null || pid instanceof JsonNull ? "unknown:" + eventId : str(pid);
        Json pver = policy.get("policy_version");
        return truthy(pver) ? id + ":" + str(pver) : id;
    }

    private static final class Emission {
        private final StoredEvent event;
        private final List<NodeRow> nodes = new ArrayList<>(3);
        private final List<EdgeRow> edges = new ArrayList<>(2);

        Emission(StoredEvent event) {
            this.event = event;
        }

        void node(String nodeId, String nodeType) {
            nodes.add(new NodeRow(nodeId, nodeType, event.traceId(), event.logSeq(), event.occurredAt()));
        }

        void edge(String edgeType, String from, String to) {
            edges.add(new EdgeRow(edgeId(edgeType, from, to, event.eventId()), edgeType, from, to, event.traceId(),
                    event.logSeq(), event.occurredAt()));
        }

        GraphEmission build() {
            return nodes.isEmpty() && edges.isEmpty() ? GraphEmission.NONE : new GraphEmission(nodes, edges);
        }
    }
}
