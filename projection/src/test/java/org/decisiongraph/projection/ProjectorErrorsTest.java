package org.decisiongraph.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decisiongraph.projection.TestLog.*;

import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonFloat;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.junit.jupiter.api.Test;

/** Per-event validation (payload hash, trace_seq) and the precedent schema checks, with their exact messages. */
class ProjectorErrorsTest {
    private static final String T = "trace-1";

    private static ProjectionFailedException failure(Runnable r) {
        try {
            r.run();
        } catch (ProjectionFailedException e) {
            return e;
        }
        throw new AssertionError("expected a ProjectionFailedException");
    }

    @Test
    void payloadHashMismatchIsAConflictAndRollsTheBatchBack() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        JsonObject payload = JsonObject.builder().put("input_id", "in-1").build();
        String good = org.decisiongraph.core.json.Hashing.payloadHash(payload);
        StoredEvent bad = log.addWithHash(T, "InputObserved", payload, "sha256:" + "0".repeat(64));
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, log.feed());

        ProjectionFailedException e = failure(() -> projector.catchUpAll(10));

        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_CONFLICT);
        assertThat(e.message()).isEqualTo("Payload hash mismatch for event " + bad.eventId() + ": expected " + good
                + ", got sha256:" + "0".repeat(64));
        assertThat(e.toString()).startsWith("DG_ERR_CONFLICT: Payload hash mismatch for event e2");
        assertThat(e.event()).isEqualTo(bad);
        assertThat(e.lastLogSeq()).isZero();
        assertThat(e.projections()).containsExactlyInAnyOrder(ProjectionName.values());
        // the whole batch (both events) was rolled back
        assertThat(Snapshot.of(store).nodes()).isEmpty();
        for (ProjectionName p : ProjectionName.values()) {
            assertThat(store.cursor(p)).isZero();
        }
        // with batch size 1 the first event commits and the failure stops at the second
        ProjectionFailedException again = failure(() -> projector.catchUp(ProjectionName.TRACE_SUMMARY, 1));
        assertThat(again.message()).isEqualTo(e.message());
        assertThat(again.lastLogSeq()).isEqualTo(1);
        assertThat(again.processedEvents()).isEqualTo(1);
        assertThat(store.cursor(ProjectionName.TRACE_SUMMARY)).isEqualTo(1);
        assertThat(store.traceSummary(T)).isPresent();
    }

    /**
     * The hash checks of a batch run before its write transaction; the first failing event of the batch, in log
     * order, still decides the error, whichever of the two checks fails there.
     */
    @Test
    void theFirstFailingEventOfABatchDecidesTheErrorWhicheverCheckFails() {
        JsonObject input = JsonObject.builder().put("input_id", "x").build();
        String zeros = "sha256:" + "0".repeat(64);

        TestLog gapFirst = new TestLog();
        gapFirst.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        gapFirst.add(T, 2, "InputObserved", input);
        gapFirst.add("t2", "TraceStarted", started("wf", entity("account", "a2", "crm")));
        gapFirst.addWithHash("t2", "InputObserved", input, zeros);
        gapFirst.add("t3", "TraceStarted", started("wf", entity("account", "a3", "crm")));
        gapFirst.add("t3", "InputObserved", JsonObject.builder().put("score", new JsonFloat("0.5")).build());
        ProjectionFailedException gap = failure(() -> new Projector(new InMemoryReadModelStore(), gapFirst.feed()).catchUpAll(10));
        assertThat(gap.code()).isEqualTo(ErrorCode.DG_ERR_EVENT_SEQUENCE_INVALID);
        assertThat(gap.event().logSeq()).isEqualTo(2);

        TestLog hashFirst = new TestLog();
        hashFirst.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        hashFirst.addWithHash(T, "InputObserved", input, zeros);
        hashFirst.add(T, 5, "InputObserved", input);
        ProjectionFailedException hash = failure(() -> new Projector(new InMemoryReadModelStore(), hashFirst.feed()).catchUpAll(10));
        assertThat(hash.code()).isEqualTo(ErrorCode.DG_ERR_CONFLICT);
        assertThat(hash.event().logSeq()).isEqualTo(2);

        TestLog floatFirst = new TestLog();
        floatFirst.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        floatFirst.add(T, "InputObserved", JsonObject.builder().put("score", new JsonFloat("0.5")).build());
        floatFirst.add(T, 7, "InputObserved", input);
        ProjectionFailedException schema = failure(() -> new Projector(new InMemoryReadModelStore(), floatFirst.feed()).catchUpAll(10));
        assertThat(schema.code()).isEqualTo(ErrorCode.DG_ERR_SCHEMA_VIOLATION);
        assertThat(schema.event().logSeq()).isEqualTo(2);
        // a batch that ends before the failing event commits
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, floatFirst.feed());
        projector.catchUpAll(10, 1);
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isEqualTo(1);
    }

    @Test
    void traceSeqGapIsEventSequenceInvalid() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "InputObserved", JsonObject.builder().put("input_id", "x").build());
        log.add(T, 3, "InputObserved", JsonObject.builder().put("input_id", "y").build());
        Projector projector = new Projector(new InMemoryReadModelStore(), log.feed());

        ProjectionFailedException e = failure(() -> projector.catchUp(ProjectionName.CONTEXT_GRAPH, 100));

        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_EVENT_SEQUENCE_INVALID);
        assertThat(e.message()).isEqualTo("trace_seq gap in trace trace-1: expected 2, got 3");
        assertThat(e.event().logSeq()).isEqualTo(3);
    }

    @Test
    void traceSeqGapIsFoundAfterARestartMidTrace() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "InputObserved", JsonObject.builder().put("input_id", "x").build());
        log.add(T, 4, "InputObserved", JsonObject.builder().put("input_id", "y").build());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        new Projector(store, log.feed()).catchUpAll(10, 2);
        assertThat(store.cursor(ProjectionName.PRECEDENT_INDEX)).isEqualTo(2);

        // a new projector knows nothing of trace-1: the expected trace_seq comes from the log
        ProjectionFailedException e = failure(() -> new Projector(store, log.feed()).catchUpAll(10));
        assertThat(e.message()).isEqualTo("trace_seq gap in trace trace-1: expected 2, got 4");
        assertThat(e.lastLogSeq()).isEqualTo(2);
    }

    @Test
    void aTraceThatDoesNotStartAtZeroIsAGap() {
        TestLog log = new TestLog();
        log.add("t0", 1, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        ProjectionFailedException e = failure(() -> new Projector(new InMemoryReadModelStore(), log.feed()).catchUpAll(10));
        assertThat(e.message()).isEqualTo("trace_seq gap in trace t0: expected 0, got 1");
    }

    @Test
    void aFloatInAStoredPayloadIsASchemaViolation() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "InputObserved", JsonObject.builder().put("input_id", "x").put("score", new JsonFloat("0.5")).build());
        ProjectionFailedException e = failure(() -> new Projector(new InMemoryReadModelStore(), log.feed()).catchUpAll(10));
        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_SCHEMA_VIOLATION);
        assertThat(e.message()).isEqualTo("Float found at '$.score': 0.5. Use string representation for decimals.");
    }

    @Test
    void policyEvaluatedWithoutVersionFailsOnlyThePrecedentIndex() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "PolicyEvaluated", policy("guard", null));
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, log.feed());

        ProjectionFailedException e = failure(() -> projector.catchUp(ProjectionName.PRECEDENT_INDEX, 10));
        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_SCHEMA_VIOLATION);
        assertThat(e.message()).isEqualTo("PolicyEvaluated requires policy_id and policy_version");
        assertThat(e.projections()).containsExactly(ProjectionName.PRECEDENT_INDEX);

        // the context graph does not validate policies: a version-less policy node
        CatchUpResult cg = projector.catchUp(ProjectionName.CONTEXT_GRAPH, 10);
        assertThat(cg.lastLogSeq()).isEqualTo(2);
        assertThat(store.nodes(List.of("policy:guard"))).extracting(NodeRow::nodeType).containsExactly("policy");
        // the single pass over all three fails as a whole (Python semantics)
        InMemoryReadModelStore fresh = new InMemoryReadModelStore();
        ProjectionFailedException all = failure(() -> new Projector(fresh, log.feed()).rebuildAll(10));
        assertThat(all.message()).isEqualTo("PolicyEvaluated requires policy_id and policy_version");
        assertThat(Snapshot.of(fresh).nodes()).isEmpty();
    }

    @Test
    void policyEvaluatedWithAnEmptyIdFails() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "PolicyEvaluated", policy("", "1.0"));
        ProjectionFailedException e = failure(() -> new Projector(new InMemoryReadModelStore(), log.feed())
                .catchUp(ProjectionName.PRECEDENT_INDEX, 10));
        assertThat(e.message()).isEqualTo("PolicyEvaluated requires policy_id and policy_version");
    }

    @Test
    void exceptionRequestedWithoutIdSurfacesAtTheFinish() {
        for (int maxOpenTraces : new int[] {100, 0}) {
            TestLog log = new TestLog();
            log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
            log.add(T, "ExceptionRequested", exception(null, "guard", "1.0"));
            log.add(T, "InputObserved", JsonObject.builder().put("input_id", "x").build());
            StoredEvent finish = log.add(T, "TraceFinished", finished("success"));
            InMemoryReadModelStore store = new InMemoryReadModelStore();
            // maxOpenTraces 0: the walk is read back from the log at the finish
            Projector projector = new Projector(store, log.feed(), maxOpenTraces);
            projector.catchUp(ProjectionName.PRECEDENT_INDEX, 1, 3);
            assertThat(store.cursor(ProjectionName.PRECEDENT_INDEX)).isEqualTo(3);

            ProjectionFailedException e = failure(() -> projector.catchUp(ProjectionName.PRECEDENT_INDEX, 1));
            assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_SCHEMA_VIOLATION);
            assertThat(e.message()).isEqualTo("ExceptionRequested requires policy and exception_id");
            assertThat(e.event()).isEqualTo(finish);
            assertThat(store.cursor(ProjectionName.PRECEDENT_INDEX)).isEqualTo(3);
        }
    }

    @Test
    void exceptionRequestedWithoutPolicyVersionSurfacesAtTheFinishAfterARestart() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "ExceptionRequested", exception("exc-1", "guard", ""));
        log.add(T, "TraceFinished", finished("success"));
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        new Projector(store, log.feed()).catchUpAll(10, 2);
        ProjectionFailedException e = failure(() -> new Projector(store, log.feed()).catchUpAll(10));
        assertThat(e.message()).isEqualTo("ExceptionRequested requires policy and exception_id");
        assertThat(e.projections()).containsExactlyInAnyOrder(ProjectionName.values());
    }

    @Test
    void argumentChecks() {
        Projector projector = new Projector(new InMemoryReadModelStore(), new TestLog().feed());
        assertThatThrownBy(() -> projector.catchUpAll(0))
                .isInstanceOfSatisfying(DgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
                    assertThat(e.message()).isEqualTo("batch_size must be positive, got 0");
                });
        assertThatThrownBy(() -> projector.rebuild(ProjectionName.CONTEXT_GRAPH, -3))
                .hasMessage("batch_size must be positive, got -3");
        assertThatThrownBy(() -> projector.catchUp(ProjectionName.TRACE_SUMMARY, 10, -1))
                .isInstanceOfSatisfying(DgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
                    assertThat(e.message()).isEqualTo("log sequence values must be non-negative, got -1");
                });
        assertThatThrownBy(() -> ProjectionName.parse("graph"))
                .isInstanceOfSatisfying(DgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
                    assertThat(e.message()).isEqualTo("Unknown projection 'graph'");
                });
        assertThat(ProjectionName.parse("precedent_index")).isEqualTo(ProjectionName.PRECEDENT_INDEX);
    }

    @Test
    void workflowReviewRequestedProducesNoRowsButMovesTheCursor() {
        TestLog log = new TestLog();
        log.add(T, "TraceStarted", started("wf", entity("account", "a1", "crm")));
        log.add(T, "WorkflowReviewRequested", JsonObject.builder().put("template_id", "tpl").put("sla_hours", Json.of(4)).build());
        log.add(T, "SomethingElse", JsonObject.empty());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        List<CatchUpResult> results = new Projector(store, log.feed()).catchUpAll(10);
        assertThat(results).extracting(CatchUpResult::lastLogSeq).containsOnly(3L);
        assertThat(results).extracting(CatchUpResult::processedEvents).containsOnly(3L);
        Snapshot snap = Snapshot.of(store);
        Snapshot onlyStart = Snapshot.of(Fixtures.replay(log.events().subList(0, 1)).store());
        assertThat(snap.digests()).isEqualTo(onlyStart.digests());
    }
}
