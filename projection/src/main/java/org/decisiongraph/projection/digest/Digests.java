package org.decisiongraph.projection.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
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
    private Digests() {
    }

    public static ProjectionDigests compute(ReadModelStore store) {
        String cg = contextGraph(store);
        String ts = traceSummary(store);
        String pi = precedentIndex(store);
        return new ProjectionDigests(cg, ts, pi, full(cg, ts, pi));
    }

    public static String contextGraph(ReadModelStore store) {
        Sink sink = new Sink(false);
        writeContextGraph(store, sink);
        return sink.digest();
    }

    public static String traceSummary(ReadModelStore store) {
        Sink sink = new Sink(false);
        writeArray(sink, store::forEachTraceSummary, RowJson::traceSummary);
        return sink.digest();
    }

    public static String precedentIndex(ReadModelStore store) {
        Sink sink = new Sink(false);
        writeArray(sink, store::forEachPrecedent, RowJson::precedent);
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
        Sink cg = new Sink(true);
        writeContextGraph(store, cg);
        Sink ts = new Sink(true);
        writeArray(ts, store::forEachTraceSummary, RowJson::traceSummary);
        Sink pi = new Sink(true);
        writeArray(pi, store::forEachPrecedent, RowJson::precedent);
        return new DigestInputs(cg.text(), ts.text(), pi.text(), fullInput(cg.digest(), ts.digest(), pi.digest()));
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

    private static void writeContextGraph(ReadModelStore store, Sink sink) {
        sink.append("{\"edges\":");
        writeArray(sink, store::forEachEdge, RowJson::edge);
        sink.append(",\"nodes\":");
        writeArray(sink, store::forEachNode, RowJson::node);
        sink.append("}");
    }

    private static <R> void writeArray(Sink sink, Scan<R> scan, Function<R, JsonObject> toJson) {
        sink.append("[");
        boolean[] first = {true};
        scan.forEach(row -> {
            if (!first[0]) {
                sink.append(",");
            }
            first[0] = false;
            sink.append(JsonWriter.ascii(toJson.apply(row)));
        });
        sink.append("]");
    }

    /** An ordered scan of the store. */
    @FunctionalInterface
    private interface Scan<R> {
        void forEach(Consumer<R> action);
    }

    /** Feeds text into SHA-256 as it is written; optionally keeps it. All text is ASCII (escaped form). */
    private static final class Sink {
        private final MessageDigest md = Hashing.newSha256();
        private final StringBuilder kept;

        Sink(boolean keep) {
            this.kept = keep ? new StringBuilder() : null;
        }

        void append(String s) {
            md.update(s.getBytes(StandardCharsets.UTF_8));
            if (kept != null) {
                kept.append(s);
            }
        }

        String digest() {
            return Hashing.prefixedHex(md.digest());
        }

        String text() {
            return kept.toString();
        }
    }
}
