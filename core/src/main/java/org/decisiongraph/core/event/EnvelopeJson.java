package org.decisiongraph.core.event;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/**
 * Reads and writes envelopes as JSON (the 13 keys of the fixture bundle). Reading checks JSON types only
 * and fills the reference defaults ({@code subsystem}, {@code correlation_id}, {@code causation_event_id}
 * null, {@code schema_version} 1, {@code tags} []); the semantic checks belong to {@code EventValidator}.
 * A wrong type is {@code DG_ERR_INVALID_ARGUMENT} naming the field.
 */
public final class EnvelopeJson {
    private EnvelopeJson() {
    }

    /** Reads an envelope, checking fields in the order of the envelope table (core spec 3.1). */
    public static EventEnvelope fromJson(Json json) {
        if (!(json instanceof JsonObject o)) {
            throw DgErrors.invalidArgument("Event envelope must be a JSON object");
        }
        String eventId = requiredString(o, "event_id", "event_id");
        String traceId = requiredString(o, "trace_id", "trace_id");
        long traceSeq = requiredLong(o, "trace_seq");
        String eventType = requiredString(o, "event_type", "event_type");
        String occurredAt = requiredString(o, "occurred_at", "occurred_at");
        JsonObject source = requiredObject(o, "source", "source");
        Source src = new Source(
                requiredString(source, "producer_id", "source.producer_id"),
                requiredString(source, "system", "source.system"),
                optionalString(source, "subsystem", "source.subsystem"));
        JsonObject actor = requiredObject(o, "actor", "actor");
        Actor act = new Actor(
                requiredString(actor, "actor_type", "actor.actor_type"),
                requiredString(actor, "actor_id", "actor.actor_id"));
        String idempotencyKey = requiredString(o, "idempotency_key", "idempotency_key");
        Json payload = o.get("payload");
        if (payload == null) {
            throw missing("payload");
        }
        return new EventEnvelope(eventId, traceId, traceSeq, eventType, occurredAt, src, act, idempotencyKey, payload,
                optionalString(o, "correlation_id", "correlation_id"),
                optionalString(o, "causation_event_id", "causation_event_id"),
                optionalLong(o, "schema_version", 1L),
                tags(o));
    }

    private static DgException missing(String field) {
        return DgErrors.invalidArgument("Missing required envelope field '" + field + "'");
    }

    private static DgException wrongType(String field, String expected) {
        return DgErrors.invalidArgument("Invalid envelope field '" + field + "': expected " + expected);
    }

    private static String requiredString(JsonObject o, String key, String field) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            throw missing(field);
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw wrongType(field, "a string");
    }

    private static String optionalString(JsonObject o, String key, String field) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw wrongType(field, "a string or null");
    }

    private static JsonObject requiredObject(JsonObject o, String key, String field) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            throw missing(field);
        }
        if (v instanceof JsonObject obj) {
            return obj;
        }
        throw wrongType(field, "an object");
    }

    private static long requiredLong(JsonObject o, String key) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            throw missing(key);
        }
        return longValue(v, key);
    }

    /** Absent or null means the reference default. */
    private static long optionalLong(JsonObject o, String key, long dflt) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            return dflt;
        }
        return longValue(v, key);
    }

    private static long longValue(Json v, String field) {
        if (v instanceof JsonInt i && i.fitsLong()) {
            return i.longValue();
        }
        throw wrongType(field, v instanceof JsonInt ? "a 64-bit integer" : "an integer");
    }

    private static List<String> tags(JsonObject o) {
        Json v = o.get("tags");
        if (v == null || v instanceof JsonNull) {
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            throw wrongType("tags", "a list of strings");
        }
        List<String> out = new ArrayList<>(a.size());
        for (Json t : a) {
            if (!(t instanceof JsonString s)) {
                throw wrongType("tags", "a list of strings");
            }
            out.add(s.value());
        }
        return out;
    }

    /** The 13 envelope keys (key order of the fixture bundle is irrelevant: writers sort). */
    public static JsonObject toJson(EventEnvelope e) {
        return JsonObject.builder()
                .put("event_id", e.eventId())
                .put("trace_id", e.traceId())
                .put("trace_seq", e.traceSeq())
                .put("event_type", e.eventType())
                .put("occurred_at", e.occurredAt())
                .put("source", sourceJson(e.source()))
                .put("actor", actorJson(e.actor()))
                .put("idempotency_key", e.idempotencyKey())
                .put("payload", e.payload())
                .put("correlation_id", e.correlationId())
                .put("causation_event_id", e.causationEventId())
                .put("schema_version", e.schemaVersion())
                .put("tags", Json.strings(e.tags()))
                .build();
    }

    /** A stored event with every field, as the API and {@code dg query} print it. */
    public static JsonObject toJson(StoredEvent s) {
        EventEnvelope e = s.envelope();
        return JsonObject.builder()
                .put("event_id", e.eventId())
                .put("trace_id", e.traceId())
                .put("trace_seq", e.traceSeq())
                .put("log_seq", s.logSeq())
                .put("event_type", e.eventType())
                .put("occurred_at", e.occurredAt())
                .put("recorded_at", s.recordedAt())
                .put("actor", actorJson(e.actor()))
                .put("source", sourceJson(e.source()))
                .put("idempotency_key", e.idempotencyKey())
                .put("correlation_id", e.correlationId())
                .put("causation_event_id", e.causationEventId())
                .put("schema_version", e.schemaVersion())
                .put("tags", Json.strings(e.tags()))
                .put("payload", e.payload())
                .put("payload_hash", s.payloadHash())
                .put("tenant_id", s.tenantId())
                .build();
    }

    /**
     * The stored event without its content: the ids, positions, hash and timestamp an ingest client needs to know
     * where its event went ({@code Prefer: return=minimal} on the append routes). Keys in canonical order.
     */
    public static JsonObject toMinimalJson(StoredEvent s) {
        return JsonObject.builder()
                .put("event_id", s.eventId())
                .put("log_seq", s.logSeq())
                .put("payload_hash", s.payloadHash())
                .put("recorded_at", s.recordedAt())
                .put("tenant_id", s.tenantId())
                .put("trace_id", s.traceId())
                .put("trace_seq", s.traceSeq())
                .build();
    }

    public static JsonObject sourceJson(Source s) {
        return JsonObject.builder()
                .put("producer_id", s.producerId())
                .put("system", s.system())
                .put("subsystem", s.subsystem())
                .build();
    }

    public static JsonObject actorJson(Actor a) {
        return JsonObject.builder()
                .put("actor_type", a.actorType())
                .put("actor_id", a.actorId())
                .build();
    }
}
