package org.decisiongraph.projection.graph;

import java.util.HashSet;
import java.util.Set;

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
        apply(event, writer, new HashSet<>());
    }

    /**
     * Applies the event; {@code present} holds node ids known to exist in this transaction (inserted or found
     * earlier in it) so their redundant inserts are skipped. Nothing deletes nodes inside a projection batch.
     */
    public static void apply(StoredEvent event, ReadModelWriter writer, Set<String> present) {
        GraphEmission emission = ContextGraphEmitter.emit(event);
        for (NodeRow node : emission.nodes()) {
            if (present.add(node.nodeId())) {
                writer.insertNodeIfAbsent(node);
            }
        }
        for (EdgeRow edge : emission.edges()) {
            if (present.add(edge.fromNodeId())) {
                writer.insertNodeIfAbsent(placeholder(edge.fromNodeId(), edge));
            }
            if (present.add(edge.toNodeId())) {
                writer.insertNodeIfAbsent(placeholder(edge.toNodeId(), edge));
            }
            writer.insertEdgeIfAbsent(edge);
        }
    }

    /** The node created for an edge endpoint that does not exist yet. */
    static NodeRow placeholder(String nodeId, EdgeRow edge) {
        return new NodeRow(nodeId, GraphIds.placeholderType(nodeId), GraphIds.placeholderTraceId(nodeId, edge.traceId()),
                edge.logSeq(), edge.createdAt());
    }
}
