package org.decisiongraph.core.event;

import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.Json;

/** An event after storage: the envelope plus tenant, {@code log_seq}, {@code recorded_at} and payload hash. */
public record StoredEvent(String tenantId, long logSeq, String recordedAt, String payloadHash, EventEnvelope envelope) {
    public StoredEvent {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(payloadHash, "payloadHash");
        Objects.requireNonNull(envelope, "envelope");
    }

    public String eventId() {
        return envelope.eventId();
    }

    public String traceId() {
        return envelope.traceId();
    }

    public long traceSeq() {
        return envelope.traceSeq();
    }

    public String eventType() {
        return envelope.eventType();
    }

    public String occurredAt() {
        return envelope.occurredAt();
    }

    public Source source() {
        return envelope.source();
    }

    public Actor actor() {
        return envelope.actor();
    }

    public String idempotencyKey() {
        return envelope.idempotencyKey();
    }

    public Json payload() {
        return envelope.payload();
    }

    public String correlationId() {
        return envelope.correlationId();
    }

    public String causationEventId() {
        return envelope.causationEventId();
    }

    public long schemaVersion() {
        return envelope.schemaVersion();
    }

    public List<String> tags() {
        return envelope.tags();
    }
}
