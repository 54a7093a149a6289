package org.decisiongraph.projection.graph;

/**
 * Node and edge identifiers (projections spec 2.1): {@code node_id = "{node_type}:{identifier}"},
 * {@code edge_id = "{edge_type}:{from_node_id}:{to_node_id}:{event_id}"}. The {@code :} separator is never
 * escaped.
 */
public final class GraphIds {
    public static final String TRACE = "trace";
    public static final String ENTITY = "entity";
    public static final String INPUT = "input";
    public static final String POLICY = "policy";
    public static final String EXCEPTION = "exception";
    public static final String ACTION = "action";
    public static final String ACTOR = "actor";

    public static final String TRACE_INVOLVES_ENTITY = "trace_involves_entity";
    public static final String TRACE_OBSERVED_INPUT = "trace_observed_input";
    public static final String TRACE_EVALUATED_POLICY = "trace_evaluated_policy";
    public static final String TRACE_REQUESTED_EXCEPTION = "trace_requested_exception";
    public static final String EXCEPTION_APPROVED_BY = "exception_approved_by";
    public static final String TRACE_CITED_PRECEDENT = "trace_cited_precedent";
    public static final String TRACE_PROPOSED_ACTION = "trace_proposed_action";
    public static final String TRACE_COMMITTED_ACTION = "trace_committed_action";
    public static final String ACTION_TARGETS_ENTITY = "action_targets_entity";

    private GraphIds() {
    }

    public static String nodeId(String nodeType, String identifier) {
        return nodeType + ":" + identifier;
    }

    public static String edgeId(String edgeType, String fromNodeId, String toNodeId, String eventId) {
        return edgeType + ":" + fromNodeId + ":" + toNodeId + ":" + eventId;
    }

    /** The node type of a placeholder: the text before the first {@code :}, or {@code "unknown"} without one. */
    public static String placeholderType(String nodeId) {
        int colon = nodeId.indexOf(':');
        return colon < 0 ? "unknown" : nodeId.substring(0, colon);
    }

    /**
     * The trace_id of a placeholder: for a {@code trace:} node the referenced trace (the text after the first
     * {@code :}), otherwise the trace of the edge that needed it.
     */
    public static String placeholderTraceId(String nodeId, String edgeTraceId) {
        int colon = nodeId.indexOf(':');
        if (colon >= 0 && nodeId.startsWith(TRACE + ":")) {
            return nodeId.substring(colon + 1);
        }
        return edgeTraceId;
    }

    /** The node type used by the subgraph's node_types filter: before the first {@code :}, {@code ""} without. */
    public static String filterType(String nodeId) {
        int colon = nodeId.indexOf(':');
        return colon < 0 ? "" : nodeId.substring(0, colon);
    }
}
