package org.decisiongraph.store.readmodel;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The read model of one tenant: what the projector writes and the queries read. All string orderings are by
 * Unicode code point. Implementations are thread-safe; writes are serialised per projection.
 *
 * <p>Index hints for SQL implementations (every query below is a bounded index scan): nodes by
 * {@code node_id}; edges by {@code edge_id}, {@code (from_node_id, edge_id)}, {@code (to_node_id, edge_id)},
 * {@code (from_node_id, log_seq, edge_id)} and {@code (to_node_id, log_seq, edge_id)}; summaries by
 * {@code trace_id} and {@code (last_log_seq DESC, trace_id)} over finished rows; precedents by
 * {@code source_event_id}, {@code trace_id} and {@code (policy_id, policy_version)}.
 */
public interface ReadModelStore {

    String tenantId();

    /**
     * Runs {@code work} in one all-or-nothing transaction holding the write lock of every projection in
     * {@code scope}: if {@code work} throws, nothing it wrote is kept and the exception propagates. The writer
     * is valid only inside {@code work}.
     */
    void write(Set<ProjectionName> scope, Consumer<ReadModelWriter> work);

    /**
     * Runs {@code work}, a full rebuild of {@code scope} whose rows were just cleared (a series of {@link #write}
     * batches from log_seq 0). An implementation may switch to a bulk-load mode for its duration (for instance
     * build secondary indexes once at the end); when it returns or throws, the store is in its normal state and
     * every row and query is as if {@code work} had run alone. The default just runs {@code work}.
     */
    default <T> T bulkLoad(Set<ProjectionName> scope, Supplier<T> work) {
        return work.get();
    }

    /** The projection's committed cursor: the last log_seq it processed, 0 if none. */
    long cursor(ProjectionName projection);

    /** The stored digest checkpoint with this name ({@code context_graph} ... {@code full_projection}). */
    Optional<DigestCheckpoint> digestCheckpoint(String name);

    // --- ordered scans (digests, snapshots); rows are streamed, never collected -----------------------

    /** Every node in {@code node_id} order. */
    void forEachNode(Consumer<? super NodeRow> action);

    /** Every edge in {@code edge_id} order. */
    void forEachEdge(Consumer<? super EdgeRow> action);

    /** Every trace summary in {@code trace_id} order. */
    void forEachTraceSummary(Consumer<? super TraceSummaryRow> action);

    /** Every precedent row in {@code source_event_id} order. */
    void forEachPrecedent(Consumer<? super PrecedentRow> action);

    /** Every policy-evaluation row in {@code (log_seq, index_id)} order. */
    void forEachPolicyEval(Consumer<? super PolicyEvalRow> action);

    // --- queries ---------------------------------------------------------------------------------------

    Optional<TraceSummaryRow> traceSummary(String traceId);

    /** The stored nodes among {@code nodeIds} (unknown ids are skipped), in {@code node_id} order. */
    List<NodeRow> nodes(Collection<String> nodeIds);

    Optional<EdgeRow> edge(String edgeId);

    /**
     * The first {@code limit} edges, in {@code edge_id} order, whose {@code from_node_id} or {@code to_node_id}
     * is in {@code nodeIds} and, when {@code edgeTypes} is not null, whose {@code edge_type} is in it. Each
     * edge appears once.
     */
    List<EdgeRow> edgesTouching(Collection<String> nodeIds, Collection<String> edgeTypes, int limit);

    /**
     * The first {@code limit} edges of {@code nodeId} in {@code direction}, in {@code (log_seq, edge_id)}
     * order, strictly after {@code after} (null: from the start). Each edge appears once.
     */
    List<EdgeRow> edgesOf(String nodeId, EdgeDirection direction, EdgePosition after, int limit);

    /**
     * Finished traces (outcome not null) passing the summary filters, in {@link PrecedentMatch#RESULT_ORDER},
     * at most {@code search.limit()}. Without a policy: every such trace, with null policy fields. With a
     * policy: only traces with at least one precedent row matching the policy filters, carrying the policy of
     * their best matching row ({@link PrecedentMatch#BEST_ROW_FIRST}).
     */
    List<PrecedentMatch> findPrecedents(PrecedentSearch search);
}
