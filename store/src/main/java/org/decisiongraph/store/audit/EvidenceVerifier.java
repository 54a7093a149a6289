package org.decisiongraph.store.audit;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.log.ChainHash;

/**
 * Checks an evidence bundle offline with only the signer's public key, in this order: format; every event's
 * payload hash, event hash, chain hash, order and place in the chain links; the links themselves from the
 * previous chain hash through the last link; the checkpoint's key id, statement and signature; the links
 * ending at the checkpoint's log_seq with its chain hash (inclusion); the projection digests. The first
 * failure is reported with a message naming what broke.
 */
public final class EvidenceVerifier {
    private static final Set<String> EVENT_KEYS = Set.of("event_id", "trace_id", "trace_seq", "log_seq", "tenant_id",
            "event_type", "occurred_at", "recorded_at", "source", "actor", "idempotency_key", "correlation_id",
            "causation_event_id", "schema_version", "tags", "payload_hash", "payload", "event_hash", "chain_hash");

    /** The outcome: {@code failure} is null when everything holds. */
    public record Result(String failure, int events, int links, long checkpointLogSeq) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** A check that failed, with its message. */
    private static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private EvidenceVerifier() {
    }

    public static Result verify(Json bundleJson, PublicKey key) {
        int[] counts = new int[2];
        long[] cpSeq = {-1};
        try {
            check(bundleJson, key, counts, cpSeq);
            return new Result(null, counts[0], counts[1], cpSeq[0]);
        } catch (Failed f) {
            return new Result(f.getMessage(), counts[0], counts[1], cpSeq[0]);
        }
    }

    private static void check(Json bundleJson, PublicKey key, int[] counts, long[] cpSeq) throws Failed {
        if (!(bundleJson instanceof JsonObject b) || !EvidenceBundle.FORMAT.equals(str(b, "format"))) {
            throw new Failed("not a " + EvidenceBundle.FORMAT + " bundle");
        }
        String tenant = required(b, "tenant_id", "bundle");
        JsonArray events = array(b, "events", "bundle");
        JsonArray links = array(b, "chain_links", "bundle");
        String prev = required(b, "prev_chain_hash", "bundle");

        // the chain links: contiguous log_seq, each chain hash recomputed from the previous one
        Map<Long, String> eventHashAt = new HashMap<>();
        Map<Long, String> chainHashAt = new HashMap<>();
        long firstLink = -1;
        long expectedSeq = -1;
        String chain = prev;
        for (Json lj : links) {
            JsonObject l = object(lj, "chain link");
            long seq = number(l, "log_seq", "chain link");
            String eh = required(l, "event_hash", "chain link log_seq=" + seq);
            String ch = required(l, "chain_hash", "chain link log_seq=" + seq);
            if (firstLink < 0) {
                firstLink = seq;
            } else if (seq != expectedSeq) {
                throw new Failed("chain link log_seq=" + seq + " follows log_seq=" + (expectedSeq - 1)
                        + " (links must be contiguous)");
            }
            String recomputed = ChainHash.link(chain, eh);
            if (!recomputed.equals(ch)) {
                throw new Failed("chain link broken at log_seq=" + seq + ": recomputed chain_hash " + recomputed
                        + ", bundle says " + ch);
            }
            chain = recomputed;
            eventHashAt.put(seq, eh);
            chainHashAt.put(seq, ch);
            expectedSeq = seq + 1;
            counts[1]++;
        }
        if (links.isEmpty()) {
            throw new Failed("the bundle has no chain links");
        }

        // the events: payload hash, event hash, order, and their place in the links
        long lastSeq = firstLink - 1;
        boolean first = true;
        for (Json ej : events) {
            JsonObject e = object(ej, "event");
            String id = str(e, "event_id");
            long seq = number(e, "log_seq", "event " + id);
            String what = "event " + id + " (log_seq=" + seq + ")";
            for (String k : e.keys()) {
                if (!EVENT_KEYS.contains(k) && !k.equals("redactions")) {
                    throw new Failed(what + ": unexpected field '" + k + "'");
                }
            }
            for (String k : EVENT_KEYS) {
                if (!e.has(k)) {
                    throw new Failed(what + ": missing field '" + k + "'");
                }
            }
            if (!tenant.equals(str(e, "tenant_id"))) {
                throw new Failed(what + ": tenant_id '" + str(e, "tenant_id") + "' is not the bundle's '" + tenant + "'");
            }
            if (seq <= lastSeq) {
                throw new Failed(what + ": out of order (log_seq=" + seq + " after log_seq=" + lastSeq + ")");
            }
            if (first && seq != firstLink) {
                throw new Failed(what + ": the chain links start at log_seq=" + firstLink
                        + ", not at the first exported event");
            }
            first = false;
            lastSeq = seq;
            String payloadHash;
            try {
                payloadHash = Hashing.payloadHash(e.get("payload"));
            } catch (RuntimeException bad) {
                throw new Failed(what + ": payload cannot be hashed: " + bad.getMessage());
            }
            if (!payloadHash.equals(str(e, "payload_hash"))) {
                if (!e.has("redactions")) {
                    throw new Failed(what + ": payload_hash mismatch: the payload hashes to " + payloadHash
                            + ", the event says " + str(e, "payload_hash"));
                }
                checkRedactions(what, e, payloadHash);
            }
            JsonObject.Builder hashed = JsonObject.builder();
            e.members().forEach((k, v) -> {
                if (!k.equals("payload") && !k.equals("event_hash") && !k.equals("chain_hash") && !k.equals("redactions")) {
                    hashed.put(k, v);
                }
            });
            String eventHash;
            try {
                eventHash = Hashing.payloadHash(hashed.build());
            } catch (RuntimeException bad) {
                throw new Failed(what + ": fields cannot be hashed: " + bad.getMessage());
            }
            if (!eventHash.equals(str(e, "event_hash"))) {
                throw new Failed(what + ": event_hash mismatch: the fields hash to " + eventHash
                        + ", the event says " + str(e, "event_hash"));
            }
            String linked = eventHashAt.get(seq);
            if (linked == null) {
                throw new Failed(what + ": no chain link at log_seq=" + seq);
            }
            if (!linked.equals(eventHash)) {
                throw new Failed(what + ": event_hash " + eventHash + " differs from the chain link's " + linked);
            }
            if (!chainHashAt.get(seq).equals(str(e, "chain_hash"))) {
                throw new Failed(what + ": chain_hash " + str(e, "chain_hash") + " differs from the chain link's "
                        + chainHashAt.get(seq));
            }
            counts[0]++;
        }
        if (events.isEmpty()) {
            throw new Failed("the bundle has no events");
        }

        // the checkpoint: key, canonical statement, signature, then inclusion
        JsonObject cp = object(b.get("checkpoint"), "checkpoint");
        Checkpoint c;
        try {
            c = Checkpoint.fromStatement(required(cp, "statement", "checkpoint"), required(cp, "signature", "checkpoint"));
        } catch (DgException bad) {
            throw new Failed("checkpoint statement is not valid: " + bad.message());
        }
        cpSeq[0] = c.logSeq();
        String keyId = SigningKeys.keyId(key);
        if (!keyId.equals(c.keyId())) {
            throw new Failed("checkpoint was signed by key " + c.keyId() + ", the public key given is " + keyId);
        }
        if (!SigningKeys.verify(key, c.statementJson(), c.signature())) {
            throw new Failed("checkpoint signature is not valid for key " + keyId);
        }
        if (!Checkpoint.statement(c.tenantId(), c.logSeq(), c.chainHash(), c.projectionDigests(), c.createdAt(),
                c.keyId()).equals(c.statementJson())) {
            throw new Failed("checkpoint statement is not in canonical form");
        }
        if (!tenant.equals(c.tenantId())) {
            throw new Failed("checkpoint is of tenant '" + c.tenantId() + "', the bundle of '" + tenant + "'");
        }
        long lastLink = expectedSeq - 1;
        if (lastLink != c.logSeq()) {
            throw new Failed("chain links end at log_seq=" + lastLink + ", the checkpoint is at log_seq=" + c.logSeq());
        }
        if (!chain.equals(c.chainHash())) {
            throw new Failed("the chain at log_seq=" + c.logSeq() + " is " + chain + ", the checkpoint says "
                    + c.chainHash());
        }
        JsonObject digests = object(b.get("projection_digests"), "projection_digests");
        if (!EvidenceBundle.strings(digests).equals(new java.util.TreeMap<>(c.projectionDigests()))) {
            throw new Failed("projection_digests differ from the checkpoint's");
        }
        checkReview(b, events);
    }

    /**
     * 7. A review bundle ({@code dg export --review}): every event of {@code review.source_events} must be an event of
     * the bundle, member for member (so the review document's events are the verified ones); the review's
     * operational rows are data, not chained.
     */
    private static void checkReview(JsonObject b, JsonArray events) throws Failed {
        if (b.get("review") == null) {
            return;
        }
        JsonObject review = object(b.get("review"), "review");
        Map<String, JsonObject> byId = new HashMap<>();
        for (Json ej : events) {
            JsonObject e = (JsonObject) ej;
            byId.put(str(e, "event_id"), e);
        }
        for (Json sj : array(review, "source_events", "review")) {
            JsonObject s = object(sj, "review source event");
            String id = required(s, "event_id", "review source event");
            JsonObject e = byId.get(id);
            if (e == null) {
                throw new Failed("review source event " + id + " is not an event of the bundle");
            }
            for (Map.Entry<String, Json> m : s.members().entrySet()) {
                if (e.get(m.getKey()) == null || !e.get(m.getKey()).equals(m.getValue())) {
                    throw new Failed("review source event " + id + " differs from the bundle's event in '" + m.getKey() + "'");
                }
            }
        }
    }

    private static String str(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.value() : null;
    }

    private static String required(JsonObject o, String key, String what) throws Failed {
        String v = str(o, key);
        if (v == null) {
            throw new Failed(what + ": missing or non-string '" + key + "'");
        }
        return v;
    }

    private static long number(JsonObject o, String key, String what) throws Failed {
        if (o.get(key) instanceof JsonInt n && n.fitsLong()) {
            return n.longValue();
        }
        throw new Failed(what + ": missing or non-integer '" + key + "'");
    }

    private static JsonObject object(Json j, String what) throws Failed {
        if (j instanceof JsonObject o) {
            return o;
        }
        throw new Failed(what + " is not a JSON object");
    }

    private static JsonArray array(JsonObject o, String key, String what) throws Failed {
        if (o.get(key) instanceof JsonArray a) {
            return a;
        }
        throw new Failed(what + ": missing or non-array '" + key + "'");
    }

    static List<String> eventKeys() {
        return List.copyOf(EVENT_KEYS);
    }

    /**
     * A redacted event: its records (docs/OPERATIONS.md "Redaction") hash to their {@code record_hash}, are numbered
     * from 1, start at the event's payload_hash, continue where the previous ended and end at the payload's hash.
     * The records are self-consistent evidence of the redaction; the checkpoint signs the original payload_hash only.
     */
    private static void checkRedactions(String what, JsonObject e, String payloadHash) throws Failed {
        JsonArray records = array(e, "redactions", what);
        String expected = str(e, "payload_hash");
        long seq = 1;
        for (Json rj : records) {
            JsonObject r = object(rj, what + " redaction");
            Redactions.Redaction rec;
            try {
                rec = new Redactions.Redaction(r.getString("redaction_id"), r.getString("tenant_id"),
                        number(r, "log_seq", what), number(r, "seq", what), r.getString("event_id"),
                        r.getString("field_path"), r.getString("reason"), r.getString("actor_id"),
                        r.getString("redacted_at"), r.getString("original_payload_hash"),
                        r.getString("before_payload_hash"), r.getString("after_payload_hash"),
                        r.getString("value_commitment"), r.getString("record_hash"), number(r, "audit_id", what));
            } catch (RuntimeException bad) {
                throw new Failed(what + ": a redaction record is malformed: " + bad.getMessage());
            }
            String recordHash = rec.computeRecordHash();
            if (!recordHash.equals(rec.recordHash())) {
                throw new Failed(what + ": redaction " + rec.redactionId() + " was changed: its members hash to "
                        + recordHash + ", record_hash says " + rec.recordHash());
            }
            if (rec.seq() != seq || !rec.beforePayloadHash().equals(expected)
                    || !rec.originalPayloadHash().equals(str(e, "payload_hash"))) {
                throw new Failed(what + ": redaction " + rec.redactionId() + " does not continue the event's"
                        + " redactions (seq " + rec.seq() + ", before_payload_hash " + rec.beforePayloadHash() + ")");
            }
            expected = rec.afterPayloadHash();
            seq++;
        }
        if (!expected.equals(payloadHash)) {
            throw new Failed(what + ": payload_hash mismatch: the payload hashes to " + payloadHash
                    + ", its redaction records end at " + expected);
        }
    }
}
