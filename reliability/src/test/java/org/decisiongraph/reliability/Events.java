package org.decisiongraph.reliability;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/** Valid envelopes of the workload: four-event traces (started, input, policy, finished) with distinct payloads. */
final class Events {
    static final int TRACE_LENGTH = 4;

    private Events() {
    }

    /** Event {@code seq} (0..3) of trace {@code traceId}; {@code salt} makes the payload distinct. */
    static JsonObject event(String traceId, int seq, long salt) {
        String type;
        String payload;
        switch (seq) {
            case 0 -> {
                type = "TraceStarted";
                payload = "{\"workflow\":\"reliability\",\"title\":\"crash cycle " + salt + "\",\"primary_entity\":"
                        + "{\"entity_type\":\"account\",\"entity_id\":\"acct-" + salt + "\",\"system\":\"crm\"}}";
            }
            case 1 -> {
                type = "InputObserved";
                payload = "{\"input_id\":\"input:size\",\"facts\":[{\"as_of\":null,\"key\":\"deal_value\",\"value\":"
                        + "{\"type\":\"int\",\"value\":\"" + salt + "\"}}],\"source\":{\"object_id\":\"opp-" + salt
                        + "\",\"object_type\":\"opportunity\",\"system\":\"crm\"}}";
            }
            case 2 -> {
                type = "PolicyEvaluated";
                payload = "{\"decision\":\"allow\",\"explanation\":{\"summary\":\"allowed " + salt + "\"},\"inputs\":[\"input:size\"],"
                        + "\"policy\":{\"policy_id\":\"baseline_discount\",\"policy_version\":\"1.0\"},\"violations\":[]}";
            }
            case 3 -> {
                type = "TraceFinished";
                payload = "{\"outcome\":\"success\",\"summary\":\"done " + salt + "\"}";
            }
            default -> throw new IllegalArgumentException("seq " + seq);
        }
        return envelope(traceId, seq, type, payload);
    }

    static JsonObject envelope(String traceId, int seq, String type, String payload) {
        return (JsonObject) JsonParser.parse("{\"event_id\":\"" + traceId + "-" + seq + "\",\"trace_id\":\"" + traceId
                + "\",\"trace_seq\":" + seq + ",\"event_type\":\"" + type + "\",\"occurred_at\":\"2026-01-01T00:00:0" + seq
                + "Z\",\"source\":{\"producer_id\":\"reliability\",\"system\":\"suite\",\"subsystem\":\"crash\"},"
                + "\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"reliability\"},\"idempotency_key\":\"" + traceId + ":" + seq
                + "\",\"payload\":" + payload + ",\"schema_version\":1,\"tags\":[]}");
    }

    /** The whole trace. */
    static List<Json> trace(String traceId, long salt) {
        List<Json> events = new ArrayList<>();
        for (int seq = 0; seq < TRACE_LENGTH; seq++) {
            events.add(event(traceId, seq, salt));
        }
        return events;
    }
}
