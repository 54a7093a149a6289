package org.decisiongraph.projection.digest;

import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/** The three component digests and the full digest, each {@code "sha256:<64 hex>"}. */
public record ProjectionDigests(String contextGraph, String traceSummary, String precedentIndex, String fullProjection) {
    public ProjectionDigests {
        Objects.requireNonNull(contextGraph, "contextGraph");
        Objects.requireNonNull(traceSummary, "traceSummary");
        Objects.requireNonNull(precedentIndex, "precedentIndex");
        Objects.requireNonNull(fullProjection, "fullProjection");
    }

    /** {@code {context_graph, full_projection, precedent_index, trace_summary}} (writers sort the keys). */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("context_graph", contextGraph)
                .put("full_projection", fullProjection)
                .put("precedent_index", precedentIndex)
                .put("trace_summary", traceSummary)
                .build();
    }
}
