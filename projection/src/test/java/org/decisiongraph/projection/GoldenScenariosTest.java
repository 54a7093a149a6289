package org.decisiongraph.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.digest.DigestInputs;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.digest.RowJson;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.TraceSummaryRow;
import org.junit.jupiter.api.Test;

/**
 * The five golden scenarios, the empty store, the combined 40-event store and the dealdesk prefixes of
 * vectors-projections.json, plus the repository bundle's snapshots.
 */
class GoldenScenariosTest {

    private static void assertDigests(SoftAssertions soft, String what, ProjectionDigests actual, JsonObject expected) {
        soft.assertThat(actual.contextGraph()).as(what + " context_graph").isEqualTo(expected.getString("context_graph"));
        soft.assertThat(actual.traceSummary()).as(what + " trace_summary").isEqualTo(expected.getString("trace_summary"));
        soft.assertThat(actual.precedentIndex()).as(what + " precedent_index").isEqualTo(expected.getString("precedent_index"));
        soft.assertThat(actual.fullProjection()).as(what + " full_projection").isEqualTo(expected.getString("full_projection"));
    }

    @Test
    void everyScenarioReplaysToItsDigestsRowsAndDigestInputs() {
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        for (JsonObject scenario : Fixtures.scenarios()) {
            String name = scenario.getString("scenario");
            List<StoredEvent> events = Fixtures.scenarioEvents(scenario);
            soft.assertThat((long) events.size()).as(name + " event_count")
                    .isEqualTo(((org.decisiongraph.core.json.JsonInt) scenario.get("event_count")).longValue());
            List<String> hashes = events.stream().map(StoredEvent::payloadHash).toList();
            soft.assertThat(hashes).as(name + " payload hashes")
                    .isEqualTo(strings(scenario.getArray("derived_payload_hashes")));

            InMemoryReadModelStore store = Fixtures.replay(events).store();
            Snapshot snap = Snapshot.of(store);
            assertDigests(soft, name, snap.digests(), scenario.getObject("expected_digests"));

            JsonObject rows = scenario.getObject("expected_projection_rows");
            soft.assertThat(snap.nodes()).as(name + " nodes").isEqualTo(rows.getArray("nodes"));
            soft.assertThat(snap.edges()).as(name + " edges").isEqualTo(rows.getArray("edges"));
            soft.assertThat(snap.precedents()).as(name + " precedent_index").isEqualTo(rows.getArray("precedent_index"));
            soft.assertThat(snap.policyEvals()).as(name + " policy_eval_index").isEqualTo(rows.getArray("policy_eval_index"));
            soft.assertThat(snap.summaries()).as(name + " one summary").hasSize(1);
            TraceSummaryRow summary = snap.summaries().getFirst();
            soft.assertThat(RowJson.traceSummary(summary)).as(name + " trace_summary").isEqualTo(rows.getObject("trace_summary"));
            String system = events.getFirst().payload() instanceof JsonObject p ? p.getObject("primary_entity").getString("system") : null;
            soft.assertThat(summary.primaryEntitySystem()).as(name + " primary_entity_system").isEqualTo(system);
            long cursor = ((org.decisiongraph.core.json.JsonInt) rows.get("projection_cursor")).longValue();
            for (ProjectionName p : ProjectionName.values()) {
                soft.assertThat(snap.cursors().get(p)).as(name + " cursor " + p).isEqualTo(cursor);
            }

            DigestInputs inputs = Digests.inputs(store);
            JsonObject expectedInputs = scenario.getObject("derived_digest_inputs");
            soft.assertThat(inputs.contextGraph()).as(name + " cg input").isEqualTo(expectedInputs.getString("context_graph"));
            soft.assertThat(inputs.traceSummary()).as(name + " ts input").isEqualTo(expectedInputs.getString("trace_summary"));
            soft.assertThat(inputs.precedentIndex()).as(name + " pi input").isEqualTo(expectedInputs.getString("precedent_index"));
            soft.assertThat(inputs.fullProjection()).as(name + " full input").isEqualTo(expectedInputs.getString("full_projection"));
            ran++;
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(5).isEqualTo(Fixtures.projections().getArray("scenarios").size());
    }

    @Test
    void bundleSnapshotsAgreeWithTheReplay() {
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        for (Json j : Fixtures.bundle().getArray("scenarios")) {
            JsonObject scenario = (JsonObject) j;
            String name = scenario.getString("scenario");
            InMemoryReadModelStore store = Fixtures.replay(Fixtures.stored(Fixtures.envelopes(scenario.getArray("events")), 1)).store();
            Snapshot snap = Snapshot.of(store);
            assertDigests(soft, "bundle " + name, snap.digests(), scenario.getObject("expected_digests"));
            JsonObject expected = scenario.getObject("projection_snapshot");
            JsonObject cg = expected.getObject("context_graph");
            soft.assertThat(snap.nodes()).as(name + " nodes").isEqualTo(cg.getArray("nodes"));
            soft.assertThat(snap.edges()).as(name + " edges").isEqualTo(cg.getArray("edges"));
            soft.assertThat((long) snap.nodes().size()).isEqualTo(((org.decisiongraph.core.json.JsonInt) cg.get("node_count")).longValue());
            soft.assertThat((long) snap.edges().size()).isEqualTo(((org.decisiongraph.core.json.JsonInt) cg.get("edge_count")).longValue());
            soft.assertThat(snap.precedents()).as(name + " precedents").isEqualTo(expected.getArray("precedent_index"));
            soft.assertThat(snap.policyEvals()).as(name + " policy evals").isEqualTo(expected.getArray("policy_eval_index"));
            soft.assertThat(RowJson.traceSummary(snap.summaries().getFirst())).isEqualTo(expected.getObject("trace_summary"));
            soft.assertThat(snap.cursors().get(ProjectionName.CONTEXT_GRAPH))
                    .isEqualTo(((org.decisiongraph.core.json.JsonInt) expected.get("projection_cursor")).longValue());
            ran++;
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(Fixtures.bundle().getArray("scenarios").size()).isEqualTo(5);
    }

    @Test
    void emptyStoreDigests() {
        JsonObject section = Fixtures.projections().getObject("empty_projection_digests");
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        ProjectionDigests digests = Digests.compute(store);
        SoftAssertions soft = new SoftAssertions();
        assertDigests(soft, "empty", digests, section.getObject("digests"));
        DigestInputs inputs = Digests.inputs(store);
        JsonObject expectedInputs = section.getObject("digests").getObject("inputs");
        soft.assertThat(inputs.contextGraph()).isEqualTo(expectedInputs.getString("context_graph"));
        soft.assertThat(inputs.traceSummary()).isEqualTo(expectedInputs.getString("trace_summary"));
        soft.assertThat(inputs.precedentIndex()).isEqualTo(expectedInputs.getString("precedent_index"));
        soft.assertAll();
        // the four digests and three inputs of the section were all compared
        assertThat(section.getObject("digests").size()).isEqualTo(5);
        assertThat(expectedInputs.size()).isEqualTo(3);
    }

    @Test
    void combinedStoreOfAllScenarios() {
        JsonObject combined = Fixtures.projections().getObject("combined_all_scenarios");
        List<StoredEvent> events = Fixtures.combinedEvents();
        Fixtures.Replayed replayed = Fixtures.replay(events);
        Snapshot snap = Snapshot.of(replayed.store());
        SoftAssertions soft = new SoftAssertions();
        assertDigests(soft, "combined", snap.digests(), combined.getObject("digests"));
        soft.assertThat(replayed.feed().lastLogSeq()).isEqualTo(longOf(combined, "event_log_last_seq"));
        soft.assertThat((long) snap.nodes().size()).isEqualTo(longOf(combined, "node_count"));
        soft.assertThat((long) snap.edges().size()).isEqualTo(longOf(combined, "edge_count"));
        soft.assertThat((long) snap.precedents().size()).isEqualTo(longOf(combined, "precedent_rows"));
        soft.assertThat((long) snap.summaries().size()).isEqualTo(longOf(combined, "trace_summaries"));
        soft.assertAll();
    }

    @Test
    void dealdeskPrefixDigestsAfterEveryLogSeq() {
        JsonObject section = Fixtures.projections().getObject("dealdesk_prefix_digests");
        JsonObject dealdesk = Fixtures.scenarios().getFirst();
        assertThat(dealdesk.getString("scenario")).isEqualTo("dealdesk");
        List<StoredEvent> events = Fixtures.scenarioEvents(dealdesk);
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, ListEventFeed.of(events));
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        for (Json j : section.getArray("steps")) {
            JsonObject step = (JsonObject) j;
            long after = longOf(step, "after_log_seq");
            projector.catchUpAll(1, after);
            assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isEqualTo(after);
            assertDigests(soft, "after " + after, Digests.compute(store), step);
            // the prefix property: a rebuild over events 1..after gives the same state
            Snapshot rebuilt = Snapshot.of(Fixtures.replay(events.subList(0, (int) after)).store());
            soft.assertThat(rebuilt.digests()).as("rebuild of prefix " + after).isEqualTo(Digests.compute(store));
            ran++;
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(section.getArray("steps").size()).isEqualTo(10);
    }

    static long longOf(JsonObject o, String key) {
        return ((org.decisiongraph.core.json.JsonInt) o.get(key)).longValue();
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (Json j : a) {
            out.add(((JsonString) j).value());
        }
        return out;
    }
}
