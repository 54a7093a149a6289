package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ReadModelStore} must have; one subclass per implementation supplies a fresh,
 * empty store.
 */
public abstract class ReadModelStoreContract {
    protected static final Set<ProjectionName> ALL = EnumSet.allOf(ProjectionName.class);
    private static final String EMOJI = "\uD83D\uDE00";

    protected ReadModelStore store;

    protected abstract ReadModelStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private void write(java.util.function.Consumer<ReadModelWriter> work) {
        store.write(ALL, work);
    }

    private static NodeRow node(String id, long seq) {
        return new NodeRow(id, id.substring(0, id.indexOf(':')), "t", seq, "c" + seq);
    }

    private static EdgeRow edge(String id, String type, String from, String to, long seq) {
        return new EdgeRow(id, type, from, to, "t", seq, "c" + seq);
    }

    private static TraceSummaryRow summary(String trace, String entityType, String entityId, long seq) {
        return new TraceSummaryRow(trace, "wf", "title " + trace, entityType, "sys", entityId, null, "s" + seq, null, 1, seq);
    }

    private static PrecedentRow precedent(String id, long seq, String trace, String policy, String version, String exception) {
        return new PrecedentRow(id, seq, trace, policy, version, exception, "account", "sys", "a1");
    }

    private List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        store.forEachNode(n -> ids.add(n.nodeId()));
        return ids;
    }

    private List<String> edgeIds() {
        List<String> ids = new ArrayList<>();
        store.forEachEdge(e -> ids.add(e.edgeId()));
        return ids;
    }

    @Test
    void cursorsStartAtZeroAndMoveIndependently() {
        for (ProjectionName p : ProjectionName.values()) {
            assertThat(store.cursor(p)).isZero();
        }
        store.write(EnumSet.of(ProjectionName.TRACE_SUMMARY), w -> w.setCursor(ProjectionName.TRACE_SUMMARY, 7));
        assertThat(store.cursor(ProjectionName.TRACE_SUMMARY)).isEqualTo(7);
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isZero();
        store.write(ALL, w -> assertThat(w.cursor(ProjectionName.TRACE_SUMMARY)).isEqualTo(7));
    }

    @Test
    void nodesFirstWriterWinsInCodePointOrder() {
        write(w -> {
            w.insertNodeIfAbsent(node("entity:" + EMOJI, 1));
            w.insertNodeIfAbsent(node("entity:\uE000", 2));
            w.insertNodeIfAbsent(node("entity:z", 3));
            w.insertNodeIfAbsent(node("entity:z", 9));
            w.insertNodeIfAbsent(node("action:a", 4));
        });
        assertThat(nodeIds()).containsExactly("action:a", "entity:z", "entity:\uE000", "entity:" + EMOJI);
        assertThat(store.nodes(List.of("entity:z", "missing:x", "action:a", "entity:z")))
                .containsExactly(node("action:a", 4), node("entity:z", 3));
    }

    @Test
    void edgesTouchingAreOrderedDedupedFilteredAndLimited() {
        write(w -> {
            w.insertEdgeIfAbsent(edge("e:3", "x", "n:a", "n:b", 1));
            w.insertEdgeIfAbsent(edge("e:1", "y", "n:b", "n:c", 2));
            w.insertEdgeIfAbsent(edge("e:\uE000", "x", "n:c", "n:a", 3));
            w.insertEdgeIfAbsent(edge("e:" + EMOJI, "x", "n:a", "n:a", 4));
            w.insertEdgeIfAbsent(edge("e:2", "x", "n:d", "n:e", 5));
            w.insertEdgeIfAbsent(edge("e:2", "x", "n:a", "n:a", 6));
        });
        assertThat(edgeIds()).containsExactly("e:1", "e:2", "e:3", "e:\uE000", "e:" + EMOJI);
        assertThat(store.edge("e:2")).contains(edge("e:2", "x", "n:d", "n:e", 5));
        assertThat(store.edgesTouching(List.of("n:a", "n:b"), null, 100)).extracting(EdgeRow::edgeId)
                .containsExactly("e:1", "e:3", "e:\uE000", "e:" + EMOJI);
        assertThat(store.edgesTouching(List.of("n:a", "n:b"), List.of("x"), 100)).extracting(EdgeRow::edgeId)
                .containsExactly("e:3", "e:\uE000", "e:" + EMOJI);
        assertThat(store.edgesTouching(List.of("n:a", "n:b"), null, 2)).extracting(EdgeRow::edgeId)
                .containsExactly("e:1", "e:3");
        assertThat(store.edgesTouching(List.of("n:zzz"), null, 5)).isEmpty();
    }

    @Test
    void edgePagesInLogSeqThenEdgeIdOrder() {
        write(w -> {
            w.insertEdgeIfAbsent(edge("b", "x", "n:a", "n:b", 2));
            w.insertEdgeIfAbsent(edge("a", "x", "n:c", "n:a", 2));
            w.insertEdgeIfAbsent(edge("c", "x", "n:a", "n:a", 1));
            w.insertEdgeIfAbsent(edge("d", "x", "n:a", "n:d", 3));
        });
        assertThat(store.edgesOf("n:a", EdgeDirection.BOTH, null, 10)).extracting(EdgeRow::edgeId)
                .containsExactly("c", "a", "b", "d");
        assertThat(store.edgesOf("n:a", EdgeDirection.OUTGOING, null, 10)).extracting(EdgeRow::edgeId)
                .containsExactly("c", "b", "d");
        assertThat(store.edgesOf("n:a", EdgeDirection.INCOMING, null, 10)).extracting(EdgeRow::edgeId)
                .containsExactly("c", "a");
        assertThat(store.edgesOf("n:a", EdgeDirection.BOTH, new EdgePosition(2, "a"), 10)).extracting(EdgeRow::edgeId)
                .containsExactly("b", "d");
        assertThat(store.edgesOf("n:a", EdgeDirection.BOTH, new EdgePosition(1, "zzz"), 2)).extracting(EdgeRow::edgeId)
                .containsExactly("a", "b");
        assertThat(store.edgesOf("n:unknown", EdgeDirection.BOTH, null, 10)).isEmpty();
    }

    @Test
    void traceSummaryStartRestartAndFinish() {
        write(w -> {
            w.startTraceSummary(summary("t1", "account", "a1", 1));
            w.finishTraceSummary("nope", "success", "f", 2);
        });
        assertThat(store.traceSummary("t1")).contains(summary("t1", "account", "a1", 1));
        assertThat(store.traceSummary("nope")).isEmpty();
        write(w -> {
            w.startTraceSummary(summary("t1", "other", "o", 3));
            w.finishTraceSummary("t1", "failure", "f4", 4);
        });
        TraceSummaryRow row = store.traceSummary("t1").orElseThrow();
        assertThat(row).isEqualTo(new TraceSummaryRow("t1", "wf", "title t1", "account", "sys", "a1", "failure", "s1", "f4", 3, 4));
        List<String> ids = new ArrayList<>();
        write(w -> {
            w.startTraceSummary(summary(EMOJI, null, null, 5));
            w.startTraceSummary(summary("\uE000", null, null, 6));
        });
        store.forEachTraceSummary(s -> ids.add(s.traceId()));
        assertThat(ids).containsExactly("t1", "\uE000", EMOJI);
    }

    @Test
    void policyEvalsInsertIfAbsentInLogSeqOrder() {
        write(w -> {
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("t:p:1:e3", "t", "p", "1", 3, "c3"));
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("t:p:1:e1", "t", "p", "1", 1, "c1"));
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("t:p:1:e1", "t", "p", "9", 7, "c7"));
        });
        List<PolicyEvalRow> rows = new ArrayList<>();
        store.forEachPolicyEval(rows::add);
        assertThat(rows).extracting(PolicyEvalRow::indexId).containsExactly("t:p:1:e1", "t:p:1:e3");
        assertThat(rows.getFirst().policyVersion()).isEqualTo("1");
    }

    @Test
    void precedentsAreReplacedPerTrace() {
        write(w -> w.replacePrecedents("t1", List.of(precedent("e2", 2, "t1", "p", "1", null), precedent("e1", 1, "t1", "p", "1", null))));
        write(w -> w.replacePrecedents("t1", List.of(precedent("e5", 5, "t1", "q", "2", "x"))));
        write(w -> w.replacePrecedents("t2", List.of(precedent("e3", 3, "t2", "p", "1", null))));
        List<String> ids = new ArrayList<>();
        store.forEachPrecedent(p -> ids.add(p.sourceEventId()));
        assertThat(ids).containsExactly("e3", "e5");
        write(w -> w.replacePrecedents("t1", List.of()));
        ids.clear();
        store.forEachPrecedent(p -> ids.add(p.sourceEventId()));
        assertThat(ids).containsExactly("e3");
    }

    private void finishedTrace(String trace, long finishSeq, String entityType, String entityId, String outcome) {
        write(w -> {
            w.startTraceSummary(summary(trace, entityType, entityId, finishSeq - 1));
            w.finishTraceSummary(trace, outcome, "f" + finishSeq, finishSeq);
        });
    }

    @Test
    void precedentSearchOrderFiltersAndBestRow() {
        finishedTrace("t-b", 10, "account", "a1", "success");
        finishedTrace("t-a", 10, "account", "a2", "failure");
        finishedTrace("t-c", 20, "ticket", "z1", "success");
        finishedTrace("t-\uE000", 5, "account", "a1", "success");
        finishedTrace("t-" + EMOJI, 5, "account", "a1", "success");
        write(w -> w.startTraceSummary(summary("t-open", "account", "a1", 30)));
        write(w -> {
            w.replacePrecedents("t-b", List.of(
                    precedent("b1", 1, "t-b", "p", "1", null),
                    precedent("b3", 3, "t-b", "p", "2", null),
                    precedent("b2", 2, "t-b", "p", "1", "exc")));
            w.replacePrecedents("t-a", List.of(precedent("a2", 7, "t-a", "p", "1", null), precedent("a1", 7, "t-a", "p", "3", null)));
            w.replacePrecedents("t-c", List.of(precedent("c1", 1, "t-c", "other", "1", null)));
            w.replacePrecedents("t-open", List.of(precedent("o1", 1, "t-open", "p", "1", null)));
        });

        List<PrecedentMatch> all = store.findPrecedents(new PrecedentSearch(null, null, null, null, null, 100));
        assertThat(all).extracting(m -> m.summary().traceId()).containsExactly("t-c", "t-a", "t-b", "t-\uE000", "t-" + EMOJI);
        assertThat(all).allSatisfy(m -> assertThat(m.policyId()).isNull());

        assertThat(store.findPrecedents(new PrecedentSearch(null, null, null, null, null, 2)))
                .extracting(m -> m.summary().traceId()).containsExactly("t-c", "t-a");
        assertThat(store.findPrecedents(new PrecedentSearch(null, null, "account", "a1", "success", 100)))
                .extracting(m -> m.summary().traceId()).containsExactly("t-b", "t-\uE000", "t-" + EMOJI);

        List<PrecedentMatch> byPolicy = store.findPrecedents(new PrecedentSearch("p", null, null, null, null, 100));
        assertThat(byPolicy).extracting(m -> m.summary().traceId()).containsExactly("t-a", "t-b");
        // t-a: same log_seq, smallest source_event_id wins; t-b: the exception row wins over newer rows
        assertThat(byPolicy).extracting(PrecedentMatch::policyVersion).containsExactly("3", "1");
        List<PrecedentMatch> v2 = store.findPrecedents(new PrecedentSearch("p", "2", null, null, null, 100));
        assertThat(v2).extracting(m -> m.summary().traceId()).containsExactly("t-b");
        assertThat(v2.getFirst().policyVersion()).isEqualTo("2");
        assertThat(store.findPrecedents(new PrecedentSearch("p", null, null, null, "failure", 100)))
                .extracting(m -> m.summary().traceId()).containsExactly("t-a");
        assertThat(store.findPrecedents(new PrecedentSearch("none", null, null, null, null, 100))).isEmpty();
    }

    @Test
    void clearTouchesOnlyItsProjection() {
        write(w -> {
            w.insertNodeIfAbsent(node("trace:t", 1));
            w.insertEdgeIfAbsent(edge("e", "x", "trace:t", "trace:t", 1));
            w.startTraceSummary(summary("t", null, null, 1));
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("i", "t", "p", "1", 1, "c"));
            w.replacePrecedents("t", List.of(precedent("e1", 1, "t", "p", "1", null)));
            for (ProjectionName p : ProjectionName.values()) {
                w.setCursor(p, 1);
            }
        });
        store.write(EnumSet.of(ProjectionName.CONTEXT_GRAPH), w -> w.clear(ProjectionName.CONTEXT_GRAPH));
        assertThat(nodeIds()).isEmpty();
        assertThat(edgeIds()).isEmpty();
        assertThat(store.edgesOf("trace:t", EdgeDirection.BOTH, null, 5)).isEmpty();
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isZero();
        assertThat(store.traceSummary("t")).isPresent();
        assertThat(store.cursor(ProjectionName.TRACE_SUMMARY)).isEqualTo(1);
        store.write(EnumSet.of(ProjectionName.PRECEDENT_INDEX), w -> w.clear(ProjectionName.PRECEDENT_INDEX));
        List<Object> rows = new ArrayList<>();
        store.forEachPrecedent(rows::add);
        store.forEachPolicyEval(rows::add);
        assertThat(rows).isEmpty();
        store.write(EnumSet.of(ProjectionName.TRACE_SUMMARY), w -> w.clear(ProjectionName.TRACE_SUMMARY));
        assertThat(store.traceSummary("t")).isEmpty();
    }

    @Test
    void aFailedWriteChangesNothing() {
        write(w -> {
            w.insertNodeIfAbsent(node("trace:t", 1));
            w.startTraceSummary(summary("t", null, null, 1));
            w.replacePrecedents("t", List.of(precedent("e1", 1, "t", "p", "1", null)));
            w.setCursor(ProjectionName.CONTEXT_GRAPH, 1);
        });
        assertThatThrownBy(() -> write(w -> {
            w.insertNodeIfAbsent(node("trace:u", 2));
            w.insertEdgeIfAbsent(edge("e", "x", "trace:t", "trace:u", 2));
            w.finishTraceSummary("t", "success", "f", 2);
            w.replacePrecedents("t", List.of(precedent("e9", 2, "t", "q", "1", null)));
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("i", "t", "p", "1", 2, "c"));
            w.setCursor(ProjectionName.CONTEXT_GRAPH, 2);
            w.putDigestCheckpoint(new DigestCheckpoint("context_graph", "sha256:x", 2, "now"));
            w.clear(ProjectionName.TRACE_SUMMARY);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(nodeIds()).containsExactly("trace:t");
        assertThat(edgeIds()).isEmpty();
        assertThat(store.edgesOf("trace:t", EdgeDirection.BOTH, null, 5)).isEmpty();
        assertThat(store.traceSummary("t")).contains(summary("t", null, null, 1));
        List<String> precedents = new ArrayList<>();
        store.forEachPrecedent(p -> precedents.add(p.sourceEventId()));
        assertThat(precedents).containsExactly("e1");
        List<PolicyEvalRow> evals = new ArrayList<>();
        store.forEachPolicyEval(evals::add);
        assertThat(evals).isEmpty();
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isEqualTo(1);
        assertThat(store.digestCheckpoint("context_graph")).isEmpty();
        assertThat(store.findPrecedents(new PrecedentSearch(null, null, null, null, null, 10))).isEmpty();
        // the store is usable afterwards
        write(w -> w.finishTraceSummary("t", "success", "f", 3));
        assertThat(store.findPrecedents(new PrecedentSearch(null, null, null, null, null, 10))).hasSize(1);
    }

    @Test
    void digestCheckpointsAreUpsertedByName() {
        write(w -> w.putDigestCheckpoint(new DigestCheckpoint("full_projection", "sha256:a", 1, "t1")));
        write(w -> w.putDigestCheckpoint(new DigestCheckpoint("full_projection", "sha256:b", 2, "t2")));
        assertThat(store.digestCheckpoint("full_projection")).contains(new DigestCheckpoint("full_projection", "sha256:b", 2, "t2"));
        assertThat(store.digestCheckpoint("context_graph")).isEmpty();
    }
}
