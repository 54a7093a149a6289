package org.decisiongraph.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.store.Database;

/**
 * Load driver for HTTP appends: starts {@code DgServer} on a fresh SQLite file (loopback, port 0), then
 * {@code clients} virtual threads append one-event traces for {@code seconds} seconds through
 * {@code POST /api/v1/events}, then the same through {@code POST /api/v1/events/batch} (100, then 1000 per batch).
 * Prints events/s and per-request latency percentiles. Both are first run unmeasured for {@code warmup / 2} s each
 * (the JIT compilers take a large share of both cores in the first seconds).
 *
 * <pre>./mvnw -q -B -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar org.decisiongraph.bench.HttpAppendLoad [clients=8] [seconds=10] [warmup=10]</pre>
 */
public final class HttpAppendLoad {
    private HttpAppendLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path file = Scratch.dir("dg-load-").resolve("load.db");
        try (Database db = Database.sqlite(file)) {
            DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0)
                    .withRateLimits(new ServerConfig.RateLimits(1_000_000_000, 1_000_000_000, 1_000_000_000, 1_000_000)),
                    Clock.systemUTC()).start();
            try {
                String token = server.services().accounts().create("load", null, List.of("writer"), List.of(),
                        List.of("load"), null, "bench").orElseThrow().key().token();
                DgClient client = new DgClient(URI.create("http://127.0.0.1:" + server.port()), token, "load", 1,
                        Duration.ofMillis(10));
                if (warmup > 0) {
                    run("warm-single", clients, warmup / 2, 1, client, false);
                    run("warm-batch", clients, warmup - warmup / 2, 100, client, false);
                }
                run("single", clients, seconds, 1, client, true);
                run("batch100", clients, seconds, 100, client, true);
                run("batch1000", clients, seconds, 1000, client, true);
            } finally {
                server.stop();
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

    private static void run(String name, int clients, int seconds, int batch, DgClient client, boolean report)
            throws InterruptedException {
        AtomicLong events = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    if (batch == 1) {
                        client.appendEvent(event(name + "-" + ids.incrementAndGet()));
                    } else {
                        List<Json> items = new ArrayList<>(batch);
                        for (int i = 0; i < batch; i++) {
                            items.add(event(name + "-" + ids.incrementAndGet()));
                        }
                        client.appendBatchMinimal(items, false);
                    }
                    latencies.add(System.nanoTime() - t0);
                    events.addAndGet(batch);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!report) {
            return;
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: clients=%d seconds=%d events=%d events/s=%.0f requests=%d p50=%.2fms p99=%.2fms%n",
                name, clients, seconds, events.get(), events.get() / (double) seconds, sorted.length,
                pct(sorted, 0.50), pct(sorted, 0.99));
        Arrays.fill(sorted, 0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }
}
