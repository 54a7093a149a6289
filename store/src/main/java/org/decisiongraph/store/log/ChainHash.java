package org.decisiongraph.store.log;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;

/**
 * The audit chain's two hashes (docs/OPERATIONS.md, "Hash chain"):
 * <ul>
 * <li>event hash = {@code "sha256:" + hex(SHA-256(canonical JSON of {@link #hashedFields}))}: every stored
 *     field of the event except the payload, which enters through its {@code payload_hash} (so a payload
 *     may later be redacted without breaking the chain);</li>
 * <li>chain hash = {@code "sha256:" + hex(SHA-256(UTF-8(prev + "\n" + eventHash)))}, per tenant in
 *     {@code log_seq} order, where {@code prev} of the tenant's first event is {@link #GENESIS}.</li>
 * </ul>
 */
public final class ChainHash {
    /** The chain hash "before" a tenant's first event. */
    public static final String GENESIS = Hashing.PREFIX + "0".repeat(64);

    private ChainHash() {
    }

    /** The object whose canonical JSON is hashed; absent optional values are JSON null. */
    public static JsonObject hashedFields(StoredEvent s) {
        JsonObject source = JsonObject.builder()
                .put("producer_id", s.source().producerId())
                .put("system", s.source().system())
                .put("subsystem", s.source().subsystem())
                .build();
        JsonObject actor = JsonObject.builder()
                .put("actor_type", s.actor().actorType())
                .put("actor_id", s.actor().actorId())
                .build();
        return JsonObject.builder()
                .put("event_id", s.eventId())
                .put("trace_id", s.traceId())
                .put("trace_seq", s.traceSeq())
                .put("log_seq", s.logSeq())
                .put("tenant_id", s.tenantId())
                .put("event_type", s.eventType())
                .put("occurred_at", s.occurredAt())
                .put("recorded_at", s.recordedAt())
                .put("source", source)
                .put("actor", actor)
                .put("idempotency_key", s.idempotencyKey())
                .put("correlation_id", s.correlationId())
                .put("causation_event_id", s.causationEventId())
                .put("schema_version", s.schemaVersion())
                .put("tags", Json.strings(s.tags()))
                .put("payload_hash", s.payloadHash())
                .build();
    }

    /** {@code "sha256:"} + hex of SHA-256 over the canonical JSON of {@link #hashedFields}. */
    public static String eventHash(StoredEvent s) {
        return Hashing.sha256(canonicalText(s).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code JsonWriter.canonical(hashedFields(s))}, written directly: the members in their code-point order,
     * printable-ASCII strings verbatim, every other string through the canonical writer (a test checks the
     * equality on random strings).
     */
    static String canonicalText(StoredEvent s) {
        StringBuilder b = new StringBuilder(640);
        b.append("{\"actor\":{\"actor_id\":");
        str(b, s.actor().actorId());
        b.append(",\"actor_type\":");
        str(b, s.actor().actorType());
        b.append("},\"causation_event_id\":");
        str(b, s.causationEventId());
        b.append(",\"correlation_id\":");
        str(b, s.correlationId());
        b.append(",\"event_id\":");
        str(b, s.eventId());
        b.append(",\"event_type\":");
        str(b, s.eventType());
        b.append(",\"idempotency_key\":");
        str(b, s.idempotencyKey());
        b.append(",\"log_seq\":").append(s.logSeq());
        b.append(",\"occurred_at\":");
        str(b, s.occurredAt());
        b.append(",\"payload_hash\":");
        str(b, s.payloadHash());
        b.append(",\"recorded_at\":");
        str(b, s.recordedAt());
        b.append(",\"schema_version\":").append(s.schemaVersion());
        b.append(",\"source\":{\"producer_id\":");
        str(b, s.source().producerId());
        b.append(",\"subsystem\":");
        str(b, s.source().subsystem());
        b.append(",\"system\":");
        str(b, s.source().system());
        b.append("},\"tags\":[");
        List<String> tags = s.tags();
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            str(b, tags.get(i));
        }
        b.append("],\"tenant_id\":");
        str(b, s.tenantId());
        b.append(",\"trace_id\":");
        str(b, s.traceId());
        b.append(",\"trace_seq\":").append(s.traceSeq()).append('}');
        return b.toString();
    }

    private static void str(StringBuilder b, String v) {
        if (v == null) {
            b.append("null");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                b.append(JsonWriter.canonical(new JsonString(v)));
                return;
            }
        }
        b.append('"').append(v).append('"');
    }

    /** The chain hash after an event: SHA-256 over the UTF-8 of {@code prev + "\n" + eventHash}. */
    public static String link(String prev, String eventHash) {
        return Hashing.sha256((prev + "\n" + eventHash).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code link(prev, eventHash(s))}. */
    public static String next(String prev, StoredEvent s) {
        return link(prev, eventHash(s));
    }
}
