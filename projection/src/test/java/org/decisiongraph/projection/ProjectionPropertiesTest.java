package org.decisiongraph.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The equivalence invariants of projections spec 3.4 over random valid logs: catch-up in any batch sizes, per
 * projection or all together, with restarts in between, gives exactly the rows and digests of one rebuild;
 * appending and catching up equals rebuilding; digests do not depend on the order rows were inserted.
 */
class ProjectionPropertiesTest {

    @Provide
    Arbitrary<TraceGenerator.Config> logs() {
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Integer> traces = Arbitraries.integers().between(1, 40);
        Arbitrary<Integer> concurrent = Arbitraries.integers().between(1, 8);
        Arbitrary<Integer> entities = Arbitraries.integers().between(1, 12);
        Arbitrary<Integer> policies = Arbitraries.integers().between(1, 5);
        Arbitrary<Double> rate = Arbitraries.doubles().between(0, 1);
        Arbitrary<Boolean> unicode = Arbitraries.of(true, false);
        return Combinators.combine(seed, traces, concurrent, entities, policies, rate, rate, unicode)
                .as((s, t, c, e, p, exceptions, oddities, u) -> new TraceGenerator.Config(s, t, c, e, p, 2.0, exceptions,
                        0.5, 0.25, 0.1, oddities, u, Instant.parse("2025-12-31T00:00:00Z")));
    }

    private static List<StoredEvent> events(TraceGenerator.Config config) {
        return Fixtures.stored(TraceGenerator.generate(config), 1);
    }

    @Property(tries = 150)
    void catchUpInRandomBatchesWithRestartsEqualsOneRebuild(@ForAll("logs") TraceGenerator.Config config,
                                                            @ForAll long choices) {
        List<StoredEvent> events = events(config);
        Snapshot expected = Snapshot.of(Fixtures.replay(events).store());

        SplittableRandom random = new SplittableRandom(choices);
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        ListEventFeed feed = ListEventFeed.of(events);
        Projector projector = new Projector(store, feed, random.nextInt(4));
        long last = feed.lastLogSeq();
        int rounds = 0;
        while (ProjectionName.CANONICAL_ORDER.stream().anyMatch(p -> store.cursor(p) < last)) {
            if (random.nextInt(5) == 0) {
                // a restart: nothing but the stored cursors and rows carries over
                projector = new Projector(store, feed, random.nextInt(6));
            }
            int batch = 1 + random.nextInt(random.nextBoolean() ? 3 : 50);
            long until = random.nextInt(3) == 0 ? Long.MAX_VALUE : random.nextLong(last + 1);
            int which = random.nextInt(4);
            if (which == 3) {
                projector.catchUpAll(batch, until);
            } else {
                projector.catchUp(ProjectionName.values()[which], batch, until);
            }
            rounds++;
        }
        assertThat(rounds).isPositive();
        assertThat(Snapshot.of(store)).isEqualTo(expected);
    }

    @Property(tries = 80)
    void appendingAndCatchingUpEqualsRebuilding(@ForAll("logs") TraceGenerator.Config config, @ForAll long choices) {
        List<StoredEvent> events = events(config);
        SplittableRandom random = new SplittableRandom(choices);
        int split = random.nextInt(events.size() + 1);
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        ListEventFeed feed = ListEventFeed.of(events.subList(0, split));
        Projector projector = new Projector(store, feed);
        projector.catchUpAll(1 + random.nextInt(20));
        assertThat(Snapshot.of(store)).isEqualTo(Snapshot.of(Fixtures.replay(events.subList(0, split)).store()));

        events.subList(split, events.size()).forEach(feed::append);
        List<CatchUpResult> results = new ArrayList<>();
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            results.add(projector.catchUp(p, 1 + random.nextInt(20)));
        }
        assertThat(results).allSatisfy(r -> {
            assertThat(r.processedEvents()).isEqualTo(events.size() - split);
            assertThat(r.pendingEvents()).isZero();
        });
        Snapshot caughtUp = Snapshot.of(store);
        assertThat(caughtUp).isEqualTo(Snapshot.of(Fixtures.replay(events).store()));

        projector.rebuildAll(1 + random.nextInt(100));
        assertThat(Snapshot.of(store)).isEqualTo(caughtUp);
        projector.rebuild(ProjectionName.values()[random.nextInt(3)], 1 + random.nextInt(100));
        assertThat(Snapshot.of(store)).isEqualTo(caughtUp);
    }

    @Property(tries = 40)
    void digestsDoNotDependOnInsertionOrder(@ForAll("logs") TraceGenerator.Config config, @ForAll Random random) {
        InMemoryReadModelStore source = Fixtures.replay(events(config)).store();
        List<NodeRow> nodes = new ArrayList<>();
        source.forEachNode(nodes::add);
        List<EdgeRow> edges = new ArrayList<>();
        source.forEachEdge(edges::add);
        List<TraceSummaryRow> summaries = new ArrayList<>();
        source.forEachTraceSummary(summaries::add);
        Map<String, List<PrecedentRow>> precedents = new HashMap<>();
        source.forEachPrecedent(p -> precedents.computeIfAbsent(p.traceId(), k -> new ArrayList<>()).add(p));
        Collections.shuffle(nodes, random);
        Collections.shuffle(edges, random);
        Collections.shuffle(summaries, random);
        List<String> traces = new ArrayList<>(precedents.keySet());
        Collections.shuffle(traces, random);

        InMemoryReadModelStore copy = new InMemoryReadModelStore();
        copy.write(java.util.EnumSet.allOf(ProjectionName.class), w -> {
            edges.forEach(w::insertEdgeIfAbsent);
            nodes.forEach(w::insertNodeIfAbsent);
            summaries.forEach(w::startTraceSummary);
            for (String trace : traces) {
                List<PrecedentRow> rows = new ArrayList<>(precedents.get(trace));
                Collections.shuffle(rows, random);
                w.replacePrecedents(trace, rows);
            }
        });
        assertThat(org.decisiongraph.projection.digest.Digests.compute(copy))
                .isEqualTo(org.decisiongraph.projection.digest.Digests.compute(source));
    }
}
