package org.decisiongraph.projection.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decisiongraph.projection.TestLog.entity;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.projection.TestLog;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.NodeRow;
import org.junit.jupiter.api.Test;

/**
 * Digests of non-ASCII data: rows ordered by code point (U+E000..U+FFFF before astral characters, unlike
 * {@link String#compareTo}) and escaped as {@code \\uXXXX} with lowercase hex and surrogate pairs. The expected
 * strings are written out by hand.
 */
class UnicodeDigestTest {
    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600

    private static InMemoryReadModelStore project() {
        TestLog log = new TestLog();
        log.add("t", "TraceStarted", JsonObject.builder()
                .put("workflow", "w\u007f\u0001\n/")
                .put("title", "Pr\u00fcfung " + EMOJI)
                .put("primary_entity", entity("x", "\u00e9", null))
                .build());
        for (String id : List.of(EMOJI, "\uE000", "\uFFFD", "z")) {
            log.add("t", "EntityObserved", JsonObject.builder().put("entity", entity("x", id, null))
                    .put("role", "related").put("facts", org.decisiongraph.core.json.Json.array(List.of())).build());
        }
        return Fixtures.replay(log.events()).store();
    }

    private static String node(String escapedId, String type, int logSeq) {
        return "{\"attrs\":{},\"created_at\":\"2025-12-31T12:00:0" + logSeq + "Z\",\"log_seq\":" + logSeq
                + ",\"node_id\":\"" + escapedId + "\",\"node_type\":\"" + type + "\",\"trace_id\":\"t\"}";
    }

    @Test
    void nodesAreInCodePointOrderAndEscaped() {
        InMemoryReadModelStore store = project();
        String expectedNodes = "\"nodes\":["
                + node("actor:agent:test-agent", "actor", 1) + ","
                + node("entity:x:z", "entity", 5) + ","
                + node("entity:x:\\u00e9", "entity", 1) + ","
                + node("entity:x:\\ue000", "entity", 3) + ","
                + node("entity:x:\\ufffd", "entity", 4) + ","
                + node("entity:x:\\ud83d\\ude00", "entity", 2) + ","
                + node("trace:t", "trace", 1) + "]}";
        String input = Digests.inputs(store).contextGraph();
        assertThat(input).endsWith(expectedNodes);
        assertThat(input.chars().allMatch(c -> c < 0x80)).as("the digest form is pure ASCII").isTrue();
        assertThat(Digests.contextGraph(store)).isEqualTo(Hashing.sha256(input));

        // String.compareTo would have put the astral entity before U+E000: the test distinguishes the two orders
        List<String> ids = new ArrayList<>();
        store.forEachNode(n -> ids.add(n.nodeId()));
        List<String> utf16Sorted = new ArrayList<>(ids);
        utf16Sorted.sort(String::compareTo);
        assertThat(utf16Sorted).isNotEqualTo(ids);
        assertThat(store.nodes(ids)).extracting(NodeRow::nodeId).isEqualTo(ids);
    }

    @Test
    void summaryStringsAreEscapedLikePython() {
        InMemoryReadModelStore store = project();
        String expected = "[{\"event_count\":1,\"finished_at\":null,\"last_log_seq\":1,\"outcome\":null,"
                + "\"primary_entity_id\":\"\\u00e9\",\"primary_entity_type\":\"x\","
                + "\"started_at\":\"2025-12-31T12:00:01Z\",\"title\":\"Pr\\u00fcfung \\ud83d\\ude00\","
                + "\"trace_id\":\"t\",\"workflow\":\"w\\u007f\\u0001\\n/\"}]";
        assertThat(Digests.inputs(store).traceSummary()).isEqualTo(expected);
        assertThat(Digests.traceSummary(store)).isEqualTo(Hashing.sha256(expected));
        ProjectionDigests d = Digests.compute(store);
        assertThat(d.fullProjection()).isEqualTo(Hashing.sha256(d.contextGraph() + ":" + d.traceSummary() + ":" + d.precedentIndex()));
    }
}
