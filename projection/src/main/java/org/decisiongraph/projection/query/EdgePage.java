package org.decisiongraph.projection.query;

import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.digest.RowJson;
import org.decisiongraph.store.readmodel.EdgeRow;

/** One page of a node's edges; {@code nextCursor} is null on the last page. */
public record EdgePage(List<EdgeRow> edges, EdgeCursor nextCursor) {
    public EdgePage {
        edges = List.copyOf(edges);
    }

    /** {@code {edges:[...], next_cursor: null | {edge_key, direction, log_seq}}}. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("edges", Json.array(edges.stream().map(RowJson::edge).toList()))
                .put("next_cursor", nextCursor == null ? JsonNull.INSTANCE : nextCursor.toJson())
                .build();
    }
}
