package org.decisiongraph.projection.digest;

import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * Streams the digest form of each row: exactly the bytes of {@code JsonWriter.ascii(RowJson.x(row))} (keys in code
 * point order, compact, ASCII-escaped), written straight into a {@link DigestSink}.
 */
final class RowDigestForm {
    private RowDigestForm() {
    }

    static void node(DigestSink s, NodeRow n) {
        s.raw("{\"attrs\":{},\"created_at\":").string(n.createdAt())
                .raw(",\"log_seq\":").number(n.logSeq())
                .raw(",\"node_id\":").string(n.nodeId())
                .raw(",\"node_type\":").string(n.nodeType())
                .raw(",\"trace_id\":").string(n.traceId())
                .raw('}');
    }

    static void edge(DigestSink s, EdgeRow e) {
        s.raw("{\"attrs\":{},\"created_at\":").string(e.createdAt())
                .raw(",\"edge_id\":").string(e.edgeId())
                .raw(",\"edge_type\":").string(e.edgeType())
                .raw(",\"from_node_id\":").string(e.fromNodeId())
                .raw(",\"log_seq\":").number(e.logSeq())
                .raw(",\"to_node_id\":").string(e.toNodeId())
                .raw(",\"trace_id\":").string(e.traceId())
                .raw('}');
    }

    /** Without primary_entity_system (decision P5). */
    static void traceSummary(DigestSink s, TraceSummaryRow t) {
        s.raw("{\"event_count\":").number(t.eventCount())
                .raw(",\"finished_at\":").string(t.finishedAt())
                .raw(",\"last_log_seq\":").number(t.lastLogSeq())
                .raw(",\"outcome\":").string(t.outcome())
                .raw(",\"primary_entity_id\":").string(t.primaryEntityId())
                .raw(",\"primary_entity_type\":").string(t.primaryEntityType())
                .raw(",\"started_at\":").string(t.startedAt())
                .raw(",\"title\":").string(t.title())
                .raw(",\"trace_id\":").string(t.traceId())
                .raw(",\"workflow\":").string(t.workflow())
                .raw('}');
    }

    static void precedent(DigestSink s, PrecedentRow p) {
        s.raw("{\"exception_id\":").string(p.exceptionId())
                .raw(",\"log_seq\":").number(p.logSeq())
                .raw(",\"policy_id\":").string(p.policyId())
                .raw(",\"policy_version\":").string(p.policyVersion())
                .raw(",\"primary_entity_id\":").string(p.primaryEntityId())
                .raw(",\"primary_entity_system\":").string(p.primaryEntitySystem())
                .raw(",\"primary_entity_type\":").string(p.primaryEntityType())
                .raw(",\"source_event_id\":").string(p.sourceEventId())
                .raw(",\"trace_id\":").string(p.traceId())
                .raw('}');
    }
}
