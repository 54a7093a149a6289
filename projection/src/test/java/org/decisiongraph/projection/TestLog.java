package org.decisiongraph.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;

/**
 * A hand-built event log for tests: events get log_seq 1, 2, ... and, per trace, trace_seq 0, 1, ... unless
 * given explicitly. Payloads are not validated, so tests can build logs the append path would reject.
 */
public final class TestLog {
    public static final Source SOURCE = new Source("test-producer", "test", null);
    public static final Actor ACTOR = new Actor("agent", "test-agent");

    private final List<StoredEvent> events = new ArrayList<>();
    private final Map<String, Long> nextSeq = new HashMap<>();

    public StoredEvent add(String traceId, String type, JsonObject payload) {
        return add(traceId, nextSeq.getOrDefault(traceId, 0L), type, payload);
    }

    public StoredEvent add(String traceId, long traceSeq, String type, JsonObject payload) {
        long logSeq = events.size() + 1;
        String eventId = "e" + logSeq;
        EventEnvelope env = new EventEnvelope(eventId, traceId, traceSeq, type,
                String.format("2025-12-31T12:%02d:%02dZ", logSeq / 60 % 60, logSeq % 60), SOURCE, ACTOR,
                traceId + "-" + traceSeq + "-" + logSeq, payload, null, null, 1, List.of());
        // a payload with a float has no hash: store a placeholder, the projector must reject the float first
        StoredEvent e = JsonWriter.findFloatPath(payload) == null ? Fixtures.stored(env, logSeq)
                : new StoredEvent("default", logSeq, Fixtures.RECORDED_AT, "sha256:" + "f".repeat(64), env);
        events.add(e);
        nextSeq.put(traceId, traceSeq + 1);
        return e;
    }

    /** Adds an event with a stored payload hash that does not match its payload. */
    public StoredEvent addWithHash(String traceId, String type, JsonObject payload, String storedHash) {
        StoredEvent e = add(traceId, type, payload);
        StoredEvent tampered = new StoredEvent(e.tenantId(), e.logSeq(), e.recordedAt(), storedHash, e.envelope());
        events.set(events.size() - 1, tampered);
        return tampered;
    }

    public List<StoredEvent> events() {
        return List.copyOf(events);
    }

    public ListEventFeed feed() {
        return ListEventFeed.of(events);
    }

    // --- payloads -------------------------------------------------------------------------------------

    public static JsonObject entity(String type, String id, String system) {
        return JsonObject.builder().put("entity_type", type).put("entity_id", id).put("system", system).build();
    }

    public static JsonObject started(String workflow, JsonObject primaryEntity) {
        return JsonObject.builder().put("workflow", workflow).put("title", "Title of " + workflow)
                .put("primary_entity", primaryEntity).build();
    }

    public static JsonObject policy(String id, String version) {
        JsonObject.Builder p = JsonObject.builder();
        if (id != null) {
            p.put("policy_id", id);
        }
        if (version != null) {
            p.put("policy_version", version);
        }
        return JsonObject.builder().put("policy", p.build()).put("inputs", Json.array(List.of()))
                .put("decision", "allow").build();
    }

    public static JsonObject exception(String exceptionId, String policyId, String version) {
        JsonObject.Builder b = JsonObject.builder();
        if (exceptionId != null) {
            b.put("exception_id", exceptionId);
        }
        return b.put("policy", JsonObject.builder().put("policy_id", policyId).put("policy_version", version).build())
                .put("reason", "needed").build();
    }

    public static JsonObject finished(String outcome) {
        return JsonObject.builder().put("outcome", outcome).build();
    }
}
