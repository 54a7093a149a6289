package org.decisiongraph.projection.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decisiongraph.projection.TestLog.entity;
import static org.decisiongraph.projection.TestLog.exception;
import static org.decisiongraph.projection.TestLog.finished;
import static org.decisiongraph.projection.TestLog.started;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.projection.TestLog;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.TraceSummaryRow;
import org.junit.jupiter.api.Test;

/** Node and edge emission, first-writer-wins and placeholder rules (projections spec 2.2-2.4). */
class GraphRulesTest {

    private static Map<String, NodeRow> nodes(InMemoryReadModelStore store) {
        Map<String, NodeRow> out = new TreeMap<>();
        store.forEachNode(n -> out.put(n.nodeId(), n));
        return out;
    }

    private static List<String> edgeIds(InMemoryReadModelStore store) {
        List<String> out = new java.util.ArrayList<>();
        store.forEachEdge(e -> out.add(e.edgeId()));
        return out;
    }

    @Test
    void citedTraceNodeKeepsTheCitingEventsPositionAndItsOwnTraceId() {
        TestLog log = new TestLog();
        log.add("A", "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add("A", "PrecedentCited", JsonObject.builder().put("cited_trace_id", "B").put("reason", "similar").build());
        log.add("B", "TraceStarted", started("wf", entity("account", "a1", "crm")));
        InMemoryReadModelStore store = Fixtures.replay(log.events()).store();
        NodeRow b = nodes(store).get("trace:B");
        assertThat(b).isEqualTo(new NodeRow("trace:B", "trace", "B", 2, "2025-12-31T12:00:02Z"));
        // the shared entity node belongs to the first trace
        assertThat(nodes(store).get("entity:account:a1").traceId()).isEqualTo("A");
        assertThat(edgeIds(store)).contains("trace_cited_precedent:trace:A:trace:B:e2");
    }

    @Test
    void placeholdersForCommitWithoutProposalApprovalBeforeRequestAndTargets() {
        TestLog log = new TestLog();
        log.add("A", "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add("A", "ActionCommitted", JsonObject.builder().put("action_id", "act-9").put("status", "success").build());
        log.add("A", "ApprovalRecorded", JsonObject.builder().put("approval_id", "ap1")
                .put("subject", JsonObject.builder().put("subject_type", "exception").put("subject_id", "exc-7").build())
                .put("approver", JsonObject.builder().put("actor_type", "person").put("actor_id", "lead").build())
                .put("decision", "approved").build());
        log.add("B", "TraceStarted", started("wf", entity("account", "a2", "crm")));
        log.add("B", "ExceptionRequested", exception("exc-7", "guard", "1"));
        log.add("B", "ActionProposed", JsonObject.builder().put("action_id", "act-9").put("action_type", "update")
                .put("target_entity", entity("invoice", "inv-1", "erp")).put("target_system", "erp")
                .put("changes", Json.array(List.of())).build());
        InMemoryReadModelStore store = Fixtures.replay(log.events()).store();
        Map<String, NodeRow> nodes = nodes(store);
        assertThat(nodes.get("action:act-9")).isEqualTo(new NodeRow("action:act-9", "action", "A", 2, "2025-12-31T12:00:02Z"));
        assertThat(nodes.get("exception:exc-7")).isEqualTo(new NodeRow("exception:exc-7", "exception", "A", 3, "2025-12-31T12:00:03Z"));
        assertThat(nodes.get("actor:person:lead").traceId()).isEqualTo("A");
        assertThat(nodes.get("entity:invoice:inv-1")).isEqualTo(new NodeRow("entity:invoice:inv-1", "entity", "B", 6, "2025-12-31T12:00:06Z"));
        assertThat(edgeIds(store)).contains(
                "trace_committed_action:trace:A:action:act-9:e2",
                "exception_approved_by:exception:exc-7:actor:person:lead:e3",
                "trace_requested_exception:trace:B:exception:exc-7:e5",
                "trace_proposed_action:trace:B:action:act-9:e6",
                "action_targets_entity:action:act-9:entity:invoice:inv-1:e6");
    }

    @Test
    void selfCitationIsListedOnceInBothDirections() {
        TestLog log = new TestLog();
        log.add("A", "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add("A", "PrecedentCited", JsonObject.builder().put("cited_trace_id", "A").put("reason", "self").build());
        Fixtures.Replayed r = Fixtures.replay(log.events());
        ProjectionQueries q = new ProjectionQueries(r.store(), r.feed()::lastLogSeq);
        List<EdgeRow> both = q.nodeEdges(new NodeRef("trace", "A"), EdgeDirection.BOTH, null, 100).edges();
        assertThat(both).extracting(EdgeRow::edgeId)
                .containsExactly("trace_involves_entity:trace:A:entity:account:a1:e1", "trace_cited_precedent:trace:A:trace:A:e2");
        assertThat(q.contextSubgraph(new NodeRef("trace", "A")).edges()).hasSize(2);
    }

    @Test
    void pythonDefaultsForMissingNullAndOddValues() {
        TestLog log = new TestLog();
        log.add("A", "TraceStarted", JsonObject.builder().put("workflow", "wf").put("title", "t").build());
        log.add("A", "InputObserved", JsonObject.empty());
        log.add("A", "InputObserved", JsonObject.builder().put("input_id", JsonNull.INSTANCE).build());
        log.add("A", "InputObserved", JsonObject.builder().put("input_id", Json.of(5)).build());
        log.add("A", "PolicyEvaluated", JsonObject.builder().put("policy", JsonObject.builder().put("policy_version", "2").build()).build());
        log.add("A", "PolicyEvaluated", JsonObject.builder().put("policy", JsonObject.builder().put("policy_id", "p")
                .put("policy_version", JsonNull.INSTANCE).build()).build());
        log.add("A", "ApprovalRecorded", JsonObject.builder()
                .put("subject", JsonObject.builder().put("subject_type", "action").put("subject_id", "x").build()).build());
        log.add("A", "ActionProposed", JsonObject.builder().put("target_entity", JsonObject.empty()).build());
        log.add("A", "PrecedentCited", JsonObject.builder().put("cited_trace_id", "").build());
        log.add("A", "ActionCommitted", JsonObject.builder().put("action_id", Json.of(false)).build());
        log.add("A", "EntityObserved", JsonObject.builder().put("entity", JsonObject.builder().put("entity_id", "e").build()).build());
        log.add("B", "TraceStarted", JsonObject.builder().put("workflow", "wf").put("title", "t")
                .put("primary_entity", JsonObject.empty()).build());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        new org.decisiongraph.projection.Projector(store, log.feed())
                .catchUp(org.decisiongraph.store.readmodel.ProjectionName.CONTEXT_GRAPH, 100);
        assertThat(nodes(store).keySet()).containsExactlyInAnyOrder(
                "trace:A", "actor:agent:test-agent", "input:e2", "input:None", "input:5",
                "policy:unknown:e5:2", "policy:p", "actor:person:unknown", "action:e8", "entity:unknown:e",
                "trace:B", "entity:unknown:unknown");
        // no edge for an action subject, an empty target, an empty citation or a falsy action_id
        assertThat(edgeIds(store)).noneMatch(id -> id.startsWith("exception_approved_by")
                || id.startsWith("action_targets_entity") || id.startsWith("trace_cited_precedent")
                || id.startsWith("trace_committed_action"));
        assertThat(edgeIds(store)).contains("trace_involves_entity:trace:B:entity:unknown:unknown:e12");
    }

    @Test
    void traceSummaryRules() {
        TestLog log = new TestLog();
        log.add("A", "TraceStarted", JsonObject.builder().put("workflow", "wf").put("title", "t").build());
        log.add("A", "InputObserved", JsonObject.builder().put("input_id", "x").build());
        log.add("A", 2, "TraceStarted", started("again", entity("account", "a1", "crm")));
        log.add("A", "TraceFinished", JsonObject.empty());
        log.add("Z", 0, "TraceFinished", finished("failure"));
        log.add("B", "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add("B", "TraceFinished", JsonObject.builder().put("outcome", JsonNull.INSTANCE).build());
        InMemoryReadModelStore store = Fixtures.replay(log.events()).store();
        TraceSummaryRow a = store.traceSummary("A").orElseThrow();
        assertThat(a).isEqualTo(new TraceSummaryRow("A", "wf", "t", null, null, null, "success",
                "2025-12-31T12:00:01Z", "2025-12-31T12:00:04Z", 3, 4));
        assertThat(store.traceSummary("Z")).isEmpty();
        TraceSummaryRow b = store.traceSummary("B").orElseThrow();
        assertThat(b.outcome()).isNull();
        assertThat(b.eventCount()).isEqualTo(2);
        assertThat(b.primaryEntitySystem()).isEqualTo("crm");
    }
}
