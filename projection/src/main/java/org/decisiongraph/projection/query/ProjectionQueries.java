package org.decisiongraph.projection.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.projection.graph.GraphIds;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.EdgePosition;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.PrecedentMatch;
import org.decisiongraph.store.readmodel.PrecedentSearch;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The projection-backed reads of one tenant. Each first checks staleness (projections spec 5.1): a projection
 * it reads whose cursor is below the log's last log_seq fails the read with PROJECTION_OUT_OF_DATE
 * {@code Projections at log_seq=<cursor>, events at <last>}; then it validates its arguments.
 */
public final class ProjectionQueries {
    /** Upper bound of every query limit (decisions P11, D10). */
    public static final int MAX_QUERY_LIMIT = 10_000;
    public static final int DEFAULT_EDGE_PAGE_LIMIT = 100;

    private final ReadModelStore store;
    private final LongSupplier eventLogLastSeq;

    /**
     * @param store           the tenant's read model
     * @param eventLogLastSeq the tenant's {@code MAX(log_seq)} (0 for an empty log)
     */
    public ProjectionQueries(ReadModelStore store, LongSupplier eventLogLastSeq) {
        this.store = Objects.requireNonNull(store, "store");
        this.eventLogLastSeq = Objects.requireNonNull(eventLogLastSeq, "eventLogLastSeq");
    }

    /** PROJECTION_OUT_OF_DATE (with the lowest of their cursors) unless every projection has caught up. */
    public void requireFresh(ProjectionName... projections) {
        long last = eventLogLastSeq.getAsLong();
        long cursor = Long.MAX_VALUE;
        for (ProjectionName p : projections) {
            cursor = Math.min(cursor, store.cursor(p));
        }
        if (cursor < last) {
            throw DgErrors.projectionsOutOfDate(cursor, last);
        }
    }

    /** The trace's summary row; NOT_FOUND {@code Trace not found: <id>} without one. */
    public TraceSummaryRow traceSummary(String traceId) {
        requireFresh(ProjectionName.TRACE_SUMMARY);
        return store.traceSummary(traceId).orElseThrow(() -> DgErrors.traceNotFound(traceId));
    }

    public ContextSubgraph contextSubgraph(NodeRef center) {
        return contextSubgraph(center, GraphFilter.DEFAULTS);
    }

    /**
     * Breadth-first walk from {@code center} (projections spec 6.4): per level, the edges touching the frontier
     * in edge_id order; an edge beyond max_edges, or a node beyond max_nodes (the center counts), sets
     * {@code truncated} and stops. An edge is kept even when an endpoint is filtered out or cut off. Ids without
     * a stored node (e.g. an unknown center) are dropped from the result.
     */
    public ContextSubgraph contextSubgraph(NodeRef center, GraphFilter filter) {
        requireFresh(ProjectionName.CONTEXT_GRAPH);
        filter.validate();
        Set<String> nodeTypes = filter.nodeTypes() == null ? null : new HashSet<>(filter.nodeTypes());
        String centerKey = center.key();
        LinkedHashSet<String> visitedNodes = new LinkedHashSet<>();
        visitedNodes.add(centerKey);
        LinkedHashMap<String, EdgeRow> visitedEdges = new LinkedHashMap<>();
        Set<String> frontier = Set.of(centerKey);
        boolean truncated = false;
        // at most max_edges + 1 rows of a level are ever looked at: each is either already visited (those are
        // fewer than max_edges), added, or the one that truncates
        int fetch = (int) Math.min((long) filter.maxEdges() + 1, Integer.MAX_VALUE);
        for (int depth = 0; !frontier.isEmpty() && !truncated && depth < filter.maxDepth(); depth++) {
            Set<String> next = new LinkedHashSet<>();
            for (EdgeRow edge : store.edgesTouching(frontier, filter.edgeTypes(), fetch)) {
                if (visitedEdges.containsKey(edge.edgeId())) {
                    continue;
                }
                if (visitedEdges.size() >= filter.maxEdges()) {
                    truncated = true;
                    break;
                }
                visitedEdges.put(edge.edgeId(), edge);
                for (String endpoint : List.of(edge.fromNodeId(), edge.toNodeId())) {
                    if (visitedNodes.contains(endpoint)) {
                        continue;
                    }
                    if (nodeTypes != null && !nodeTypes.contains(GraphIds.filterType(endpoint))) {
                        continue;
                    }
                    if (visitedNodes.size() >= filter.maxNodes()) {
                        truncated = true;
                        break;
                    }
                    visitedNodes.add(endpoint);
                    next.add(endpoint);
                }
                if (truncated) {
                    break;
                }
            }
            frontier = next;
        }
        List<EdgeRow> edges = new ArrayList<>(visitedEdges.values());
        edges.sort(Comparator.comparing(EdgeRow::edgeId, CodePointOrder.INSTANCE));
        return new ContextSubgraph(center, store.nodes(visitedNodes), edges, truncated);
    }

    /**
     * One page of the node's edges in {@code (log_seq, edge_id)} order (projections spec 6.5): {@code limit}
     * rows, and a next cursor only when more rows exist.
     */
    public EdgePage nodeEdges(NodeRef node, EdgeDirection direction, EdgeCursor cursor, int limit) {
        requireFresh(ProjectionName.CONTEXT_GRAPH);
        if (limit <= 0) {
            throw DgErrors.limitNotPositive(limit);
        }
        if (limit > MAX_QUERY_LIMIT) {
            throw DgErrors.limitOutOfRange(limit);
        }
        if (cursor != null && cursor.direction() != direction) {
            throw DgErrors.cursorDirectionMismatch();
        }
        EdgePosition after = null;
        if (cursor != null) {
            long logSeq = cursor.logSeq() != null ? cursor.logSeq()
                    : store.edge(cursor.edgeKey()).map(EdgeRow::logSeq)
                            .orElseThrow(() -> DgErrors.cursorEdgeKeyNotFound(cursor.edgeKey()));
            after = new EdgePosition(logSeq, cursor.edgeKey());
        }
        List<EdgeRow> rows = store.edgesOf(node.key(), direction, after, limit + 1);
        if (rows.size() <= limit) {
            return new EdgePage(rows, null);
        }
        List<EdgeRow> page = rows.subList(0, limit);
        EdgeRow last = page.getLast();
        return new EdgePage(page, new EdgeCursor(last.edgeId(), direction, last.logSeq()));
    }

    /**
     * Finished traces, most recently finished first (projections spec 6.6). Reads the precedent index and the
     * trace summaries, so both must be fresh (decision P10).
     */
    public List<PrecedentHit> findPrecedents(PrecedentQuery query) {
        requireFresh(ProjectionName.PRECEDENT_INDEX, ProjectionName.TRACE_SUMMARY);
        String policyId = truthy(query.policyId());
        PrecedentSearch search = new PrecedentSearch(
                policyId,
                policyId == null ? null : truthy(query.policyVersion()),
                truthy(query.entityType()),
                truthy(query.entityId()),
                truthy(query.outcome()),
                query.limit());
        List<PrecedentHit> hits = new ArrayList<>();
        for (PrecedentMatch m : store.findPrecedents(search)) {
            TraceSummaryRow s = m.summary();
            hits.add(new PrecedentHit(s.traceId(), s.workflow(), s.title(), s.outcome(), m.policyId(),
                    m.policyVersion(), s.finishedAt()));
        }
        return hits;
    }

    /** The value when it is a non-empty string, else null (the reference applies only truthy filters). */
    private static String truthy(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
