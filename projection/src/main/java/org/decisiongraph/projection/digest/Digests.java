package org.decisiongraph.projection.digest;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;

/**
 * The projection digests (projections spec 4.1-4.2, Python semantics, decisions P1/P2):
 * <ul>
 * <li>context_graph: {@code {"edges":[...],"nodes":[...]}}, edges by edge_id, nodes by node_id;</li>
 * <li>trace_summary: {@code [...]} by trace_id (without primary_entity_system);</li>
 * <li>precedent_index: {@code [...]} by source_event_id;</li>
 * <li>full_projection: SHA-256 of {@code "{cg}:{ts}:{pi}"}, the three prefixed digests joined by {@code :}.</li>
 * </ul>
 * The policy-evaluation index and wall-clock columns are never digested.
 */
public final class Digests {
    private static final Runnable NO_HOOK = () -> {
    };

    private Digests() {
    }

    public static ProjectionDigests compute(ReadModelStore store) {
        return compute(store, NO_HOOK);
    }

    /**
     * The digests, calling {@code perRow} once for every row read (a background checkpoint paces itself there;
     * the values do not depend on it).
     */
    public static ProjectionDigests compute(ReadModelStore store, Runnable perRow) {
        String cg = contextGraph(store, perRow);
        String ts = traceSummary(store, perRow);
        String pi = precedentIndex(store, perRow);
        return new ProjectionDigests(cg, ts, pi, full(cg, ts, pi));
    }

    public static String contextGraph(ReadModelStore store) {
        return contextGraph(store, NO_HOOK);
    }

    public static String traceSummary(ReadModelStore store) {
        return traceSummary(store, NO_HOOK);
    }

    public static String precedentIndex(ReadModelStore store) {
        return precedentIndex(store, NO_HOOK);
    }

    private static String contextGraph(ReadModelStore store, Runnable perRow) {
        DigestSink sink = new DigestSink(false);
        writeContextGraph(store, sink, perRow);
        return sink.digest();
    }

    private static String traceSummary(ReadModelStore store, Runnable perRow) {
        DigestSink sink = new DigestSink(false);
        writeArray(sink, store::forEachTraceSummary, RowDigestForm::traceSummary, perRow);
        return sink.digest();
    }

    private static String precedentIndex(ReadModelStore store, Runnable perRow) {
        DigestSink sink = new DigestSink(false);
        writeArray(sink, store::forEachPrecedent, RowDigestForm::precedent, perRow);
        return sink.digest();
    }

    /** The full digest of three prefixed component digests. */
    public static String full(String contextGraph, String traceSummary, String precedentIndex) {
        return Hashing.sha256(fullInput(contextGraph, traceSummary, precedentIndex));
    }

    private static String fullInput(String contextGraph, String traceSummary, String precedentIndex) {
        return contextGraph + ":" + traceSummary + ":" + precedentIndex;
    }

    /** The exact hashed strings (builds them in memory: for tests and diagnostics only). */
    public static DigestInputs inputs(ReadModelStore store) {
        DigestSink cg = new DigestSink(true);
        writeContextGraph(store, cg, NO_HOOK);
        DigestSink ts = new DigestSink(true);
        writeArray(ts, store::forEachTraceSummary, RowDigestForm::traceSummary, NO_HOOK);
        DigestSink pi = new DigestSink(true);
        writeArray(pi, store::forEachPrecedent, RowDigestForm::precedent, NO_HOOK);
        String cgDigest = cg.digest();
        String tsDigest = ts.digest();
        String piDigest = pi.digest();
        return new DigestInputs(cg.text(), ts.text(), pi.text(), fullInput(cgDigest, tsDigest, piDigest));
    }

    /**
     * Computes the digests and stores the four checkpoints in one transaction: each component with its
     * projection's cursor, full_projection with the minimum of the three cursors (projections spec 4.5).
     */
    public static ProjectionDigests checkpoint(ReadModelStore store, Clock clock) {
        ProjectionDigests d = compute(store);
        String now = Timestamps.toRfc3339(clock.instant());
        store.write(EnumSet.allOf(ProjectionName.class), w -> {
            long cg = w.cursor(ProjectionName.CONTEXT_GRAPH);
            long ts = w.cursor(ProjectionName.TRACE_SUMMARY);
            long pi = w.cursor(ProjectionName.PRECEDENT_INDEX);
            for (DigestCheckpoint c : List.of(
                    new DigestCheckpoint(ProjectionName.CONTEXT_GRAPH.wireName(), d.contextGraph(), cg, now),
                    new DigestCheckpoint(ProjectionName.TRACE_SUMMARY.wireName(), d.traceSummary(), ts, now),
                    new DigestCheckpoint(ProjectionName.PRECEDENT_INDEX.wireName(), d.precedentIndex(), pi, now),
                    new DigestCheckpoint(ProjectionName.FULL_PROJECTION, d.fullProjection(), Math.min(cg, Math.min(ts, pi)), now))) {
                w.putDigestCheckpoint(c);
            }
        });
        return d;
    }

    private static void writeContextGraph(ReadModelStore store, DigestSink sink, Runnable perRow) {
        sink.raw("{\"edges\":");
        writeArray(sink, store::forEachEdge, RowDigestForm::edge, perRow);
        sink.raw(",\"nodes\":");
        writeArray(sink, store::forEachNode, RowDigestForm::node, perRow);
        sink.raw('}');
    }

    private static <R> void writeArray(DigestSink sink, Scan<R> scan, BiConsumer<DigestSink, R> writer, Runnable perRow) {
        sink.raw('[');
        boolean[] first = {true};
        scan.forEach(row -> {
            perRow.run();
            if (!first[0]) {
                sink.raw(',');
            }
            first[0] = false;
            writer.accept(sink, row);
        });
        sink.raw(']');
    }

    /** An ordered scan of the store. */
    @FunctionalInterface
    private interface Scan<R> {
        void forEach(Consumer<R> action);
    }
}
