package org.decisiongraph.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;
import org.junit.jupiter.api.Test;

/** Every query vector of every scenario, and the combined store's precedent queries, compared as JSON. */
class QueryVectorsTest {

    private static ProjectionQueries queries(Fixtures.Replayed r) {
        return new ProjectionQueries(r.store(), r.feed()::lastLogSeq);
    }

    @Test
    void scenarioQueryVectors() {
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        int inFile = 0;
        for (JsonObject scenario : Fixtures.scenarios()) {
            String traceId = scenario.getString("trace_id");
            ProjectionQueries q = queries(Fixtures.replay(Fixtures.scenarioEvents(scenario)));
            JsonObject vectors = scenario.getObject("query_vectors");
            for (Map.Entry<String, Json> v : vectors.members().entrySet()) {
                String key = v.getKey();
                if (key.equals("source")) {
                    continue;
                }
                inFile++;
                String what = scenario.getString("scenario") + " " + key;
                if (key.startsWith("subgraph_")) {
                    subgraph(soft, what, q, (JsonObject) v.getValue());
                } else if (key.equals("node_edges_trace_both_limit2_pages")) {
                    pages(soft, what, q, traceId, (JsonArray) v.getValue());
                } else if (key.equals("node_edges_trace_outgoing_limit100")) {
                    singlePage(soft, what, q, traceId, EdgeDirection.OUTGOING, (JsonArray) v.getValue());
                } else if (key.equals("node_edges_trace_incoming_limit100")) {
                    singlePage(soft, what, q, traceId, EdgeDirection.INCOMING, (JsonArray) v.getValue());
                } else if (key.equals("find_precedents_no_filter")) {
                    soft.assertThat(hits(q.findPrecedents(PrecedentQuery.all()))).as(what).isEqualTo(v.getValue());
                } else if (key.equals("find_precedents_policy_id")) {
                    JsonObject vec = (JsonObject) v.getValue();
                    soft.assertThat(hits(q.findPrecedents(precedentQuery(vec.getObject("params"))))).as(what)
                            .isEqualTo(vec.get("result"));
                } else {
                    fail("unknown query vector " + what);
                }
                ran++;
            }
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(inFile).isEqualTo(5 * 12);
    }

    @Test
    void combinedPrecedentQueries() {
        JsonObject combined = Fixtures.projections().getObject("combined_all_scenarios");
        ProjectionQueries q = queries(Fixtures.replay(Fixtures.combinedEvents()));
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        int inFile = 0;
        for (Map.Entry<String, Json> v : combined.members().entrySet()) {
            if (!v.getKey().startsWith("find_precedents")) {
                continue;
            }
            inFile++;
            PrecedentQuery query = switch (v.getKey()) {
                case "find_precedents_no_filter" -> PrecedentQuery.all();
                case "find_precedents_outcome_success_limit2" -> new PrecedentQuery(null, null, null, null, "success", 2);
                case "find_precedents_policy_discount_cap" -> new PrecedentQuery("discount_cap", null, null, null, null, 100);
                case "find_precedents_policy_renewal_discount_cap_v3_2" ->
                        new PrecedentQuery("renewal_discount_cap", "3.2", null, null, null, 100);
                case "find_precedents_entity_account" -> new PrecedentQuery(null, null, "account", null, null, 100);
                case "find_precedents_entity_account_crm_acct_42" ->
                        new PrecedentQuery(null, null, "account", "crm:acct:42", null, 100);
                default -> fail("unknown combined vector " + v.getKey());
            };
            soft.assertThat(hits(q.findPrecedents(query))).as(v.getKey()).isEqualTo(v.getValue());
            ran++;
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(inFile).isEqualTo(6);
        // the spec's stated order of the unfiltered search
        List<String> workflows = new ArrayList<>();
        for (Json hit : (JsonArray) combined.get("find_precedents_no_filter")) {
            workflows.add(((JsonObject) hit).getString("trace_id"));
        }
        assertThat(q.findPrecedents(PrecedentQuery.all()).stream().map(PrecedentHit::traceId).toList()).isEqualTo(workflows);
    }

    private static void subgraph(SoftAssertions soft, String what, ProjectionQueries q, JsonObject vector) {
        JsonObject p = vector.getObject("params");
        GraphFilter filter = GraphFilter.DEFAULTS;
        for (String key : p.keys()) {
            switch (key) {
                case "node_type", "node_id" -> {
                }
                case "max_depth" -> filter = filter.withMaxDepth(intOf(p, key));
                case "max_nodes" -> filter = filter.withLimits(intOf(p, key), filter.maxEdges());
                case "max_edges" -> filter = filter.withLimits(filter.maxNodes(), intOf(p, key));
                case "node_types" -> filter = filter.withNodeTypes(strings(p.getArray(key)));
                case "edge_types" -> filter = filter.withEdgeTypes(strings(p.getArray(key)));
                default -> fail("unknown subgraph parameter " + key + " in " + what);
            }
        }
        NodeRef center = new NodeRef(p.getString("node_type"), p.getString("node_id"));
        ContextSubgraph g = q.contextSubgraph(center, filter);
        JsonObject actual = JsonObject.builder()
                .put("node_ids", Json.strings(g.nodes().stream().map(NodeRow::nodeId).toList()))
                .put("edge_ids", Json.strings(g.edges().stream().map(EdgeRow::edgeId).toList()))
                .put("truncated", g.truncated())
                .build();
        soft.assertThat(actual).as(what).isEqualTo(vector.get("result"));
        soft.assertThat(g.toJson().getObject("center")).as(what + " center").isEqualTo(center.toJson());
    }

    private static void pages(SoftAssertions soft, String what, ProjectionQueries q, String traceId, JsonArray expected) {
        NodeRef node = new NodeRef("trace", traceId);
        EdgeCursor cursor = null;
        int i = 0;
        for (Json j : expected) {
            JsonObject page = (JsonObject) j;
            EdgePage actual = q.nodeEdges(node, EdgeDirection.BOTH, cursor, 2);
            soft.assertThat(pageJson(actual)).as(what + " page " + i).isEqualTo(page);
            if (cursor != null) {
                // the same page when the cursor carries no log_seq (looked up from the edge)
                EdgePage viaLookup = q.nodeEdges(node, EdgeDirection.BOTH,
                        new EdgeCursor(cursor.edgeKey(), cursor.direction(), null), 2);
                soft.assertThat(pageJson(viaLookup)).as(what + " page " + i + " via lookup").isEqualTo(page);
            }
            cursor = actual.nextCursor();
            i++;
        }
        soft.assertThat(cursor).as(what + " ends without a cursor").isNull();
    }

    private static void singlePage(SoftAssertions soft, String what, ProjectionQueries q, String traceId,
                                   EdgeDirection direction, JsonArray expectedIds) {
        EdgePage page = q.nodeEdges(new NodeRef("trace", traceId), direction, null, 100);
        soft.assertThat(Json.strings(page.edges().stream().map(EdgeRow::edgeId).toList())).as(what).isEqualTo(expectedIds);
        soft.assertThat(page.nextCursor()).as(what + " cursor").isNull();
    }

    private static JsonObject pageJson(EdgePage page) {
        return JsonObject.builder()
                .put("edge_ids", Json.strings(page.edges().stream().map(EdgeRow::edgeId).toList()))
                .put("next_cursor", page.nextCursor() == null ? JsonNull.INSTANCE : page.nextCursor().toJson())
                .build();
    }

    static PrecedentQuery precedentQuery(JsonObject p) {
        for (String key : p.keys()) {
            if (!List.of("policy_id", "policy_version", "entity_type", "entity_id", "outcome", "limit").contains(key)) {
                fail("unknown precedent parameter " + key);
            }
        }
        return new PrecedentQuery(p.getString("policy_id"), p.getString("policy_version"), p.getString("entity_type"),
                p.getString("entity_id"), p.getString("outcome"), p.has("limit") ? intOf(p, "limit") : 100);
    }

    static JsonArray hits(List<PrecedentHit> hits) {
        return Json.array(hits.stream().map(PrecedentHit::toJson).toList());
    }

    private static int intOf(JsonObject o, String key) {
        return (int) ((JsonInt) o.get(key)).longValue();
    }

    private static List<String> strings(JsonArray a) {
        return a.items().stream().map(j -> ((JsonString) j).value()).toList();
    }

}
