package org.decisiongraph.store.readmodel;

import java.util.Objects;

/** A row of {@code dg_cg_edges}; {@code metadata_json} is always {@code {}} in v1 and is not carried here. */
public record EdgeRow(String edgeId, String edgeType, String fromNodeId, String toNodeId, String traceId, long logSeq,
                      String createdAt) {
    public EdgeRow {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(edgeType, "edgeType");
        Objects.requireNonNull(fromNodeId, "fromNodeId");
        Objects.requireNonNull(toNodeId, "toNodeId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** This edge's position in the {@code (log_seq, edge_id)} order of edge pages. */
    public EdgePosition position() {
        return new EdgePosition(logSeq, edgeId);
    }
}
