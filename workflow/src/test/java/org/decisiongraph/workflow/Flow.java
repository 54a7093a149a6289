package org.decisiongraph.workflow;

import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.log.EventLog;

/** Appends the events of the demo flow (agent proposes a discount over the cap) through the real log. */
final class Flow {
    static final Source AGENT = new Source("deal-agent", "crm", "pricing");

    private Flow() {
    }

    static StoredEvent append(EventLog log, String tenant, String trace, long seq, String type, Instant at, String payloadJson) {
        return append(log, tenant, trace, seq, type, Timestamps.toRfc3339(at), payloadJson);
    }

    /** As above with {@code occurred_at} given verbatim (the log stores any string, as the reference does). */
    static StoredEvent append(EventLog log, String tenant, String trace, long seq, String type, String occurredAt, String payloadJson) {
        EventEnvelope e = new EventEnvelope(trace + "-" + seq, trace, seq, type, occurredAt, AGENT,
                new Actor("agent", "deal-agent"), trace + ":" + seq, JsonParser.parse(payloadJson), null, null, 1, List.of());
        return log.append(tenant, e).eventOrNull();
    }

    /** TraceStarted, PolicyEvaluated (require_exception), ExceptionRequested {@code ex-<trace>} at {@code at}. */
    static void exceptionRequested(EventLog log, String tenant, String trace, Instant at, String reason) {
        append(log, tenant, trace, 0, "TraceStarted", at, "{\"workflow\":\"discount_approval\",\"title\":\"Discount for "
                + trace + "\",\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-" + trace + "\"}}");
        append(log, tenant, trace, 1, "PolicyEvaluated", at, "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},"
                + "\"inputs\":[],\"decision\":\"require_exception\"}");
        append(log, tenant, trace, 2, "ExceptionRequested", at, "{\"exception_id\":\"ex-" + trace + "\",\"policy\":{\"policy_id\":"
                + "\"discount-cap\",\"policy_version\":\"v3\"},\"reason\":\"" + reason + "\"}");
    }

    static void finish(EventLog log, String tenant, String trace, long fromSeq, Instant at) {
        append(log, tenant, trace, fromSeq, "ActionCommitted", at, "{\"action_id\":\"act-1\",\"status\":\"success\"}");
        append(log, tenant, trace, fromSeq + 1, "TraceFinished", at, "{\"outcome\":\"success\"}");
    }

    static String itemId(String trace) {
        return trace + ":exception:ex-" + trace;
    }

    static JsonObject body(String json) {
        return (JsonObject) JsonParser.parse(json);
    }
}
