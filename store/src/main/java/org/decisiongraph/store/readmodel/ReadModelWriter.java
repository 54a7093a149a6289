package org.decisiongraph.store.readmodel;

import java.util.List;

/**
 * The write operations of one {@link ReadModelStore#write} transaction. Every operation is idempotent where
 * the projection rules say so (insert-if-absent: the first writer wins).
 */
public interface ReadModelWriter {

    /** The projection's cursor as seen inside this transaction. */
    long cursor(ProjectionName projection);

    void setCursor(ProjectionName projection, long logSeq);

    /**
     * Deletes the projection's rows (context_graph: edges and nodes; trace_summary: summaries;
     * precedent_index: precedent and policy-evaluation rows) and sets its cursor to 0.
     */
    void clear(ProjectionName projection);

    /** {@code INSERT ... ON CONFLICT (node_id) DO NOTHING}. */
    void insertNodeIfAbsent(NodeRow node);

    /** {@code INSERT ... ON CONFLICT (edge_id) DO NOTHING}; the endpoints are not checked. */
    void insertEdgeIfAbsent(EdgeRow edge);

    /**
     * TraceStarted: inserts {@code row} as given; if a row with its trace_id exists, only sets
     * {@code event_count = event_count + 1} and {@code last_log_seq = row.lastLogSeq()}.
     */
    void startTraceSummary(TraceSummaryRow row);

    /**
     * TraceFinished: on an existing row sets outcome, finished_at, {@code event_count + 1} and last_log_seq;
     * without a row does nothing.
     */
    void finishTraceSummary(String traceId, String outcome, String finishedAt, long logSeq);

    /** {@code INSERT ... ON CONFLICT (index_id) DO NOTHING}. */
    void insertPolicyEvalIfAbsent(PolicyEvalRow row);

    /** Deletes the trace's precedent rows, then inserts {@code rows} (insert-if-absent on source_event_id). */
    void replacePrecedents(String traceId, List<PrecedentRow> rows);

    /** Upserts a digest checkpoint by name. */
    void putDigestCheckpoint(DigestCheckpoint checkpoint);
}
