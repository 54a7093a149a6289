package org.decisiongraph.projection.query;

import java.util.List;

import org.decisiongraph.core.error.DgErrors;

/**
 * Bounds and filters of a context subgraph (projections spec 6.4, Python defaults and messages, decisions P6,
 * P7, P12). {@code edgeTypes}/{@code nodeTypes}: null means no filter; an empty list is invalid. Checked by
 * {@link #validate()}, which the query runs after its staleness check.
 */
public record GraphFilter(List<String> edgeTypes, List<String> nodeTypes, int maxDepth, int maxNodes, int maxEdges) {
    public static final int MAX_GRAPH_DEPTH = 10;
    public static final int DEFAULT_MAX_DEPTH = 1;
    public static final int DEFAULT_MAX_NODES = 100;
    public static final int DEFAULT_MAX_EDGES = 500;

    /** max_depth 1, max_nodes 100, max_edges 500, no type filters. */
    public static final GraphFilter DEFAULTS =
            new GraphFilter(null, null, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES);

    public GraphFilter {
        edgeTypes = edgeTypes == null ? null : List.copyOf(edgeTypes);
        nodeTypes = nodeTypes == null ? null : List.copyOf(nodeTypes);
    }

    public GraphFilter withMaxDepth(int depth) {
        return new GraphFilter(edgeTypes, nodeTypes, depth, maxNodes, maxEdges);
    }

    public GraphFilter withLimits(int nodes, int edges) {
        return new GraphFilter(edgeTypes, nodeTypes, maxDepth, nodes, edges);
    }

    public GraphFilter withEdgeTypes(List<String> types) {
        return new GraphFilter(types, nodeTypes, maxDepth, maxNodes, maxEdges);
    }

    public GraphFilter withNodeTypes(List<String> types) {
        return new GraphFilter(edgeTypes, types, maxDepth, maxNodes, maxEdges);
    }

    /** INVALID_ARGUMENT for the first violated rule, in the reference's order. */
    public void validate() {
        if (maxDepth < 0) {
            throw DgErrors.maxDepthNegative();
        }
        if (maxDepth > MAX_GRAPH_DEPTH) {
            throw DgErrors.maxDepthTooLarge();
        }
        if (maxNodes <= 0) {
            throw DgErrors.maxNodesNotPositive();
        }
        if (maxEdges <= 0) {
            throw DgErrors.maxEdgesNotPositive();
        }
        if (edgeTypes != null && edgeTypes.isEmpty()) {
            throw DgErrors.edgeTypesEmpty();
        }
        if (nodeTypes != null && nodeTypes.isEmpty()) {
            throw DgErrors.nodeTypesEmpty();
        }
    }
}
