package org.decisiongraph.projection.digest;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.PolicyEvalRow;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The JSON object of each row as digests and snapshots see it (projections spec 4.1): integers as numbers,
 * SQL NULL as JSON null, {@code attrs} = the parsed {@code metadata_json} (always {@code {}}). Node and edge
 * objects are also the query result shapes.
 */
public final class RowJson {
    private RowJson() {
    }

    public static JsonObject node(NodeRow n) {
        return JsonObject.builder()
                .put("attrs", JsonObject.empty())
                .put("created_at", n.createdAt())
                .put("log_seq", n.logSeq())
                .put("node_id", n.nodeId())
                .put("node_type", n.nodeType())
                .put("trace_id", n.traceId())
                .build();
    }

    public static JsonObject edge(EdgeRow e) {
        return JsonObject.builder()
                .put("attrs", JsonObject.empty())
                .put("created_at", e.createdAt())
                .put("edge_id", e.edgeId())
                .put("edge_type", e.edgeType())
                .put("from_node_id", e.fromNodeId())
                .put("log_seq", e.logSeq())
                .put("to_node_id", e.toNodeId())
                .put("trace_id", e.traceId())
                .build();
    }

    /** The digest form of a summary: without primary_entity_system (decision P5). */
    public static JsonObject traceSummary(TraceSummaryRow s) {
        return JsonObject.builder()
                .put("event_count", s.eventCount())
                .put("finished_at", s.finishedAt())
                .put("last_log_seq", s.lastLogSeq())
                .put("outcome", s.outcome())
                .put("primary_entity_id", s.primaryEntityId())
                .put("primary_entity_type", s.primaryEntityType())
                .put("started_at", s.startedAt())
                .put("title", s.title())
                .put("trace_id", s.traceId())
                .put("workflow", s.workflow())
                .build();
    }

    public static JsonObject precedent(PrecedentRow p) {
        return JsonObject.builder()
                .put("exception_id", p.exceptionId())
                .put("log_seq", p.logSeq())
                .put("policy_id", p.policyId())
                .put("policy_version", p.policyVersion())
                .put("primary_entity_id", p.primaryEntityId())
                .put("primary_entity_system", p.primaryEntitySystem())
                .put("primary_entity_type", p.primaryEntityType())
                .put("source_event_id", p.sourceEventId())
                .put("trace_id", p.traceId())
                .build();
    }

    /** Not digested; the snapshot form. */
    public static JsonObject policyEval(PolicyEvalRow r) {
        return JsonObject.builder()
                .put("created_at", r.createdAt())
                .put("index_id", r.indexId())
                .put("log_seq", r.logSeq())
                .put("policy_id", r.policyId())
                .put("policy_version", r.policyVersion())
                .put("trace_id", r.traceId())
                .build();
    }
}
