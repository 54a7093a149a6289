package org.decisiongraph.projection.query;

import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/** A graph node by type and identifier; its node id is {@code "{node_type}:{node_id}"}. */
public record NodeRef(String nodeType, String nodeId) {
    public NodeRef {
        Objects.requireNonNull(nodeType, "nodeType");
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /** The stored node id. */
    public String key() {
        return nodeType + ":" + nodeId;
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("node_type", nodeType).put("node_id", nodeId).build();
    }
}
