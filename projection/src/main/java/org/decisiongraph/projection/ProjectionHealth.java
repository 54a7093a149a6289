package org.decisiongraph.projection;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.digest.ProjectionDigests;

/**
 * The reference's health view (projections spec 5.2, CLI {@code projection-status}): log counts, the projected
 * cursor (the lowest of the three projection cursors; the single cursor of a reference-layout file), pending
 * events, staleness and optionally the digests of the stored projection tables.
 */
public record ProjectionHealth(long eventCount, long traceCount, long eventLogLastSeq, long projectedLastSeq,
                               ProjectionDigests digests) {

    public long pendingEvents() {
        return Math.max(eventLogLastSeq - projectedLastSeq, 0);
    }

    public boolean isStale() {
        return projectedLastSeq < eventLogLastSeq;
    }

    /** {@code {digests, event_count, event_log_last_seq, is_stale, pending_events, projected_last_seq, trace_count}}. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("digests", digests == null ? JsonNull.INSTANCE : digests.toJson())
                .put("event_count", eventCount)
                .put("event_log_last_seq", eventLogLastSeq)
                .put("is_stale", Json.of(isStale()))
                .put("pending_events", pendingEvents())
                .put("projected_last_seq", projectedLastSeq)
                .put("trace_count", traceCount)
                .build();
    }
}
