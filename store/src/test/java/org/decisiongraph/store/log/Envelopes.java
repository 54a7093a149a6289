package org.decisiongraph.store.log;

import java.util.List;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;

/** Small valid envelopes for tests. */
final class Envelopes {
    static final Source SOURCE = new Source("p-1", "test", null);
    static final Actor ACTOR = new Actor("agent", "a-1");

    private Envelopes() {
    }

    static Json startedPayload(String title) {
        return Json.obj("workflow", Json.of("test"), "title", Json.of(title),
                "primary_entity", Json.obj("entity_type", Json.of("TestEntity"), "entity_id", Json.of("test-entity")));
    }

    static Json observedPayload(String entityId) {
        return Json.obj("entity", Json.obj("entity_type", Json.of("Test"), "entity_id", Json.of(entityId)),
                "role", Json.of("primary"), "facts", JsonArray.empty());
    }

    static Json finishedPayload(String outcome) {
        return Json.obj("outcome", Json.of(outcome));
    }

    static EventEnvelope envelope(String eventId, String traceId, long seq, String type, String key, Json payload) {
        return new EventEnvelope(eventId, traceId, seq, type, "2026-01-01T00:00:00Z", SOURCE, ACTOR, key, payload,
                null, null, 1, List.of());
    }

    static EventEnvelope started(String traceId, String key) {
        return envelope(key + "-id", traceId, 0, "TraceStarted", key, startedPayload("Test"));
    }

    static EventEnvelope observed(String traceId, long seq, String key) {
        return envelope(key + "-id", traceId, seq, "EntityObserved", key, observedPayload(key));
    }

    static EventEnvelope finished(String traceId, long seq, String key) {
        return envelope(key + "-id", traceId, seq, "TraceFinished", key, finishedPayload("success"));
    }
}
