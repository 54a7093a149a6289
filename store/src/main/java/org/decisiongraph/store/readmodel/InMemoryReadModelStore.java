package org.decisiongraph.store.readmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.CodePointOrder;

/**
 * A {@link ReadModelStore} in memory, for tests, benchmarks and isolated replays. Rows live in sorted maps keyed
 * in code-point order, with per-node adjacency maps in both query orders, so scans and queries never sort the
 * whole table. A write transaction keeps an undo log and rolls every change back if its work throws.
 * Thread-safe (one monitor).
 */
public final class InMemoryReadModelStore implements ReadModelStore {
    private static final Comparator<String> CP = CodePointOrder.INSTANCE;
    private static final Comparator<PolicyEvalRow> POLICY_EVAL_ORDER =
            Comparator.comparingLong(PolicyEvalRow::logSeq).thenComparing(PolicyEvalRow::indexId, CP);

    private final String tenantId;
    // sorted maps are keyed by SortKeys.of(id): natural String order = code point order of the ids
    private final TreeMap<String, NodeRow> nodes = new TreeMap<>();
    private final TreeMap<String, EdgeRow> edges = new TreeMap<>();
    private final HashMap<String, Adjacency> adjacency = new HashMap<>();
    private final TreeMap<String, TraceSummaryRow> summaries = new TreeMap<>();
    private final TreeSet<TraceSummaryRow> finished = new TreeSet<>(PrecedentMatch.RESULT_ORDER);
    private final TreeMap<String, PrecedentRow> precedents = new TreeMap<>();
    private final HashMap<String, List<PrecedentRow>> precedentsByTrace = new HashMap<>();
    private final TreeSet<PolicyEvalRow> policyEvals = new TreeSet<>(POLICY_EVAL_ORDER);
    private final HashSet<String> policyEvalIds = new HashSet<>();
    private final EnumMap<ProjectionName, Long> cursors = new EnumMap<>(ProjectionName.class);
    private final HashMap<String, DigestCheckpoint> digests = new HashMap<>();

    /** Undo actions of the open write transaction (LIFO), null outside one. */
    private ArrayDeque<Runnable> undo;

    /** A store for one tenant; INVALID_ARGUMENT {@code tenant_id cannot be empty} for a blank id. */
    public InMemoryReadModelStore(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw DgErrors.tenantEmpty();
        }
        this.tenantId = tenantId;
    }

    /** A store for the tenant {@code "default"}. */
    public InMemoryReadModelStore() {
        this("default");
    }

    /** The edges of one node in both query orders. */
    private static final class Adjacency {
        final TreeMap<String, EdgeRow> outById = new TreeMap<>();
        final TreeMap<String, EdgeRow> inById = new TreeMap<>();
        final TreeMap<EdgePosition, EdgeRow> outBySeq = new TreeMap<>();
        final TreeMap<EdgePosition, EdgeRow> inBySeq = new TreeMap<>();
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public synchronized void write(Set<ProjectionName> scope, Consumer<ReadModelWriter> work) {
        if (undo != null) {
            throw new IllegalStateException("write transactions do not nest");
        }
        undo = new ArrayDeque<>();
        Writer writer = new Writer(Set.copyOf(scope));
        boolean committed = false;
        try {
            work.accept(writer);
            committed = true;
        } finally {
            writer.open = false;
            if (!committed) {
                while (!undo.isEmpty()) {
                    undo.pop().run();
                }
            }
            undo = null;
        }
    }

    @Override
    public synchronized long cursor(ProjectionName projection) {
        return cursors.getOrDefault(projection, 0L);
    }

    @Override
    public synchronized Optional<DigestCheckpoint> digestCheckpoint(String name) {
        return Optional.ofNullable(digests.get(name));
    }

    @Override
    public synchronized void forEachNode(Consumer<? super NodeRow> action) {
        nodes.values().forEach(action);
    }

    @Override
    public synchronized void forEachEdge(Consumer<? super EdgeRow> action) {
        edges.values().forEach(action);
    }

    @Override
    public synchronized void forEachTraceSummary(Consumer<? super TraceSummaryRow> action) {
        summaries.values().forEach(action);
    }

    @Override
    public synchronized void forEachPrecedent(Consumer<? super PrecedentRow> action) {
        precedents.values().forEach(action);
    }

    @Override
    public synchronized void forEachPolicyEval(Consumer<? super PolicyEvalRow> action) {
        policyEvals.forEach(action);
    }

    @Override
    public synchronized Optional<TraceSummaryRow> traceSummary(String traceId) {
        return Optional.ofNullable(summaries.get(SortKeys.of(traceId)));
    }

    @Override
    public synchronized List<NodeRow> nodes(Collection<String> nodeIds) {
        List<NodeRow> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(nodeIds)) {
            NodeRow row = nodes.get(SortKeys.of(id));
            if (row != null) {
                out.add(row);
            }
        }
        out.sort(Comparator.comparing(NodeRow::nodeId, CP));
        return out;
    }

    @Override
    public synchronized Optional<EdgeRow> edge(String edgeId) {
        return Optional.ofNullable(edges.get(SortKeys.of(edgeId)));
    }

    @Override
    public synchronized List<EdgeRow> edgesTouching(Collection<String> nodeIds, Collection<String> edgeTypes, int limit) {
        Set<String> types = edgeTypes == null ? null : new HashSet<>(edgeTypes);
        List<Iterator<EdgeRow>> sources = new ArrayList<>();
        for (String id : new LinkedHashSet<>(nodeIds)) {
            Adjacency adj = adjacency.get(id);
            if (adj != null) {
                sources.add(adj.outById.values().iterator());
                sources.add(adj.inById.values().iterator());
            }
        }
        List<EdgeRow> out = new ArrayList<>();
        merge(sources, Comparator.comparing(EdgeRow::edgeId, CP), limit, out,
                e -> types == null || types.contains(e.edgeType()));
        return out;
    }

    @Override
    public synchronized List<EdgeRow> edgesOf(String nodeId, EdgeDirection direction, EdgePosition after, int limit) {
        Adjacency adj = adjacency.get(nodeId);
        List<EdgeRow> out = new ArrayList<>();
        if (adj == null) {
            return out;
        }
        List<Iterator<EdgeRow>> sources = new ArrayList<>(2);
        if (direction != EdgeDirection.INCOMING) {
            sources.add(after(adj.outBySeq, after));
        }
        if (direction != EdgeDirection.OUTGOING) {
            sources.add(after(adj.inBySeq, after));
        }
        merge(sources, Comparator.comparing(EdgeRow::position), limit, out, e -> true);
        return out;
    }

    private static Iterator<EdgeRow> after(TreeMap<EdgePosition, EdgeRow> map, EdgePosition after) {
        return (after == null ? map : map.tailMap(after, false)).values().iterator();
    }

    /** K-way merge of sorted sources into {@code out}, dropping duplicates (equal edge ids) and filtered rows. */
    private static void merge(List<Iterator<EdgeRow>> sources, Comparator<EdgeRow> order, int limit, List<EdgeRow> out,
                              java.util.function.Predicate<EdgeRow> keep) {
        record Head(EdgeRow row, Iterator<EdgeRow> rest) {
        }
        PriorityQueue<Head> queue = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> order.compare(a.row, b.row));
        for (Iterator<EdgeRow> it : sources) {
            if (it.hasNext()) {
                queue.add(new Head(it.next(), it));
            }
        }
        String lastSeen = null;
        while (!queue.isEmpty() && out.size() < limit) {
            Head head = queue.poll();
            EdgeRow row = head.row;
            if (!row.edgeId().equals(lastSeen)) {
                lastSeen = row.edgeId();
                if (keep.test(row)) {
                    out.add(row);
                }
            }
            if (head.rest.hasNext()) {
                queue.add(new Head(head.rest.next(), head.rest));
            }
        }
    }

    @Override
    public synchronized List<PrecedentMatch> findPrecedents(PrecedentSearch search) {
        List<PrecedentMatch> out = new ArrayList<>();
        for (TraceSummaryRow summary : finished) {
            if (out.size() >= search.limit()) {
                break;
            }
            if (!search.matches(summary)) {
                continue;
            }
            if (search.policyId() == null) {
                out.add(new PrecedentMatch(summary, null, null));
                continue;
            }
            PrecedentRow best = null;
            for (PrecedentRow row : precedentsByTrace.getOrDefault(summary.traceId(), List.of())) {
                if (search.matches(row) && (best == null || PrecedentMatch.BEST_ROW_FIRST.compare(row, best) < 0)) {
                    best = row;
                }
            }
            if (best != null) {
                out.add(new PrecedentMatch(summary, best.policyId(), best.policyVersion()));
            }
        }
        return out;
    }

    // --- mutations (called by the writer under the monitor, each recording its undo) ------------------

    private void addEdge(String key, EdgeRow e) {
        edges.put(key, e);
        EdgePosition position = e.position();
        Adjacency from = adjacency.computeIfAbsent(e.fromNodeId(), k -> new Adjacency());
        from.outById.put(key, e);
        from.outBySeq.put(position, e);
        Adjacency to = adjacency.computeIfAbsent(e.toNodeId(), k -> new Adjacency());
        to.inById.put(key, e);
        to.inBySeq.put(position, e);
    }

    private void removeEdge(String key, EdgeRow e) {
        edges.remove(key);
        EdgePosition position = e.position();
        Adjacency from = adjacency.get(e.fromNodeId());
        from.outById.remove(key);
        from.outBySeq.remove(position);
        Adjacency to = adjacency.get(e.toNodeId());
        to.inById.remove(key);
        to.inBySeq.remove(position);
    }

    private void replaceSummary(TraceSummaryRow old, TraceSummaryRow row) {
        if (old != null && old.isFinished()) {
            finished.remove(old);
        }
        if (row == null) {
            summaries.remove(SortKeys.of(old.traceId()));
        } else {
            summaries.put(SortKeys.of(row.traceId()), row);
            if (row.isFinished()) {
                finished.add(row);
            }
        }
    }

    private static <K, V> void restore(Map<K, V> target, Map<K, V> saved) {
        target.clear();
        target.putAll(saved);
    }

    private final class Writer implements ReadModelWriter {
        private final Set<ProjectionName> scope;
        private boolean open = true;

        Writer(Set<ProjectionName> scope) {
            this.scope = scope;
        }

        private void require(ProjectionName projection) {
            if (!open) {
                throw new IllegalStateException("the write transaction is over");
            }
            if (!scope.contains(projection)) {
                throw new IllegalStateException("projection " + projection + " is not in the transaction's scope " + scope);
            }
        }

        @Override
        public long cursor(ProjectionName projection) {
            return cursors.getOrDefault(projection, 0L);
        }

        @Override
        public void setCursor(ProjectionName projection, long logSeq) {
            require(projection);
            Long old = cursors.put(projection, logSeq);
            undo.push(() -> {
                if (old == null) {
                    cursors.remove(projection);
                } else {
                    cursors.put(projection, old);
                }
            });
        }

        @Override
        public void clear(ProjectionName projection) {
            require(projection);
            switch (projection) {
                case CONTEXT_GRAPH -> {
                    var savedNodes = new TreeMap<>(nodes);
                    var savedEdges = new TreeMap<>(edges);
                    var savedAdjacency = new HashMap<>(adjacency);
                    nodes.clear();
                    edges.clear();
                    adjacency.clear();
                    undo.push(() -> {
                        restore(nodes, savedNodes);
                        restore(edges, savedEdges);
                        restore(adjacency, savedAdjacency);
                    });
                }
                case TRACE_SUMMARY -> {
                    var savedSummaries = new TreeMap<>(summaries);
                    var savedFinished = new ArrayList<>(finished);
                    summaries.clear();
                    finished.clear();
                    undo.push(() -> {
                        restore(summaries, savedSummaries);
                        finished.clear();
                        finished.addAll(savedFinished);
                    });
                }
                case PRECEDENT_INDEX -> {
                    var savedPrecedents = new TreeMap<>(precedents);
                    var savedByTrace = new HashMap<>(precedentsByTrace);
                    var savedEvals = new ArrayList<>(policyEvals);
                    precedents.clear();
                    precedentsByTrace.clear();
                    policyEvals.clear();
                    policyEvalIds.clear();
                    undo.push(() -> {
                        restore(precedents, savedPrecedents);
                        restore(precedentsByTrace, savedByTrace);
                        policyEvals.clear();
                        policyEvals.addAll(savedEvals);
                        policyEvalIds.clear();
                        savedEvals.forEach(r -> policyEvalIds.add(r.indexId()));
                    });
                }
            }
            setCursor(projection, 0);
        }

        @Override
        public void insertNodeIfAbsent(NodeRow node) {
            require(ProjectionName.CONTEXT_GRAPH);
            String key = SortKeys.of(node.nodeId());
            if (nodes.putIfAbsent(key, node) == null) {
                undo.push(() -> nodes.remove(key));
            }
        }

        @Override
        public void insertEdgeIfAbsent(EdgeRow edge) {
            require(ProjectionName.CONTEXT_GRAPH);
            String key = SortKeys.of(edge.edgeId());
            if (!edges.containsKey(key)) {
                addEdge(key, edge);
                undo.push(() -> removeEdge(key, edge));
            }
        }

        @Override
        public void startTraceSummary(TraceSummaryRow row) {
            require(ProjectionName.TRACE_SUMMARY);
            TraceSummaryRow old = summaries.get(SortKeys.of(row.traceId()));
            TraceSummaryRow updated = old == null ? row : old.restart(row.lastLogSeq());
            replaceSummary(old, updated);
            undo.push(() -> {
                replaceSummary(updated, old);
            });
        }

        @Override
        public void finishTraceSummary(String traceId, String outcome, String finishedAt, long logSeq) {
            require(ProjectionName.TRACE_SUMMARY);
            TraceSummaryRow old = summaries.get(SortKeys.of(traceId));
            if (old == null) {
                return;
            }
            TraceSummaryRow updated = old.finish(outcome, finishedAt, logSeq);
            replaceSummary(old, updated);
            undo.push(() -> replaceSummary(updated, old));
        }

        @Override
        public void insertPolicyEvalIfAbsent(PolicyEvalRow row) {
            require(ProjectionName.PRECEDENT_INDEX);
            if (policyEvalIds.add(row.indexId())) {
                policyEvals.add(row);
                undo.push(() -> {
                    policyEvals.remove(row);
                    policyEvalIds.remove(row.indexId());
                });
            }
        }

        @Override
        public void replacePrecedents(String traceId, List<PrecedentRow> rows) {
            require(ProjectionName.PRECEDENT_INDEX);
            List<PrecedentRow> old = precedentsByTrace.remove(traceId);
            if (old != null) {
                old.forEach(r -> precedents.remove(SortKeys.of(r.sourceEventId())));
            }
            List<PrecedentRow> inserted = new ArrayList<>(rows.size());
            for (PrecedentRow row : rows) {
                if (!row.traceId().equals(traceId)) {
                    throw new IllegalArgumentException("precedent row of trace " + row.traceId() + " given for " + traceId);
                }
                if (precedents.putIfAbsent(SortKeys.of(row.sourceEventId()), row) == null) {
                    inserted.add(row);
                }
            }
            if (!inserted.isEmpty()) {
                precedentsByTrace.put(traceId, inserted);
            }
            undo.push(() -> {
                inserted.forEach(r -> precedents.remove(SortKeys.of(r.sourceEventId())));
                precedentsByTrace.remove(traceId);
                if (old != null) {
                    old.forEach(r -> precedents.put(SortKeys.of(r.sourceEventId()), r));
                    precedentsByTrace.put(traceId, old);
                }
            });
        }

        @Override
        public void putDigestCheckpoint(DigestCheckpoint checkpoint) {
            if (!open) {
                throw new IllegalStateException("the write transaction is over");
            }
            DigestCheckpoint old = digests.put(checkpoint.name(), checkpoint);
            undo.push(() -> {
                if (old == null) {
                    digests.remove(checkpoint.name());
                } else {
                    digests.put(checkpoint.name(), old);
                }
            });
        }
    }
}
