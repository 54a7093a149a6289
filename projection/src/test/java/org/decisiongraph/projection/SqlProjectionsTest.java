package org.decisiongraph.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.assertj.core.api.SoftAssertions;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.SqlDatabases.Backend;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.digest.RowJson;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.AppendOutcome;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The golden scenarios, the combined store and generated logs through the SQL path on SQLite and Postgres. */
class SqlProjectionsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC);

    private static void append(Projections p, List<EventEnvelope> envelopes) {
        for (AppendOutcome o : p.eventLog().appendBatch(p.tenantId(), envelopes)) {
            assertThat(o).isInstanceOf(AppendOutcome.Appended.class);
        }
    }

    private static void assertDigests(SoftAssertions soft, String what, ProjectionDigests actual, JsonObject expected) {
        soft.assertThat(actual.contextGraph()).as(what + " context_graph").isEqualTo(expected.getString("context_graph"));
        soft.assertThat(actual.traceSummary()).as(what + " trace_summary").isEqualTo(expected.getString("trace_summary"));
        soft.assertThat(actual.precedentIndex()).as(what + " precedent_index").isEqualTo(expected.getString("precedent_index"));
        soft.assertThat(actual.fullProjection()).as(what + " full_projection").isEqualTo(expected.getString("full_projection"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void goldenScenariosGiveTheirDigestsRowsAndCheckpoints(Backend backend) {
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        for (JsonObject scenario : Fixtures.scenarios()) {
            String name = scenario.getString("scenario");
            try (Database db = SqlDatabases.open(backend)) {
                Projections p = Projections.open(db, null, CLOCK);
                append(p, Fixtures.envelopes(scenario.getArray("events")));
                p.catchUp();
                Snapshot snap = Snapshot.of(p.store());
                assertDigests(soft, name, snap.digests(), scenario.getObject("expected_digests"));
                JsonObject rows = scenario.getObject("expected_projection_rows");
                soft.assertThat(snap.nodes()).as(name + " nodes").isEqualTo(rows.getArray("nodes"));
                soft.assertThat(snap.edges()).as(name + " edges").isEqualTo(rows.getArray("edges"));
                soft.assertThat(snap.precedents()).as(name + " precedents").isEqualTo(rows.getArray("precedent_index"));
                soft.assertThat(snap.policyEvals()).as(name + " evals").isEqualTo(rows.getArray("policy_eval_index"));
                soft.assertThat(RowJson.traceSummary(snap.summaries().getFirst())).as(name + " summary")
                        .isEqualTo(rows.getObject("trace_summary"));
                long cursor = GoldenScenariosTest.longOf(rows, "projection_cursor");
                for (ProjectionName pn : ProjectionName.values()) {
                    soft.assertThat(snap.cursors().get(pn)).as(name + " cursor " + pn).isEqualTo(cursor);
                }
                JsonObject expected = scenario.getObject("expected_digests");
                for (String key : List.of("context_graph", "trace_summary", "precedent_index", "full_projection")) {
                    DigestCheckpoint c = p.store().digestCheckpoint(key).orElseThrow();
                    soft.assertThat(c.digest()).as(name + " checkpoint " + key).isEqualTo(expected.getString(key));
                    soft.assertThat(c.lastLogSeq()).as(name + " checkpoint seq " + key).isEqualTo(cursor);
                    soft.assertThat(c.updatedAt()).isEqualTo("2026-02-03T04:05:06.000000Z");
                }
                soft.assertThat(p.verify().clean()).as(name + " verify").isTrue();
                ran++;
            }
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bundleSnapshotsThroughTheSqlPath(Backend backend) {
        SoftAssertions soft = new SoftAssertions();
        int ran = 0;
        for (var j : Fixtures.bundle().getArray("scenarios")) {
            JsonObject scenario = (JsonObject) j;
            try (Database db = SqlDatabases.open(backend)) {
                Projections p = Projections.open(db, "tenant-x", CLOCK);
                append(p, Fixtures.envelopes(scenario.getArray("events")));
                p.catchUp(3);
                Snapshot snap = Snapshot.of(p.store());
                String name = scenario.getString("scenario");
                assertDigests(soft, name, snap.digests(), scenario.getObject("expected_digests"));
                JsonObject expected = scenario.getObject("projection_snapshot");
                soft.assertThat(snap.nodes()).as(name).isEqualTo(expected.getObject("context_graph").getArray("nodes"));
                soft.assertThat(snap.edges()).as(name).isEqualTo(expected.getObject("context_graph").getArray("edges"));
                soft.assertThat(snap.precedents()).as(name).isEqualTo(expected.getArray("precedent_index"));
                soft.assertThat(snap.policyEvals()).as(name).isEqualTo(expected.getArray("policy_eval_index"));
                soft.assertThat(RowJson.traceSummary(snap.summaries().getFirst())).isEqualTo(expected.getObject("trace_summary"));
                ran++;
            }
        }
        soft.assertAll();
        assertThat(ran).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void combinedStoreInSmallBatchesThenRebuild(Backend backend) {
        JsonObject combined = Fixtures.projections().getObject("combined_all_scenarios");
        try (Database db = SqlDatabases.open(backend)) {
            Projections p = Projections.open(db, null, CLOCK);
            append(p, Fixtures.combinedEvents().stream().map(StoredEvent::envelope).toList());
            p.catchUp(7);
            SoftAssertions soft = new SoftAssertions();
            assertDigests(soft, "catch-up", p.digests(), combined.getObject("digests"));
            assertDigests(soft, "rebuild", p.rebuild().isEmpty() ? null : p.digests(), combined.getObject("digests"));
            soft.assertThat(p.health(true).toJson().get("digests")).isEqualTo(p.digests().toJson());
            soft.assertThat(p.health(false).projectedLastSeq()).isEqualTo(40);
            soft.assertThat(p.store().digestCheckpoint("full_projection").orElseThrow().digest())
                    .isEqualTo(combined.getObject("digests").getString("full_projection"));
            soft.assertAll();
            assertThat(p.verify().clean()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void staleProjectionsRefuseReads(Backend backend) {
        try (Database db = SqlDatabases.open(backend)) {
            Projections p = Projections.open(db, null, CLOCK);
            List<JsonObject> scenarios = Fixtures.scenarios();
            append(p, Fixtures.envelopes(scenarios.get(0).getArray("events")));
            p.catchUp();
            long first = p.eventLog().lastLogSeq(null);
            String trace = p.eventLog().listEvents(null, org.decisiongraph.store.log.EventQuery.ALL).getFirst().traceId();
            assertThat(p.queries().traceSummary(trace).traceId()).isEqualTo(trace);
            append(p, Fixtures.envelopes(scenarios.get(1).getArray("events")));
            long last = p.eventLog().lastLogSeq(null);
            for (Runnable read : List.<Runnable>of(
                    () -> p.queries().traceSummary(trace),
                    () -> p.queries().contextSubgraph(new NodeRef("trace", trace)),
                    () -> p.queries().findPrecedents(PrecedentQuery.all()))) {
                assertThatThrownBy(read::run).isInstanceOfSatisfying(DgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_PROJECTION_OUT_OF_DATE);
                    assertThat(e.message()).isEqualTo("Projections at log_seq=" + first + ", events at " + last);
                });
            }
            assertThat(p.health(false).isStale()).isTrue();
            ServiceHealth service = p.serviceHealth();
            assertThat(service.eventLogLastSeq()).isEqualTo(last);
            assertThat(service.projections()).extracting(ServiceHealth.Status::projection)
                    .containsExactlyElementsOf(ProjectionName.CANONICAL_ORDER);
            assertThat(service.projections()).allSatisfy(st -> {
                assertThat(st.lastLogSeq()).isEqualTo(first);
                assertThat(st.isStale()).isTrue();
                assertThat(st.pendingEvents()).isEqualTo(last - first);
                assertThat(st.updatedAt()).isEqualTo("2026-02-03T04:05:06.000000Z");
                assertThat(st.openFailures()).isZero();
            });
            assertThat(service.fullDigest()).isEqualTo(p.store().digestCheckpoint("full_projection").orElseThrow().digest());
            assertThat(service.openRuns()).isEmpty();
            assertThat(service.toJson().getArray("projections").size()).isEqualTo(3);
            assertThat(p.health(false).pendingEvents()).isEqualTo(last - first);
            assertThat(p.verify().clean()).isTrue(); // stale is not corrupt
            p.catchUp();
            assertThat(p.queries().findPrecedents(PrecedentQuery.all())).hasSize(2);
        }
    }

    /** Two facades (as two processes would) catching up the same tenant at the same time serialise on the locks. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentCatchUpsOfOneTenantGiveTheRebuildState(Backend backend) throws Exception {
        List<EventEnvelope> envelopes = TraceGenerator.generate(TraceGenerator.Config.realistic(77, 60));
        try (Database db = SqlDatabases.open(backend)) {
            Projections first = Projections.open(db, null, CLOCK);
            Projections second = Projections.open(db, null, CLOCK);
            append(first, envelopes);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (Projections p : List.of(first, second)) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 3; i++) {
                            p.catchUp(7);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            ProjectionDigests concurrent = first.digests();
            assertThat(first.health(false).projectedLastSeq()).isEqualTo(envelopes.size());
            assertThat(first.verify().clean()).isTrue();
            first.rebuild();
            assertThat(first.digests()).isEqualTo(concurrent);
        }
    }

    /**
     * A generated log (unicode, oddities, open traces, review events) in both databases: catch-up in random batch
     * sizes with restarts (a new facade each round) equals a rebuild and the in-memory replay, and both databases
     * give identical digests.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {11, 12})
    void randomBatchesWithRestartsEqualRebuildOnBothBackends(long seed) {
        TraceGenerator.Config config = TraceGenerator.Config.realistic(seed, 70).withShape(6, 20, 4)
                .withRates(0.3, 0.3, 0.15, 0.1, 0.3).withUnicode(true);
        List<EventEnvelope> envelopes = TraceGenerator.generate(config);
        List<ProjectionDigests> results = new ArrayList<>();
        ProjectionDigests memory = Fixtures.replay(Fixtures.stored(envelopes, 1)).store() == null ? null
                : org.decisiongraph.projection.digest.Digests.compute(Fixtures.replay(Fixtures.stored(envelopes, 1)).store());
        for (Backend backend : Backend.values()) {
            try (Database db = SqlDatabases.open(backend)) {
                SplittableRandom random = new SplittableRandom(seed);
                int appended = 0;
                while (appended < envelopes.size()) {
                    int n = Math.min(envelopes.size() - appended, 1 + random.nextInt(120));
                    append(Projections.open(db, "t", CLOCK), envelopes.subList(appended, appended + n));
                    appended += n;
                    Projections restarted = Projections.open(db, "t", CLOCK);
                    if (random.nextBoolean()) {
                        restarted.catchUp(1 + random.nextInt(50));
                    } else {
                        ProjectionName one = ProjectionName.values()[random.nextInt(3)];
                        restarted.projector().catchUp(one, 1 + random.nextInt(50));
                    }
                }
                Projections p = Projections.open(db, "t", CLOCK);
                p.catchUp(1 + random.nextInt(40));
                ProjectionDigests caughtUp = p.digests();
                assertThat(p.verify().clean()).as(backend + " verify").isTrue();
                p.rebuild(1 + random.nextInt(300));
                assertThat(p.digests()).as(backend + " rebuild").isEqualTo(caughtUp);
                assertThat(caughtUp).as(backend + " in-memory replay").isEqualTo(memory);
                results.add(caughtUp);
            }
        }
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isEqualTo(results.get(1));
    }
}
