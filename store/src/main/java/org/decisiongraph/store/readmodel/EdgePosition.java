package org.decisiongraph.store.readmodel;

import java.util.Comparator;
import java.util.Objects;

import org.decisiongraph.core.json.CodePointOrder;

/** A point in the {@code (log_seq ASC, edge_id ASC)} order of edge pages; edge ids compare by code point. */
public record EdgePosition(long logSeq, String edgeId) implements Comparable<EdgePosition> {
    public static final Comparator<EdgePosition> ORDER = EdgePosition::compareTo;

    public EdgePosition {
        Objects.requireNonNull(edgeId, "edgeId");
    }

    @Override
    public int compareTo(EdgePosition other) {
        int bySeq = Long.compare(logSeq, other.logSeq);
        return bySeq != 0 ? bySeq : CodePointOrder.INSTANCE.compare(edgeId, other.edgeId);
    }
}
