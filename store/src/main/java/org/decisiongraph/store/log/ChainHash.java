package org.decisiongraph.store.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        Bytes b = canonical(s);
        return Hashing.sha256(b.buf, 0, b.len);
    }

    /**
     * {@code JsonWriter.canonical(hashedFields(s))}, written directly: the members in their code-point order,
     * printable-ASCII strings verbatim, every other string through the canonical writer (a test checks the
     * equality on random strings).
     */
    static String canonicalText(StoredEvent s) {
        Bytes b = canonical(s);
        return new String(b.buf, 0, b.len, StandardCharsets.UTF_8);
    }

    private static Bytes canonical(StoredEvent s) {
        Bytes b = new Bytes();
        b.ascii("{\"actor\":{\"actor_id\":");
        b.str(s.actor().actorId());
        b.ascii(",\"actor_type\":");
        b.str(s.actor().actorType());
        b.ascii("},\"causation_event_id\":");
        b.str(s.causationEventId());
        b.ascii(",\"correlation_id\":");
        b.str(s.correlationId());
        b.ascii(",\"event_id\":");
        b.str(s.eventId());
        b.ascii(",\"event_type\":");
        b.str(s.eventType());
        b.ascii(",\"idempotency_key\":");
        b.str(s.idempotencyKey());
        b.ascii(",\"log_seq\":");
        b.ascii(Long.toString(s.logSeq()));
        b.ascii(",\"occurred_at\":");
        b.str(s.occurredAt());
        b.ascii(",\"payload_hash\":");
        b.str(s.payloadHash());
        b.ascii(",\"recorded_at\":");
        b.str(s.recordedAt());
        b.ascii(",\"schema_version\":");
        b.ascii(Long.toString(s.schemaVersion()));
        b.ascii(",\"source\":{\"producer_id\":");
        b.str(s.source().producerId());
        b.ascii(",\"subsystem\":");
        b.str(s.source().subsystem());
        b.ascii(",\"system\":");
        b.str(s.source().system());
        b.ascii("},\"tags\":[");
        List<String> tags = s.tags();
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                b.ascii(",");
            }
            b.str(tags.get(i));
        }
        b.ascii("],\"tenant_id\":");
        b.str(s.tenantId());
        b.ascii(",\"trace_id\":");
        b.str(s.traceId());
        b.ascii(",\"trace_seq\":");
        b.ascii(Long.toString(s.traceSeq()));
        b.ascii("}");
        return b;
    }

    /** A growing byte buffer of UTF-8 text. */
    private static final class Bytes {
        byte[] buf = new byte[768];
        int len;

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        /** Appends text known to be ASCII. */
        void ascii(String text) {
            int n = text.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) text.charAt(i);
            }
        }

        /** A JSON string (or null): printable ASCII quoted as it is, anything else as the canonical writer writes it. */
        void str(String v) {
            if (v == null) {
                ascii("null");
                return;
            }
            int n = v.length();
            for (int i = 0; i < n; i++) {
                char c = v.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    byte[] encoded = JsonWriter.canonicalBytes(new JsonString(v));
                    ensure(encoded.length);
                    System.arraycopy(encoded, 0, buf, len, encoded.length);
                    len += encoded.length;
                    return;
                }
            }
            ensure(n + 2);
            buf[len++] = '"';
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) v.charAt(i);
            }
            buf[len++] = '"';
        }
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
