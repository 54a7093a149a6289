package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * A row of {@code dg_cg_nodes}. Its {@code metadata_json} is always {@code {}} in v1 and is not carried here.
 * {@code traceId}, {@code logSeq} and {@code createdAt} are those of the first event that created the node.
 */
public record NodeRow(String nodeId, String nodeType, String traceId, long logSeq, String createdAt) {
    public NodeRow {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeType, "nodeType");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
