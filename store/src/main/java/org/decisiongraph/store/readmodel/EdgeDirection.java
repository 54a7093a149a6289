package org.decisiongraph.store.readmodel;

import org.decisiongraph.core.error.DgErrors;

/** Which edges of a node an edge page lists. */
public enum EdgeDirection {
    /** {@code from_node_id = node}. */
    OUTGOING("outgoing"),
    /** {@code to_node_id = node}. */
    INCOMING("incoming"),
    /** Either endpoint is the node (a self-loop is listed once). */
    BOTH("both");

    private final String wireName;

    EdgeDirection(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The direction with this exact name; INVALID_ARGUMENT otherwise. */
    public static EdgeDirection parse(String name) {
        for (EdgeDirection d : values()) {
            if (d.wireName.equals(name)) {
                return d;
            }
        }
        throw DgErrors.invalidEdgeDirection();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
