package org.decisiongraph.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.AppendOutcome;
import org.decisiongraph.store.log.EventLog;

/**
 * Append load driver for the store (validation and hashing included): realistic traces from
 * {@link TraceGenerator} appended through {@link EventLog#append} (one event per call) or
 * {@link EventLog#appendBatch} (batches), by N threads, each thread on its own traces and (by default) its
 * own tenant. Prints events/s and the per-call latency percentiles.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.decisiongraph.bench.AppendLoad \
 *     &lt;sqlite|sqlite-full|postgres&gt; &lt;batch size, 1 = single appends&gt; &lt;events per thread&gt; [threads=1] [same-tenant]
 * </pre>
 * Postgres runs on an embedded server started by the driver (data directory in /tmp, default settings,
 * fsync on).
 */
public final class AppendLoad {
    private AppendLoad() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int batch = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean sameTenant = args.length > 4 && args[4].equals("same-tenant");
        EmbeddedPostgres pg = null;
        Database db;
        Path dir = Scratch.dir("dg-bench-");
        StoreConfig config = StoreConfig.DEFAULTS.withPoolSize(Math.max(8, threads + 2));
        switch (backend) {
            case "sqlite" -> db = Database.sqlite(dir.resolve("bench.db"), config);
            case "sqlite-full" -> db = Database.sqlite(dir.resolve("bench.db"), config.withSqliteSync(StoreConfig.SqliteSync.FULL));
            case "postgres" -> {
                pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE bench");
                }
                db = Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/bench?user=postgres", null, null, config);
            }
            default -> throw new IllegalArgumentException("backend: sqlite, sqlite-full or postgres");
        }
        EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, Clock.systemUTC());
        Path bundle = TraceGenerator.findBundle();

        // warm-up in its own tenant: JIT, statement caches, connection pool
        List<EventEnvelope> warm = new TraceGenerator(bundle, 7, 10_000).events(Math.min(20_000, perThread));
        run(log, "warmup", List.of(warm), batch);

        List<List<EventEnvelope>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(new TraceGenerator(bundle, 1000 + t, 10_000).events(perThread));
        }
        Result r = run(log, sameTenant ? "bench" : null, work, batch);
        System.out.printf(Locale.ROOT, "%s batch=%d threads=%d tenants=%s events=%d: %.0f events/s; per call p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                backend, batch, threads, sameTenant ? "1" : String.valueOf(threads), r.events, r.events / r.seconds,
                r.p50 / 1e6, r.p99 / 1e6, r.max / 1e6);
        db.close();
        if (pg != null) {
            pg.close();
        }
    }

    private record Result(long events, double seconds, long p50, long p99, long max) {
    }

    private static Result run(EventLog log, String tenant, List<List<EventEnvelope>> work, int batch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < work.size(); t++) {
            List<EventEnvelope> events = work.get(t);
            String ten = tenant != null ? tenant : "bench-" + t;
            futures.add(pool.submit(() -> {
                long[] latencies = new long[(events.size() + batch - 1) / batch];
                int calls = 0;
                for (int i = 0; i < events.size(); i += batch) {
                    long t0 = System.nanoTime();
                    if (batch == 1) {
                        log.append(ten, events.get(i));
                    } else {
                        List<AppendOutcome> out = log.appendBatch(ten, events.subList(i, Math.min(events.size(), i + batch)));
                        if (!(out.get(0) instanceof AppendOutcome.Appended)) {
                            throw new IllegalStateException("unexpected " + out.get(0));
                        }
                    }
                    latencies[calls++] = System.nanoTime() - t0;
                }
                return latencies;
            }));
        }
        List<long[]> all = new ArrayList<>();
        try {
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long events = work.stream().mapToLong(List::size).sum();
        return new Result(events, seconds, merged[merged.length / 2], merged[(int) (merged.length * 0.99)],
                merged[merged.length - 1]);
    }
}
