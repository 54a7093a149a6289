package org.decisiongraph.projection.query;

import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.digest.RowJson;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;

/** A bounded subgraph: nodes by node_id, edges by edge_id; {@code truncated} when a bound stopped the walk. */
public record ContextSubgraph(NodeRef center, List<NodeRow> nodes, List<EdgeRow> edges, boolean truncated) {
    public ContextSubgraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** {@code {center:{node_type,node_id}, nodes:[...], edges:[...], truncated}}. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("center", center.toJson())
                .put("nodes", Json.array(nodes.stream().map(RowJson::node).toList()))
                .put("edges", Json.array(edges.stream().map(RowJson::edge).toList()))
                .put("truncated", truncated)
                .build();
    }
}
