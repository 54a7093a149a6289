package org.decisiongraph.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.query.GraphFilter;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;

/**
 * Load driver for the persistent projections: fills a database with N generated events (the seeded realistic
 * workload), then measures a full rebuild (events/s, peak heap of the whole JVM), catch-up lag after appends, and
 * query latency (p50/p95). Prints one Markdown table row per measurement.
 *
 * <p>Usage: {@code java -Xmx512m -cp benchmarks.jar org.decisiongraph.bench.ProjectionLoad <sqlite|postgres> <events>
 * [query-iterations]}
 */
public final class ProjectionLoad {
    private ProjectionLoad() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int events = Integer.parseInt(args[1]);
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        EmbeddedPostgres pg = null;
        Database db;
        if (backend.equals("postgres")) {
            pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            db = Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/bench?user=postgres", null, null,
                    StoreConfig.DEFAULTS.withPoolSize(4));
        } else {
            Path file = Scratch.dir("dg-bench-").resolve("bench.db");
            db = Database.sqlite(file);
        }
        try {
            run(backend, db, events, iterations);
        } finally {
            db.close();
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** CPU time of the current thread (the rebuild runs on it; SQLite's work is native code on the same thread). */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static void run(String backend, Database db, int events, int iterations) {
        Clock clock = Clock.systemUTC();
        Projections p = Projections.open(db, null, clock);
        EventLog log = p.eventLog();
        TraceGenerator generator = new TraceGenerator(TraceGenerator.Config.realistic(42, events / 7 + 2000));
        long t0 = System.nanoTime();
        List<EventEnvelope> batch = new ArrayList<>(1000);
        for (int i = 0; i < events && generator.hasNext(); i++) {
            batch.add(generator.next());
            if (batch.size() == 1000) {
                log.appendBatch(null, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            log.appendBatch(null, batch);
        }
        double appendS = (System.nanoTime() - t0) / 1e9;
        long n = log.lastLogSeq(null);
        System.out.printf(Locale.ROOT, "| %s | %,d | append (pipeline, batches of 1000) | %.1f s | %,.0f events/s |%n",
                backend, n, appendS, n / appendS);

        // rebuild: clear + project everything (batches of 1000), then the checkpoint (full digest scan)
        System.gc();
        resetPeaks();
        long r0 = System.nanoTime();
        long rc0 = cpuNanos();
        int rebuildBatch = Integer.getInteger("rebuildBatch", 1000);
        p.projector().rebuildAll(rebuildBatch);
        double rebuildS = (System.nanoTime() - r0) / 1e9;
        double rebuildCpuS = (cpuNanos() - rc0) / 1e9;
        long peak = peakHeap();
        long c0 = System.nanoTime();
        long cc0 = cpuNanos();
        p.checkpoint();
        double checkpointS = (System.nanoTime() - c0) / 1e9;
        double checkpointCpuS = (cpuNanos() - cc0) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %,d | rebuild (projector, batch " + rebuildBatch + ") | %.2f s | %,.0f events/s, thread CPU %.2f s (%.1f µs/event), peak heap %d MB, max heap %d MB |%n",
                backend, n, rebuildS, n / rebuildS, rebuildCpuS, rebuildCpuS * 1e6 / n, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "| %s | %,d | digest checkpoint (4 digests, streamed) | %.2f s | thread CPU %.2f s |%n",
                backend, n, checkpointS, checkpointCpuS);

        if (n <= 200_000) {
            // the projector's ceiling: the same log (read from the database) into the in-memory read model
            long m0 = System.nanoTime();
            long mc0 = cpuNanos();
            new org.decisiongraph.projection.Projector(new org.decisiongraph.store.readmodel.InMemoryReadModelStore(),
                    p.feed()).rebuildAll(rebuildBatch);
            double memS = (System.nanoTime() - m0) / 1e9;
            double memCpuS = (cpuNanos() - mc0) / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %,d | rebuild into the in-memory read model (log read from the database) | %.2f s | %,.0f events/s, thread CPU %.1f µs/event |%n",
                    backend, n, memS, n / memS, memCpuS * 1e6 / n);
        }

        // catch-up lag: append 100 events, then catch up (projector only), repeatedly
        long[] bare = new long[20];
        for (int round = 0; round < bare.length; round++) {
            batch.clear();
            for (int i = 0; i < 100 && generator.hasNext(); i++) {
                batch.add(generator.next());
            }
            log.appendBatch(null, batch);
            long l0 = System.nanoTime();
            p.projector().catchUpAll(1000);
            bare[round] = System.nanoTime() - l0;
        }
        System.out.printf(Locale.ROOT, "| %s | %,d | catch-up after appending 100 events (projector, no checkpoint) | p50 %.1f ms | p95 %.1f ms |%n",
                backend, n, pct(bare, 50) / 1e6, pct(bare, 95) / 1e6);
        // the facade's catch-up also stores the digest checkpoints (a full streamed digest of the tenant)
        long[] lag = new long[Integer.getInteger("checkpointRounds", 10)];
        for (int round = 0; round < lag.length; round++) {
            batch.clear();
            for (int i = 0; i < 100 && generator.hasNext(); i++) {
                batch.add(generator.next());
            }
            log.appendBatch(null, batch);
            long l0 = System.nanoTime();
            p.catchUp();
            lag[round] = System.nanoTime() - l0;
        }
        System.out.printf(Locale.ROOT, "| %s | %,d | catch-up after appending 100 events (facade, incl. checkpoint) | p50 %.1f ms | p95 %.1f ms |%n",
                backend, n, pct(lag, 50) / 1e6, pct(lag, 95) / 1e6);
        long c1 = System.nanoTime();
        p.projector().catchUpAll(1000);
        System.out.printf(Locale.ROOT, "| %s | %,d | catch-up with nothing to do | %.2f ms | |%n", backend, n,
                (System.nanoTime() - c1) / 1e6);

        // query subjects
        String tenTrace = null;
        for (StoredEvent e : log.listEvents(null, new EventQuery(0L, null, "TraceFinished", null, 2000))) {
            if (e.traceSeq() == 9) {
                tenTrace = e.traceId();
                break;
            }
        }
        Map<String, Integer> degree = new HashMap<>();
        p.store().forEachEdge(e -> {
            if (e.toNodeId().startsWith("entity:")) {
                degree.merge(e.toNodeId(), 1, Integer::sum);
            }
        });
        List<Map.Entry<String, Integer>> entities = new ArrayList<>(degree.entrySet());
        entities.sort(Map.Entry.comparingByValue());
        Map.Entry<String, Integer> hottest = entities.getLast();
        Map.Entry<String, Integer> typical = entities.get(entities.size() / 2);
        String policy = "discount_cap";
        final String trace = tenTrace;
        GraphFilter depth2 = GraphFilter.DEFAULTS.withMaxDepth(2);
        measure(backend, n, "trace read (10 events, event log)", iterations, () -> log.traceEvents(null, trace).size());
        measure(backend, n, "trace summary (projection)", iterations, () -> p.queries().traceSummary(trace));
        measure(backend, n, "subgraph depth 2, typical entity (degree " + typical.getValue() + ")", iterations,
                () -> p.queries().contextSubgraph(ref(typical.getKey()), depth2));
        measure(backend, n, "subgraph depth 2, hottest entity (degree " + hottest.getValue() + ")", Math.max(50, iterations / 10),
                () -> p.queries().contextSubgraph(ref(hottest.getKey()), depth2));
        measure(backend, n, "precedents by policy, limit 20", iterations,
                () -> p.queries().findPrecedents(new PrecedentQuery(policy, null, null, null, null, 20)));
    }

    private static NodeRef ref(String nodeId) {
        int colon = nodeId.indexOf(':');
        return new NodeRef(nodeId.substring(0, colon), nodeId.substring(colon + 1));
    }

    private static void measure(String backend, long n, String what, int iterations, Supplier<Object> query) {
        for (int i = 0; i < Math.max(200, iterations / 4); i++) {
            query.get();
        }
        long[] t = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long s = System.nanoTime();
            query.get();
            t[i] = System.nanoTime() - s;
        }
        System.out.printf(Locale.ROOT, "| %s | %,d | %s | p50 %.3f ms | p95 %.3f ms |%n", backend, n, what,
                pct(t, 50) / 1e6, pct(t, 95) / 1e6);
    }

    private static double pct(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound of the live peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
