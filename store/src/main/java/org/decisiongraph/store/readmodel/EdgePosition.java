package org.decisiongraph.store.readmodel;

import java.util.Comparator;
import java.util.Objects;

import org.decisiongraph.core.json.CodePointOrder;

/** A point in the {@code (log_seq ASC, edge_id ASC)} order of edge pages; edge ids compare by code point. */
public record EdgePosition(long logSeq, String edgeId) implements Comparable<EdgePosition> {
    public static final Comparator<EdgePosition> ORDER = Comparator.comparingLong(EdgePosition::logSeq)
            .thenComparing(EdgePosition::edgeId, CodePointOrder.INSTANCE);

    public EdgePosition {
        Objects.requireNonNull(edgeId, "edgeId");
    }

    @Override
    public int compareTo(EdgePosition other) {
        return ORDER.compare(this, other);
    }
}
