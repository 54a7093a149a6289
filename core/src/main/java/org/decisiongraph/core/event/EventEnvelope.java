package org.decisiongraph.core.event;

import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.Json;

/**
 * An event as a producer sends it, before storage. {@code payload} is any JSON value: the validator
 * reports a non-object payload with the specification's message. {@code occurredAt} is kept verbatim.
 */
public record EventEnvelope(
        String eventId,
        String traceId,
        long traceSeq,
        String eventType,
        String occurredAt,
        Source source,
        Actor actor,
        String idempotencyKey,
        Json payload,
        String correlationId,
        String causationEventId,
        long schemaVersion,
        List<String> tags) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(payload, "payload");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public EventEnvelope withTraceSeq(long seq) {
        return new EventEnvelope(eventId, traceId, seq, eventType, occurredAt, source, actor, idempotencyKey,
                payload, correlationId, causationEventId, schemaVersion, tags);
    }
}
