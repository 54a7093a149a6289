package org.decisiongraph.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Refs.ApprovalSubject;
import org.decisiongraph.core.event.Refs.EntityRef;
import org.decisiongraph.core.event.Refs.PolicyRef;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library facade on a real SQLite file: default keys, retry safety, inline projection, reads. */
class DecisionGraphFacadeTest {
    private static final Source SRC = new Source("agent-1", "crm", null);
    private static final Actor AGENT = new Actor("agent", "deal-bot");

    @TempDir
    Path dir;

    private DecisionGraph open() {
        AtomicInteger n = new AtomicInteger();
        IdGenerator ids = () -> "id-" + n.incrementAndGet();
        Clock clock = Clock.fixed(Instant.parse("2026-01-15T10:30:45.123456Z"), ZoneOffset.UTC);
        return DecisionGraph.over(Database.sqlite(dir.resolve("lib.db")), clock, ids);
    }

    @Test
    void typedMethodsUseTheReferenceKeysAndProjectInline() {
        try (DecisionGraph dg = open()) {
            String trace = dg.startTrace("renewal", "Review renewal", new EntityRef("account", "acct-123"), SRC, AGENT, null, "T");
            assertThat(trace).isEqualTo("T");
            // retrying start_trace returns the same stored event (the sequence number is ignored by reuse)
            assertThat(dg.startTrace("renewal", "Review renewal", new EntityRef("account", "acct-123"), SRC, AGENT, null, "T"))
                    .isEqualTo("T");
            List<StoredEvent> events = dg.getTraceEvents("T");
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().idempotencyKey()).isEqualTo("start:T");
            assertThat(events.getFirst().occurredAt()).isEqualTo("2026-01-15T10:30:45.123456Z");
            assertThat(events.getFirst().payloadHash())
                    .isEqualTo("sha256:c9ed0f9c2de34390ab8f26a38b03c4e72a0fa33ba94a39d62037f3882a4982d1");

            StoredEvent policy = dg.evaluatePolicy("T", new PolicyRef("discount-cap", "1.0"), List.of("input-1"), "allow",
                    SRC, AGENT, null, null, DecisionGraph.Tail.DEFAULTS);
            assertThat(policy.idempotencyKey()).isEqualTo("PolicyEvaluated:T:1");
            assertThat(policy.payloadHash()).isEqualTo("sha256:0574ec4bd1fe4436bec63bb7ba6fdbedeef0ea3aa8da85184057ecd8c7bc81e6");
            dg.requestException("T", "ex-1", new PolicyRef("discount-cap", "1.0"), "over cap", SRC, AGENT, null,
                    DecisionGraph.Tail.DEFAULTS.withIdempotencyKey("ex-key"));
            dg.recordApproval("T", "ap-1", new ApprovalSubject("exception", "ex-1"), new Actor("person", "alice"),
                    "approved", SRC, AGENT, "", null, DecisionGraph.Tail.DEFAULTS);
            StoredEvent finished = dg.finishTrace("T", "success", SRC, AGENT, null);
            assertThat(dg.finishTrace("T", "success", SRC, AGENT, null).logSeq()).isEqualTo(finished.logSeq());
            assertThatThrownBy(() -> dg.finishTrace("T", "failure", SRC, AGENT, null))
                    .isInstanceOfSatisfying(DgException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_IDEMPOTENCY_CONFLICT));
            assertThat(dg.isTraceFinished("T")).isTrue();

            ProjectionHealth health = dg.getProjectionHealth(true);
            assertThat(health.projectedLastSeq()).isEqualTo(health.eventLogLastSeq()).isEqualTo(5);
            assertThat(dg.getContextSubgraph("trace", "T", 1).nodes()).isNotEmpty();
            assertThat(dg.findPrecedents(new PrecedentQuery("discount-cap", null, null, null, null, 100)))
                    .extracting(h -> h.traceId()).containsExactly("T");
            assertThat(dg.syncProjections(1000)).isZero();
            String before = health.digests().fullProjection();
            dg.replayProjections(1000);
            assertThat(dg.getProjectionHealth(true).digests().fullProjection()).isEqualTo(before);
        }
    }

    @Test
    void unknownTraceIsNotFoundAndBadBatchSizeIsRejected() {
        try (DecisionGraph dg = open()) {
            assertThatThrownBy(() -> dg.getTraceEvents("nope")).isInstanceOfSatisfying(DgException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_NOT_FOUND);
                assertThat(e.message()).isEqualTo("Trace not found: nope");
            });
            assertThatThrownBy(() -> dg.syncProjections(0)).isInstanceOfSatisfying(DgException.class,
                    e -> assertThat(e.message()).isEqualTo("batch_size must be positive"));
            assertThatThrownBy(() -> dg.appendEvent("t", "WorkflowReviewRequested", JsonObject.empty(), SRC, AGENT,
                    DecisionGraph.Tail.DEFAULTS)).isInstanceOfSatisfying(DgException.class,
                    e -> assertThat(e.message()).isEqualTo("Unknown event_type 'WorkflowReviewRequested'"));
        }
    }
}
