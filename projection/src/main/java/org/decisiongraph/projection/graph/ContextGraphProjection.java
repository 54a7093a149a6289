package org.decisiongraph.projection.graph;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.ReadModelWriter;

/**
 * Applies an event's emission (projections spec 2.3): nodes first, then edges, each insert-if-absent so the
 * first writer wins; before each edge both endpoints are ensured, creating placeholder nodes where missing.
 */
public final class ContextGraphProjection {
    private ContextGraphProjection() {
    }

    public static void apply(StoredEvent event, ReadModelWriter writer) {
        GraphEmission emission = ContextGraphEmitter.emit(event);
        for (NodeRow node : emission.nodes()) {
            writer.insertNodeIfAbsent(node);
        }
        for (EdgeRow edge : emission.edges()) {
            writer.insertNodeIfAbsent(placeholder(edge.fromNodeId(), edge));
            writer.insertNodeIfAbsent(placeholder(edge.toNodeId(), edge));
            writer.insertEdgeIfAbsent(edge);
        }
    }

    /** The node created for an edge endpoint that does not exist yet. */
    static NodeRow placeholder(String nodeId, EdgeRow edge) {
        return new NodeRow(nodeId, GraphIds.placeholderType(nodeId), GraphIds.placeholderTraceId(nodeId, edge.traceId()),
                edge.logSeq(), edge.createdAt());
    }
}
