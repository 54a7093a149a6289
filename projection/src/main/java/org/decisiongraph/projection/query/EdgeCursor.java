package org.decisiongraph.projection.query;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.readmodel.EdgeDirection;

/**
 * Where an edge page continues: after the edge {@code edgeKey} (exclusive) in {@code (log_seq, edge_id)} order.
 * {@code logSeq} is optional (looked up from the edge when null) and must be positive when given.
 */
public record EdgeCursor(String edgeKey, EdgeDirection direction, Long logSeq) {
    public EdgeCursor {
        if (edgeKey == null || edgeKey.isEmpty()) {
            throw DgErrors.cursorEdgeKeyEmpty();
        }
        if (direction == null) {
            throw DgErrors.invalidEdgeDirection();
        }
        if (logSeq != null && logSeq <= 0) {
            throw DgErrors.cursorLogSeqNotPositive();
        }
    }

    /** {@code {edge_key, direction, log_seq}}. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("edge_key", edgeKey)
                .put("direction", direction.wireName())
                .put("log_seq", logSeq == null ? Json.ofNullable(null) : Json.of(logSeq))
                .build();
    }
}
