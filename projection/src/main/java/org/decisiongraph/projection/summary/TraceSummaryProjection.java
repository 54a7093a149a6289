package org.decisiongraph.projection.summary;

import static org.decisiongraph.projection.payload.PayloadFields.textOrNull;
import static org.decisiongraph.projection.payload.PayloadFields.truthy;

import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.payload.PayloadFields;
import org.decisiongraph.store.readmodel.ReadModelWriter;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * Only TraceStarted and TraceFinished touch the summary: the start inserts the row (event_count 1,
 * last_log_seq = its log_seq), the finish sets outcome ({@code "success"} when absent), finished_at,
 * event_count + 1 and last_log_seq.
 */
public final class TraceSummaryProjection {
    private TraceSummaryProjection() {
    }

    public static void apply(StoredEvent event, ReadModelWriter writer) {
        EventType type = EventType.fromWireName(event.eventType());
        if (type == EventType.TRACE_STARTED) {
            writer.startTraceSummary(started(event));
        } else if (type == EventType.TRACE_FINISHED) {
            JsonObject p = PayloadFields.asObject(event.payload());
            Json outcome = p.get("outcome");
            String text = outcome == null ? "success" : outcome instanceof JsonNull ? null : PayloadFields.str(outcome);
            writer.finishTraceSummary(event.traceId(), text, event.occurredAt(), event.logSeq());
        }
    }

    /** The row a TraceStarted inserts; the entity fields are null when primary_entity is missing or empty. */
    public static TraceSummaryRow started(StoredEvent event) {
        JsonObject p = PayloadFields.asObject(event.payload());
        Json pe = p.get("primary_entity");
        JsonObject entity = truthy(pe) ? PayloadFields.asObject(pe) : JsonObject.empty();
        return new TraceSummaryRow(
                event.traceId(),
                orEmpty(textOrNull(p, "workflow")),
                orEmpty(textOrNull(p, "title")),
                textOrNull(entity, "entity_type"),
                textOrNull(entity, "system"),
                textOrNull(entity, "entity_id"),
                null,
                event.occurredAt(),
                null,
                1,
                event.logSeq());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
