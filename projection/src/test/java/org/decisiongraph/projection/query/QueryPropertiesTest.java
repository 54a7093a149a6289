package org.decisiongraph.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.PrecedentMatch;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The queries against literal transcriptions of the reference algorithms over full table scans: the subgraph
 * walk (which fetches only max_edges + 1 rows per level), edge paging, and the precedent search.
 */
class QueryPropertiesTest {
    private static final Comparator<String> CP = CodePointOrder.INSTANCE;

    @Provide
    Arbitrary<TraceGenerator.Config> logs() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 30),
                        Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 8), Arbitraries.of(true, false))
                .as((seed, traces, concurrent, entities, unicode) -> new TraceGenerator.Config(seed, traces, concurrent,
                        entities, 3, 2.0, 0.5, 0.6, 0.2, 0.0, 0.4, unicode, Instant.parse("2025-12-31T00:00:00Z")));
    }

    private record World(InMemoryReadModelStore store, ProjectionQueries queries, List<NodeRow> nodes, List<EdgeRow> edges) {
    }

    private static World world(TraceGenerator.Config config) {
        Fixtures.Replayed r = Fixtures.replay(Fixtures.stored(TraceGenerator.generate(config), 1));
        List<NodeRow> nodes = new ArrayList<>();
        r.store().forEachNode(nodes::add);
        List<EdgeRow> edges = new ArrayList<>();
        r.store().forEachEdge(edges::add);
        return new World(r.store(), new ProjectionQueries(r.store(), r.feed()::lastLogSeq), nodes, edges);
    }

    /** The reference's walk: every level fetches all touching edges, ordered by edge_id. */
    private static ContextSubgraph naiveSubgraph(World w, NodeRef center, GraphFilter f) {
        Set<String> visitedNodes = new LinkedHashSet<>(List.of(center.key()));
        Map<String, EdgeRow> visitedEdges = new LinkedHashMap<>();
        Set<String> frontier = new HashSet<>(visitedNodes);
        boolean truncated = false;
        int depth = 0;
        while (!frontier.isEmpty() && !truncated && depth < f.maxDepth()) {
            Set<String> next = new HashSet<>();
            for (EdgeRow row : w.edges()) {
                if (!(frontier.contains(row.fromNodeId()) || frontier.contains(row.toNodeId()))
                        || (f.edgeTypes() != null && !f.edgeTypes().contains(row.edgeType()))) {
                    continue;
                }
                if (visitedEdges.containsKey(row.edgeId())) {
                    continue;
                }
                if (visitedEdges.size() >= f.maxEdges()) {
                    truncated = true;
                    break;
                }
                visitedEdges.put(row.edgeId(), row);
                for (String n : List.of(row.fromNodeId(), row.toNodeId())) {
                    if (visitedNodes.contains(n)) {
                        continue;
                    }
                    if (f.nodeTypes() != null) {
                        String type = n.contains(":") ? n.substring(0, n.indexOf(':')) : "";
                        if (!f.nodeTypes().contains(type)) {
                            continue;
                        }
                    }
                    if (visitedNodes.size() >= f.maxNodes()) {
                        truncated = true;
                        break;
                    }
                    visitedNodes.add(n);
                    next.add(n);
                }
                if (truncated) {
                    break;
                }
            }
            frontier = next;
            depth++;
        }
        List<NodeRow> nodes = w.nodes().stream().filter(n -> visitedNodes.contains(n.nodeId())).toList();
        List<EdgeRow> edges = w.edges().stream().filter(e -> visitedEdges.containsKey(e.edgeId())).toList();
        return new ContextSubgraph(center, nodes, edges, truncated);
    }

    @Property(tries = 80)
    void subgraphEqualsTheReferenceWalk(@ForAll("logs") TraceGenerator.Config config, @ForAll long choices) {
        World w = world(config);
        SplittableRandom random = new SplittableRandom(choices);
        List<String> nodeTypes = List.of("trace", "entity", "input", "policy", "exception", "action", "actor");
        List<String> edgeTypes = w.edges().stream().map(EdgeRow::edgeType).distinct().toList();
        for (int i = 0; i < 15; i++) {
            NodeRow centerRow = w.nodes().get(random.nextInt(w.nodes().size()));
            String id = centerRow.nodeId();
            NodeRef center = new NodeRef(id.substring(0, id.indexOf(':')), id.substring(id.indexOf(':') + 1));
            GraphFilter f = new GraphFilter(
                    random.nextInt(4) == 0 && !edgeTypes.isEmpty() ? List.of(edgeTypes.get(random.nextInt(edgeTypes.size()))) : null,
                    random.nextInt(4) == 0 ? List.of(nodeTypes.get(random.nextInt(nodeTypes.size())), "trace") : null,
                    random.nextInt(5), 1 + random.nextInt(random.nextBoolean() ? 5 : 60), 1 + random.nextInt(random.nextBoolean() ? 5 : 60));
            assertThat(w.queries().contextSubgraph(center, f)).as("%s %s", center, f).isEqualTo(naiveSubgraph(w, center, f));
        }
    }

    @Property(tries = 60)
    void edgePagesConcatenateToTheOrderedEdgeList(@ForAll("logs") TraceGenerator.Config config, @ForAll long choices) {
        World w = world(config);
        SplittableRandom random = new SplittableRandom(choices);
        Comparator<EdgeRow> order = Comparator.comparingLong(EdgeRow::logSeq).thenComparing(EdgeRow::edgeId, CP);
        for (int i = 0; i < 10; i++) {
            String id = w.nodes().get(random.nextInt(w.nodes().size())).nodeId();
            NodeRef node = new NodeRef(id.substring(0, id.indexOf(':')), id.substring(id.indexOf(':') + 1));
            EdgeDirection direction = EdgeDirection.values()[random.nextInt(3)];
            List<EdgeRow> expected = w.edges().stream().filter(e -> switch (direction) {
                case OUTGOING -> e.fromNodeId().equals(id);
                case INCOMING -> e.toNodeId().equals(id);
                case BOTH -> e.fromNodeId().equals(id) || e.toNodeId().equals(id);
            }).sorted(order).toList();
            int limit = 1 + random.nextInt(4);
            List<EdgeRow> all = new ArrayList<>();
            EdgeCursor cursor = null;
            do {
                if (cursor != null && random.nextBoolean()) {
                    cursor = new EdgeCursor(cursor.edgeKey(), cursor.direction(), null);
                }
                EdgePage page = w.queries().nodeEdges(node, direction, cursor, limit);
                assertThat(page.edges().size()).isLessThanOrEqualTo(limit);
                if (page.nextCursor() != null) {
                    assertThat(page.edges()).hasSize(limit);
                    assertThat(page.nextCursor().edgeKey()).isEqualTo(page.edges().getLast().edgeId());
                }
                all.addAll(page.edges());
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(all).isEqualTo(expected);
        }
    }

    @Property(tries = 60)
    void precedentSearchEqualsTheReferenceQuery(@ForAll("logs") TraceGenerator.Config config, @ForAll long choices) {
        World w = world(config);
        SplittableRandom random = new SplittableRandom(choices);
        List<TraceSummaryRow> summaries = new ArrayList<>();
        w.store().forEachTraceSummary(summaries::add);
        List<PrecedentRow> rows = new ArrayList<>();
        w.store().forEachPrecedent(rows::add);
        for (int i = 0; i < 10; i++) {
            PrecedentRow sample = rows.isEmpty() || random.nextInt(4) == 0 ? null : rows.get(random.nextInt(rows.size()));
            TraceSummaryRow s = summaries.get(random.nextInt(summaries.size()));
            String policyId = sample == null ? null : sample.policyId();
            String policyVersion = sample != null && random.nextBoolean() ? sample.policyVersion() : null;
            String entityType = random.nextInt(3) == 0 ? s.primaryEntityType() : null;
            String entityId = entityType != null && random.nextBoolean() ? s.primaryEntityId() : null;
            String outcome = random.nextInt(3) == 0 ? List.of("success", "failure", "abandoned").get(random.nextInt(3)) : null;
            int limit = 1 + random.nextInt(random.nextBoolean() ? 3 : 100);
            PrecedentQuery query = new PrecedentQuery(policyId, policyVersion, entityType, entityId, outcome, limit);

            List<PrecedentHit> expected = new ArrayList<>();
            summaries.stream().filter(TraceSummaryRow::isFinished)
                    .filter(t -> outcome == null || outcome.equals(t.outcome()))
                    .filter(t -> entityType == null || entityType.equals(t.primaryEntityType()))
                    .filter(t -> entityId == null || entityId.equals(t.primaryEntityId()))
                    .sorted(PrecedentMatch.RESULT_ORDER)
                    .forEach(t -> {
                        if (policyId == null) {
                            expected.add(new PrecedentHit(t.traceId(), t.workflow(), t.title(), t.outcome(), null, null, t.finishedAt()));
                            return;
                        }
                        rows.stream().filter(r -> r.traceId().equals(t.traceId()) && r.policyId().equals(policyId)
                                        && (policyVersion == null || r.policyVersion().equals(policyVersion)))
                                .min(PrecedentMatch.BEST_ROW_FIRST)
                                .ifPresent(r -> expected.add(new PrecedentHit(t.traceId(), t.workflow(), t.title(), t.outcome(),
                                        r.policyId(), r.policyVersion(), t.finishedAt())));
                    });
            assertThat(w.queries().findPrecedents(query)).as("%s", query)
                    .isEqualTo(expected.subList(0, Math.min(limit, expected.size())));
        }
    }
}
