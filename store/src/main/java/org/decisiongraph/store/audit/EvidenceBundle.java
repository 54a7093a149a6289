package org.decisiongraph.store.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.ChainHash;

/**
 * Builds an evidence bundle (format {@value #FORMAT}, docs/OPERATIONS.md "Evidence bundles"): the selected
 * events with payloads, payload hashes, event hashes and chain hashes; the chain hash just before the first
 * selected event; the chain links (log_seq, event hash, chain hash) of every event from the first selected one
 * through the checkpoint's log_seq; the checkpoint (signed statement) and its projection digests.
 */
public final class EvidenceBundle {
    public static final String FORMAT = "dg.evidence.v1";

    private EvidenceBundle() {
    }

    /** The exported form of a stored event: {@link ChainHash#hashedFields} + payload + event_hash + chain_hash. */
    static JsonObject eventJson(AuditChain.ChainedEvent c, List<Redactions.Redaction> redactions) {
        JsonObject.Builder b = JsonObject.builder();
        ChainHash.hashedFields(c.event()).members().forEach(b::put);
        b.put("payload", c.event().payload())
                .put("event_hash", c.eventHash())
                .put("chain_hash", c.chainHash());
        if (redactions != null && !redactions.isEmpty()) {
            b.put("redactions", Json.array(redactions.stream().map(r -> (Json) r.toJson()).toList()));
        }
        return b.build();
    }

    /**
     * The bundle of {@code events} (non-empty, log_seq order, all of {@code checkpoint}'s tenant) under
     * {@code checkpoint}, whose log_seq must be at least the last event's.
     */
    public static JsonObject build(AuditChain chain, JsonObject selection, List<AuditChain.ChainedEvent> events,
                                   Checkpoint checkpoint) {
        return build(chain, selection, events, checkpoint, List.of());
    }

    /**
     * As above; a redacted event carries its redaction records ({@code redactions}, docs/OPERATIONS.md "Redaction"),
     * and a log_seq removed by retention appears in the links as its tombstone ({@code "removed": true}).
     */
    public static JsonObject build(AuditChain chain, JsonObject selection, List<AuditChain.ChainedEvent> events,
                                   Checkpoint checkpoint, List<Redactions.Redaction> redactions) {
        Map<Long, List<Redactions.Redaction>> byLogSeq = new TreeMap<>();
        for (Redactions.Redaction r : redactions) {
            byLogSeq.computeIfAbsent(r.logSeq(), k -> new ArrayList<>()).add(r);
        }
        if (events.isEmpty()) {
            throw DgErrors.invalidArgument("no events match the selection");
        }
        String tenant = checkpoint.tenantId();
        long first = events.get(0).event().logSeq();
        long last = events.get(events.size() - 1).event().logSeq();
        if (checkpoint.logSeq() < last) {
            throw DgErrors.invalidArgument("the checkpoint at log_seq=" + checkpoint.logSeq()
                    + " does not cover the last selected event (log_seq=" + last + ")");
        }
        String prev = chain.storedChainAt(tenant, first - 1);
        TreeMap<Long, Json> byPosition = new TreeMap<>();
        for (AuditChain.ChainedEvent l : chain.links(tenant, first, checkpoint.logSeq())) {
            byPosition.put(l.event().logSeq(), JsonObject.builder()
                    .put("log_seq", l.event().logSeq())
                    .put("event_hash", l.eventHash())
                    .put("chain_hash", l.chainHash())
                    .build());
        }
        for (AuditChain.Tombstone t : chain.tombstones(tenant, first, checkpoint.logSeq()).values()) {
            byPosition.put(t.logSeq(), JsonObject.builder()
                    .put("log_seq", t.logSeq())
                    .put("event_hash", t.eventHash())
                    .put("chain_hash", t.chainHash())
                    .put("removed", true)
                    .build());
        }
        List<Json> links = new ArrayList<>(byPosition.values());
        List<Json> exported = new ArrayList<>(events.size());
        for (AuditChain.ChainedEvent e : events) {
            StoredEvent s = e.event();
            if (!s.tenantId().equals(tenant)) {
                throw DgErrors.invalidArgument("event " + s.eventId() + " is not of tenant '" + tenant + "'");
            }
            exported.add(eventJson(e, byLogSeq.get(s.logSeq())));
        }
        JsonObject.Builder digests = JsonObject.builder();
        new TreeMap<>(checkpoint.projectionDigests()).forEach(digests::put);
        return JsonObject.builder()
                .put("format", FORMAT)
                .put("tenant_id", tenant)
                .put("selection", selection)
                .put("genesis", ChainHash.GENESIS)
                .put("prev_chain_hash", prev)
                .put("events", Json.array(exported))
                .put("chain_links", Json.array(links))
                .put("checkpoint", JsonObject.builder()
                        .put("statement", checkpoint.statementJson())
                        .put("signature", checkpoint.signature())
                        .put("key_id", checkpoint.keyId())
                        .build())
                .put("projection_digests", digests.build())
                .build();
    }

    /** The selection object of a trace export. */
    public static JsonObject traceSelection(String traceId) {
        return JsonObject.builder().put("trace_id", traceId).build();
    }

    /** The selection object of a log_seq range export. */
    public static JsonObject rangeSelection(long from, long to) {
        return JsonObject.builder().put("from_log_seq", from).put("to_log_seq", to).build();
    }

    static Map<String, String> strings(JsonObject o) {
        Map<String, String> out = new TreeMap<>();
        o.members().forEach((k, v) -> out.put(k, v instanceof org.decisiongraph.core.json.JsonString s ? s.value() : null));
        return out;
    }
}
