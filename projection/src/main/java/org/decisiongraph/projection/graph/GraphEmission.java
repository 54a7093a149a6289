package org.decisiongraph.projection.graph;

import java.util.List;

import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;

/** The nodes and edges one event emits, each list in emission order. */
public record GraphEmission(List<NodeRow> nodes, List<EdgeRow> edges) {
    public static final GraphEmission NONE = new GraphEmission(List.of(), List.of());

    public GraphEmission {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }
}
