package org.decisiongraph.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.projection.ListEventFeed;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.junit.jupiter.api.Test;

/** Every validation and staleness message of the queries (projections spec 5.1, 6.3-6.6, Appendix B). */
class QueryValidationTest {
    private static final String DEALDESK = "dddddddd-dddd-dddd-dddd-dddddddddddd";
    private static final NodeRef TRACE = new NodeRef("trace", DEALDESK);

    private final Fixtures.Replayed replayed = Fixtures.replay(Fixtures.scenarioEvents(Fixtures.scenarios().getFirst()));
    private final ProjectionQueries q = new ProjectionQueries(replayed.store(), replayed.feed()::lastLogSeq);

    private static void fails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).isEqualTo(message);
        });
    }

    private static void invalid(ThrowingCallable call, String message) {
        fails(call, ErrorCode.DG_ERR_INVALID_ARGUMENT, message);
    }

    @Test
    void traceSummary() {
        assertThat(q.traceSummary(DEALDESK).outcome()).isEqualTo("success");
        assertThat(TraceSummaryJson.library(q.traceSummary(DEALDESK)).keys()).hasSize(8);
        fails(() -> q.traceSummary("nope"), ErrorCode.DG_ERR_NOT_FOUND, "Trace not found: nope");
    }

    @Test
    void graphFilterMessages() {
        GraphFilter f = GraphFilter.DEFAULTS;
        invalid(() -> q.contextSubgraph(TRACE, f.withMaxDepth(-1)), "max_depth must be non-negative");
        invalid(() -> q.contextSubgraph(TRACE, f.withMaxDepth(11)), "max_depth must be <= 10");
        invalid(() -> q.contextSubgraph(TRACE, f.withLimits(0, 5)), "max_nodes must be positive");
        invalid(() -> q.contextSubgraph(TRACE, f.withLimits(5, 0)), "max_edges must be positive");
        invalid(() -> q.contextSubgraph(TRACE, f.withEdgeTypes(List.of())), "edge_types must not be empty if specified");
        invalid(() -> q.contextSubgraph(TRACE, f.withNodeTypes(List.of())), "node_types must not be empty if specified");
        // the first violated rule wins
        invalid(() -> q.contextSubgraph(TRACE, new GraphFilter(List.of(), List.of(), 11, 0, 0)), "max_depth must be <= 10");
        assertThat(q.contextSubgraph(TRACE, f.withMaxDepth(10)).truncated()).isFalse();
        assertThat(GraphFilter.DEFAULTS).isEqualTo(new GraphFilter(null, null, 1, 100, 500));
    }

    @Test
    void unknownCenterGivesAnEmptySubgraph() {
        ContextSubgraph g = q.contextSubgraph(new NodeRef("trace", "nope"), GraphFilter.DEFAULTS.withMaxDepth(3));
        assertThat(g.nodes()).isEmpty();
        assertThat(g.edges()).isEmpty();
        assertThat(g.truncated()).isFalse();
    }

    @Test
    void edgeTypeFilterKeepsOnlyThoseEdges() {
        ContextSubgraph g = q.contextSubgraph(TRACE, GraphFilter.DEFAULTS.withEdgeTypes(List.of("trace_involves_entity")));
        assertThat(g.edges()).isNotEmpty().allSatisfy(e -> assertThat(e.edgeType()).isEqualTo("trace_involves_entity"));
        assertThat(g.nodes()).extracting(n -> n.nodeType()).containsOnly("trace", "entity");
    }

    @Test
    void nodeEdgeMessages() {
        invalid(() -> q.nodeEdges(TRACE, EdgeDirection.BOTH, null, 0), "limit must be positive, got 0");
        invalid(() -> q.nodeEdges(TRACE, EdgeDirection.BOTH, null, -4), "limit must be positive, got -4");
        invalid(() -> q.nodeEdges(TRACE, EdgeDirection.BOTH, null, 10_001), "limit must be between 1 and 10000, got 10001");
        assertThat(q.nodeEdges(TRACE, EdgeDirection.BOTH, null, 10_000).edges()).hasSize(7);
        EdgeCursor outgoing = new EdgeCursor("some-edge", EdgeDirection.OUTGOING, 3L);
        invalid(() -> q.nodeEdges(TRACE, EdgeDirection.BOTH, outgoing, 2), "cursor.direction must match direction argument");
        invalid(() -> q.nodeEdges(TRACE, EdgeDirection.BOTH, new EdgeCursor("missing-edge", EdgeDirection.BOTH, null), 2),
                "cursor.edge_key not found: missing-edge");
        invalid(() -> new EdgeCursor("", EdgeDirection.BOTH, null), "edge_key must not be empty");
        invalid(() -> new EdgeCursor(null, EdgeDirection.BOTH, null), "edge_key must not be empty");
        invalid(() -> new EdgeCursor("k", EdgeDirection.BOTH, 0L), "log_seq must be positive when provided");
        invalid(() -> EdgeDirection.parse("sideways"), "direction must be \"outgoing\", \"incoming\", or \"both\"");
        assertThat(EdgeDirection.parse("incoming")).isEqualTo(EdgeDirection.INCOMING);
        // an unknown node has no edges
        assertThat(q.nodeEdges(new NodeRef("trace", "nope"), EdgeDirection.BOTH, null, 5).edges()).isEmpty();
    }

    @Test
    void precedentQueryMessages() {
        invalid(() -> new PrecedentQuery(null, "1.0", null, null, null, 100), "policy_version requires policy_id");
        invalid(() -> new PrecedentQuery(null, "", null, null, null, 100), "policy_version requires policy_id");
        invalid(() -> new PrecedentQuery(null, null, null, "x", null, 100), "entity_id requires entity_type");
        invalid(() -> new PrecedentQuery(null, null, null, null, null, 0), "limit must be positive");
        invalid(() -> new PrecedentQuery(null, null, null, null, null, 10_001), "limit must be <= 10000");
        assertThat(new PrecedentQuery(null, null, null, null, null, 10_000).limit()).isEqualTo(10_000);
    }

    @Test
    void precedentFiltersApplyOnlyWhenNonEmpty() {
        // "" is not a filter: an empty policy_id searches summaries, so the policy fields stay null
        List<PrecedentHit> hits = q.findPrecedents(new PrecedentQuery("", "1.0", "", "", "", 100));
        assertThat(hits).extracting(PrecedentHit::traceId).containsExactly(DEALDESK);
        assertThat(hits.getFirst().policyId()).isNull();
        // a version filter that matches nothing
        assertThat(q.findPrecedents(new PrecedentQuery("baseline_discount", "9.9", null, null, null, 100))).isEmpty();
        assertThat(q.findPrecedents(new PrecedentQuery(null, null, null, null, "failure", 100))).isEmpty();
        assertThat(q.findPrecedents(new PrecedentQuery(null, null, "opportunity", "sf:opp:789", "success", 100)))
                .extracting(PrecedentHit::traceId).containsExactly(DEALDESK);
    }

    @Test
    void staleReadsFailBeforeArgumentChecks() {
        List<StoredEvent> events = Fixtures.scenarioEvents(Fixtures.scenarios().getFirst());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        ListEventFeed feed = ListEventFeed.of(events);
        Projector projector = new Projector(store, feed);
        projector.catchUp(ProjectionName.CONTEXT_GRAPH, 2, 4);
        ProjectionQueries stale = new ProjectionQueries(store, feed::lastLogSeq);
        ErrorCode ood = ErrorCode.DG_ERR_PROJECTION_OUT_OF_DATE;

        fails(() -> stale.contextSubgraph(TRACE, GraphFilter.DEFAULTS.withMaxDepth(99)), ood, "Projections at log_seq=4, events at 9");
        fails(() -> stale.nodeEdges(TRACE, EdgeDirection.BOTH, null, 0), ood, "Projections at log_seq=4, events at 9");
        fails(() -> stale.traceSummary(DEALDESK), ood, "Projections at log_seq=0, events at 9");
        fails(() -> stale.findPrecedents(PrecedentQuery.all()), ood, "Projections at log_seq=0, events at 9");

        projector.catchUp(ProjectionName.CONTEXT_GRAPH, 100);
        projector.catchUp(ProjectionName.PRECEDENT_INDEX, 100);
        assertThat(stale.contextSubgraph(TRACE).nodes()).isNotEmpty();
        // precedents read the summaries too: still stale while trace_summary lags (decision P10)
        fails(() -> stale.findPrecedents(PrecedentQuery.all()), ood, "Projections at log_seq=0, events at 9");
        projector.catchUp(ProjectionName.TRACE_SUMMARY, 3, 3);
        fails(() -> stale.findPrecedents(PrecedentQuery.all()), ood, "Projections at log_seq=3, events at 9");
        fails(() -> stale.traceSummary("nope"), ood, "Projections at log_seq=3, events at 9");
        projector.catchUp(ProjectionName.TRACE_SUMMARY, 100);
        assertThat(stale.findPrecedents(PrecedentQuery.all())).hasSize(1);
        fails(() -> stale.traceSummary("nope"), ErrorCode.DG_ERR_NOT_FOUND, "Trace not found: nope");
    }

    @Test
    void catchUpUntilReportsPendingEvents() {
        List<StoredEvent> events = Fixtures.scenarioEvents(Fixtures.scenarios().getFirst());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, ListEventFeed.of(events));
        // the reference's integration case: batch size 2 up to log_seq 4 gives cursor 4 and 5 pending
        var result = projector.catchUp(ProjectionName.TRACE_SUMMARY, 2, 4);
        assertThat(result.lastLogSeq()).isEqualTo(4);
        assertThat(result.processedEvents()).isEqualTo(4);
        assertThat(result.pendingEvents()).isEqualTo(5);
        var rest = projector.catchUp(ProjectionName.TRACE_SUMMARY, 2);
        assertThat(rest.lastLogSeq()).isEqualTo(9);
        assertThat(rest.processedEvents()).isEqualTo(5);
        assertThat(rest.pendingEvents()).isZero();
        var noop = projector.catchUp(ProjectionName.TRACE_SUMMARY, 2);
        assertThat(noop.processedEvents()).isZero();
    }
}
