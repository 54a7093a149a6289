package org.decisiongraph.projection.query;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/** The two result shapes of a trace summary read (projections spec 6.3). */
public final class TraceSummaryJson {
    private TraceSummaryJson() {
    }

    /** The library shape: eight fields, null entity fields as {@code ""}. */
    public static JsonObject library(TraceSummaryRow s) {
        return JsonObject.builder()
                .put("trace_id", s.traceId())
                .put("workflow", s.workflow())
                .put("title", s.title())
                .put("primary_entity_type", s.primaryEntityType() == null ? "" : s.primaryEntityType())
                .put("primary_entity_id", s.primaryEntityId() == null ? "" : s.primaryEntityId())
                .put("started_at", s.startedAt())
                .put("finished_at", s.finishedAt())
                .put("outcome", s.outcome())
                .build();
    }

    /** The service shape: every column, nulls kept. */
    public static JsonObject service(TraceSummaryRow s) {
        return JsonObject.builder()
                .put("trace_id", s.traceId())
                .put("workflow", s.workflow())
                .put("title", s.title())
                .put("primary_entity_type", s.primaryEntityType())
                .put("primary_entity_system", s.primaryEntitySystem())
                .put("primary_entity_id", s.primaryEntityId())
                .put("started_at", s.startedAt())
                .put("finished_at", s.finishedAt())
                .put("outcome", s.outcome())
                .put("event_count", s.eventCount())
                .put("last_log_seq", s.lastLogSeq())
                .build();
    }
}
