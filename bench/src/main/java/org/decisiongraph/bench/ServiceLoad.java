package org.decisiongraph.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;

/**
 * The service benchmark ("Service" in docs/BENCHMARKS.md): {@code dg serve} in-process (server, projection
 * runtime and the load clients share one JVM; loopback HTTP) on a fresh SQLite file or an embedded Postgres.
 * <ol>
 *   <li>batch ingest: {@code clients} virtual threads send {@code POST /api/v1/events/batch} of {@code batch}
 *       one-event traces for {@code seconds}, after {@code warmup} s of the same load that are not measured;
 *       events/s, and how long the projections took to catch up afterwards;</li>
 *   <li>single appends at a fixed rate ({@code rate} req/s, open loop: a request is started every 1/rate s
 *       whatever the previous ones do) for {@code seconds}, after {@code warmup} s of the same load that are not
 *       measured; p50/p99 request latency, and the projection lag
 *       of each event (from its 201 to the moment all three worker cursors passed it, sampled every 2 ms);</li>
 *   <li>heap: the highest used heap seen by a 50 ms sampler during both phases (client and server together).</li>
 * </ol>
 * The warm-ups stand for a server that has been running a while: in the first seconds the JIT compilers take a
 * large share of both cores (C2 alone about 30 % of the CPU ticks in the first 25 s of a run), and the client opens
 * its connections.
 *
 * <pre>./mvnw -q -B -pl bench -am package -DskipTests
 * java -Xmx512m -cp bench/target/benchmarks.jar org.decisiongraph.bench.ServiceLoad [sqlite|postgres] [seconds=10] [rate=1000] [clients=4] [batch=1000] [warmup=10]</pre>
 */
public final class ServiceLoad {
    private static final String TENANT = "load";

    private ServiceLoad() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args.length > 0 ? args[0] : "sqlite";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        EmbeddedPostgres pg = null;
        Database db;
        if (backend.equals("postgres")) {
            pg = EmbeddedPostgres.builder().start();
            db = Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres", null, null,
                    StoreConfig.DEFAULTS);
        } else {
            Path file = Scratch.dir("dg-service-load-").resolve("load.db");
            db = Database.sqlite(file);
        }
        HeapSampler heap = new HeapSampler();
        heap.start();
        try {
            ProjectionService projections = ProjectionService.start(db, ProjectionService.Options.fromEnv(System.getenv(), "dev"),
                    Clock.systemUTC());
            DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0)
                            .withRateLimits(new ServerConfig.RateLimits(1_000_000_000, 1_000_000_000, 1_000_000_000, 1_000_000)),
                    Clock.systemUTC(), projections.extensions()).start();
            try {
                String token = server.services().accounts().create("load", null, List.of("writer", "reader"), List.of(),
                        List.of(TENANT), null, "bench").orElseThrow().key().token();
                DgClient client = new DgClient(URI.create("http://127.0.0.1:" + server.port()), token, TENANT, 1,
                        Duration.ofMillis(10));
                System.out.printf("backend=%s seconds=%d rate=%d clients=%d batch=%d warmup=%d cores=%d gc=%s%n", backend,
                        seconds, rate, clients, batch, warmup, Runtime.getRuntime().availableProcessors(),
                        DgServer.collectors());
                batchIngest(client, clients, warmup, batch, "w-", false);
                awaitCaughtUp(projections.runtime(), client, false);
                batchIngest(client, clients, seconds, batch, "b-", true);
                awaitCaughtUp(projections.runtime(), client, true);
                fixedRate(client, projections.runtime(), warmup, rate, "s-warm-", false);
                fixedRate(client, projections.runtime(), seconds, rate, "s-", true);
                System.out.printf("heap: peak used %.0f MB (max %.0f MB); largest left after a collection %.0f MB%n",
                        heap.peak() / 1e6, Runtime.getRuntime().maxMemory() / 1e6, heap.peakAfterCollection() / 1e6);
            } finally {
                server.stop();
            }
        } finally {
            heap.stop();
            db.close();
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static JsonObject event(String id) {
        return JsonObject.builder()
                .put("event_id", id)
                .put("event_type", "TraceStarted")
                .put("trace_id", "trace-" + id)
                .put("trace_seq", 0)
                .put("occurred_at", "2026-01-01T00:00:00Z")
                .put("idempotency_key", "start:" + id)
                .put("actor", JsonObject.builder().put("actor_type", "agent").put("actor_id", "load").build())
                .put("source", JsonObject.builder().put("producer_id", "load").put("system", "bench").build())
                .put("payload", JsonObject.builder()
                        .put("title", "load test")
                        .put("workflow", "bench")
                        .put("primary_entity", JsonObject.builder().put("entity_type", "thing").put("entity_id", id)
                                .put("system", "bench").build())
                        .build())
                .build();
    }

    private static void batchIngest(DgClient client, int clients, int seconds, int size, String idPrefix, boolean report)
            throws InterruptedException {
        AtomicLong events = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    List<Json> items = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        items.add(event(idPrefix + ids.incrementAndGet()));
                    }
                    client.appendBatchMinimal(items, false);
                    events.addAndGet(size);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        if (!report) {
            return;
        }
        System.out.printf("batch ingest: %d events in %.1f s = %.0f events/s (batches of %d, %d clients)%n",
                events.get(), took, events.get() / took, size, clients);
    }

    private static void awaitCaughtUp(ProjectionRuntime runtime, DgClient client, boolean report) throws InterruptedException {
        long t0 = System.nanoTime();
        long last = runtime.eventLog(TENANT).lastLogSeq(TENANT);
        while (minCursor(runtime) < last) {
            Thread.sleep(10);
        }
        if (!report) {
            return;
        }
        System.out.printf("projections caught up with %d events %.1f s after the batch phase%n", last,
                (System.nanoTime() - t0) / 1e9);
    }

    private static long minCursor(ProjectionRuntime runtime) {
        // from the workers' memory: a sampler reading the cursors from the database every 2 ms would load the
        // store with 1,500 extra reads a second
        return ProjectionRuntime.PROJECTIONS.stream().mapToLong(p -> runtime.committedCursor(TENANT, p)).min().orElse(0);
    }

    private static void fixedRate(DgClient client, ProjectionRuntime runtime, int seconds, int rate, String idPrefix,
                                  boolean report) throws InterruptedException {
        ConcurrentLinkedQueue<long[]> done = new ConcurrentLinkedQueue<>(); // {log_seq, answered_at_nanos, latency}
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>(); // {at_nanos, min_cursor}
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                samples.add(new long[] {System.nanoTime(), minCursor(runtime)});
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long interval = 1_000_000_000L / rate;
        List<Thread> inflight = new ArrayList<>();
        long n = 0;
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String id = idPrefix + (n++);
            inflight.add(Thread.ofVirtual().start(() -> {
                long t0 = System.nanoTime();
                try {
                    ApiResponse r = client.appendEvent(event(id));
                    long t1 = System.nanoTime();
                    long seq = ((JsonInt) r.data().getObject("event").get("log_seq")).longValue();
                    done.add(new long[] {seq, t1, t1 - t0});
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread t : inflight) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        long last = runtime.eventLog(TENANT).lastLogSeq(TENANT);
        while (minCursor(runtime) < last) {
            Thread.sleep(2);
        }
        Thread.sleep(10);
        sampler.interrupt();
        sampler.join();
        long[] latencies = done.stream().mapToLong(d -> d[2]).sorted().toArray();
        long[][] s = samples.toArray(new long[0][]);
        long[] lags = new long[done.size()];
        int i = 0;
        for (long[] d : done) {
            lags[i++] = lagOf(s, d[0], d[1]);
        }
        Arrays.sort(lags);
        if (!report) {
            return;
        }
        System.out.printf("single appends at %d req/s: %d requests in %.1f s (%.0f req/s achieved), %d failed; "
                        + "latency p50=%.2f ms p99=%.2f ms max=%.2f ms; projection lag p50=%.1f ms p99=%.1f ms max=%.1f ms%n",
                rate, latencies.length, took, latencies.length / took, failures.get(), pct(latencies, 0.50),
                pct(latencies, 0.99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, pct(lags, 0.50),
                pct(lags, 0.99), lags.length == 0 ? 0 : lags[lags.length - 1] / 1e6);
    }

    /** Time from the append's answer to the first sample whose cursors passed its log_seq (0 if already passed). */
    private static long lagOf(long[][] samples, long seq, long answeredAt) {
        for (long[] sample : samples) {
            if (sample[1] >= seq) {
                return Math.max(0, sample[0] - answeredAt);
            }
        }
        return Long.MAX_VALUE / 2;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    /** The highest used heap seen every 50 ms. */
    private static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakAfter = new AtomicLong();
        private Thread thread;

        void start() {
            // the heap right after every collection, from the collectors' notifications
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        peakAfter.accumulateAndGet(after, Math::max);
                    }
                }, null, null);
            }
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long peak() {
            return peak.get();
        }

        /**
         * The most heap any collection left behind (all pools right after it, so the old generation still holds
         * what a young collection promoted): where {@link #peak()} also counts young garbage not yet collected.
         */
        long peakAfterCollection() {
            return peakAfter.get();
        }

        void stop() {
            thread.interrupt();
        }
    }
}
