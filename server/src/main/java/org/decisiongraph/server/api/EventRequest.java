package org.decisiongraph.server.api;

import java.util.Set;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/**
 * The HTTP-boundary shape checks of one event object (core spec 14 D2, platform spec 1.4): required
 * fields present with the right JSON type, non-blank ids, {@code trace_seq >= 0}, {@code occurred_at}
 * ISO-8601 (stored as sent), {@code schema_version > 0}, tags non-blank strings (stored as sent), optional
 * payload strings/lists of the right type. Every failure is 400 {@code invalid_argument}. Value domains
 * (D1) are not checked; semantics are the validator's.
 */
final class EventRequest {
    private static final Set<String> OPTIONAL_PAYLOAD_STRINGS =
            Set.of("reason", "similarity_score", "external_reference", "error", "summary");

    private EventRequest() {
    }

    static EventEnvelope parse(Json json) {
        if (!(json instanceof JsonObject o)) {
            throw ApiError.invalidArgument("Event must be a JSON object");
        }
        nonBlankString(o, "event_id");
        nonBlankString(o, "event_type");
        nonBlankString(o, "trace_id");
        Json seq = required(o, "trace_seq");
        if (!(seq instanceof JsonInt i) || !i.fitsLong()) {
            throw ApiError.invalidArgument("trace_seq must be an integer");
        }
        if (i.longValue() < 0) {
            throw ApiError.invalidArgument("trace_seq must be >= 0");
        }
        String occurredAt = string(o, "occurred_at");
        if (!Timestamps.isIso8601(occurredAt)) {
            throw ApiError.invalidArgument("occurred_at must be an ISO-8601 timestamp");
        }
        string(o, "idempotency_key");
        JsonObject actor = object(o, "actor");
        string(actor, "actor", "actor_type");
        string(actor, "actor", "actor_id");
        JsonObject source = object(o, "source");
        nonBlank(source, "source", "producer_id");
        nonBlank(source, "source", "system");
        optionalString(source, "source.subsystem", "subsystem");
        JsonObject payload = object(o, "payload");
        optionalString(o, "correlation_id", "correlation_id");
        optionalString(o, "causation_event_id", "causation_event_id");
        Json version = o.get("schema_version");
        if (version != null && !(version instanceof JsonNull)) {
            if (!(version instanceof JsonInt v) || !v.fitsLong()) {
                throw ApiError.invalidArgument("schema_version must be an integer");
            }
            if (v.longValue() <= 0) {
                throw ApiError.invalidArgument("schema_version must be > 0");
            }
        }
        Json tags = o.get("tags");
        if (tags != null && !(tags instanceof JsonNull)) {
            if (!(tags instanceof JsonArray a)) {
                throw ApiError.invalidArgument("tags must be a list of non-blank strings");
            }
            for (Json t : a) {
                if (!(t instanceof JsonString s) || s.value().isBlank()) {
                    throw ApiError.invalidArgument("tags must be a list of non-blank strings");
                }
            }
        }
        for (String key : OPTIONAL_PAYLOAD_STRINGS) {
            Json v = payload.get(key);
            if (v != null && !(v instanceof JsonNull) && !(v instanceof JsonString)) {
                throw ApiError.invalidArgument("payload." + key + " must be a string");
            }
        }
        Json evidence = payload.get("evidence");
        if (evidence != null && !(evidence instanceof JsonNull) && !(evidence instanceof JsonArray)) {
            throw ApiError.invalidArgument("payload.evidence must be a list");
        }
        return EnvelopeJson.fromJson(o);
    }

    private static Json required(JsonObject o, String key) {
        Json v = o.get(key);
        if (v == null || v instanceof JsonNull) {
            throw ApiError.invalidArgument(key + " is required");
        }
        return v;
    }

    private static String string(JsonObject o, String key) {
        if (required(o, key) instanceof JsonString s) {
            return s.value();
        }
        throw ApiError.invalidArgument(key + " must be a string");
    }

    private static void nonBlankString(JsonObject o, String key) {
        if (string(o, key).isBlank()) {
            throw ApiError.invalidArgument(key + " must not be blank");
        }
    }

    private static JsonObject object(JsonObject o, String key) {
        if (required(o, key) instanceof JsonObject obj) {
            return obj;
        }
        throw ApiError.invalidArgument(key + " must be an object");
    }

    private static String string(JsonObject o, String parent, String key) {
        Json v = o.get(key);
        String name = parent + "." + key;
        if (v == null || v instanceof JsonNull) {
            throw ApiError.invalidArgument(name + " is required");
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw ApiError.invalidArgument(name + " must be a string");
    }

    private static void nonBlank(JsonObject o, String parent, String key) {
        if (string(o, parent, key).isBlank()) {
            throw ApiError.invalidArgument(parent + "." + key + " must not be blank");
        }
    }

    private static void optionalString(JsonObject o, String name, String key) {
        Json v = o.get(key);
        if (v != null && !(v instanceof JsonNull) && !(v instanceof JsonString)) {
            throw ApiError.invalidArgument(name + " must be a string");
        }
    }
}
