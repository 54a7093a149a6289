package org.decisiongraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * The soak: single appends at a fixed rate ({@code reliability.soak.rate} events/s, open loop) for
 * {@code reliability.soak.seconds} (25 s in CI, 600 s with {@code -Pnightly}) against {@code dg serve} as a child
 * process, with the child's used heap (from {@code /metrics}) and the projection lag sampled every second. Every
 * acknowledged event must be stored once and the projections must catch up at the end. The heap trend after
 * warm-up (the first third) is the least-squares slope of the per-5-second heap floors; it is judged (under
 * 2 MB/min) only in runs of at least 5 minutes, where full collections make the floor meaningful.
 */
class SoakTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs", "soak");

    @Test
    void steadyIngestWithoutHeapGrowthOrLostEvents() throws Exception {
        int seconds = Settings.soakSeconds();
        int rate = Settings.soakRate();
        String db = TestDatabases.newSqlitePath().toString();
        String token = DgProcess.createAccount(db, "soak-writer", "writer", List.of(), List.of("soak"));
        String metricsToken = "soak-metrics-" + Long.toHexString(System.nanoTime());
        DgProcess.ISSUED_SECRETS.add(metricsToken);
        try (DgProcess dg = DgProcess.start(db, LOGS, Map.of("DG_METRICS_TOKEN", metricsToken))) {
            DgClient client = new DgClient(dg.base(), token, "soak", 3, Duration.ofMillis(100));
            Map<String, Long> acked = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<double[]> heap = new CopyOnWriteArrayList<>(); // {seconds since start, MB}
            List<long[]> lag = new CopyOnWriteArrayList<>();    // {seconds, events behind}
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        double t = (System.nanoTime() - start) / 1e9;
                        heap.add(new double[] {t, heapUsedMb(dg, metricsToken)});
                        JsonObject h = client.projectionHealth().data();
                        long last = Api.longOf(h, "event_log_last_seq");
                        long min = last;
                        for (Json p : h.getArray("projections")) {
                            min = Math.min(min, Api.longOf((JsonObject) p, "last_log_seq"));
                        }
                        lag.add(new long[] {(long) t, last - min});
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        failures.add("sampler: " + e);
                    }
                }
            });
            long interval = 1_000_000_000L / rate;
            List<Thread> inflight = new ArrayList<>();
            for (long next = start, n = 0; next < end; next += interval, n++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long id = n;
                sent.incrementAndGet();
                inflight.add(Thread.ofVirtual().start(() -> {
                    try {
                        JsonObject stored = client.appendEvent(Events.event("soak-" + id, 0, id)).data().getObject("event");
                        acked.put(stored.getString("event_id"), Api.longOf(stored, "log_seq"));
                    } catch (DgApiException e) {
                        failures.add(e.status() + " " + e.getMessage());
                    }
                }));
                if (inflight.size() > 10_000) {
                    inflight.removeIf(t -> !t.isAlive());
                }
            }
            for (Thread t : inflight) {
                t.join();
            }
            double took = (System.nanoTime() - start) / 1e9;
            Api.awaitCaughtUp(client, Duration.ofSeconds(120));
            sampler.interrupt();
            sampler.join();
            List<JsonObject> stored = Api.allEvents(client);

            double warm = seconds / 3.0;
            List<double[]> floors = floors(heap.stream().filter(s -> s[0] >= warm).toList(), 5.0);
            double floorTrend = slopePerMinute(floors);
            double rawTrend = slopePerMinute(heap.stream().filter(s -> s[0] >= warm).toList());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("duration_s", Math.round(took));
            figures.put("target_rate_per_s", rate);
            figures.put("events", acked.size());
            figures.put("achieved_rate_per_s", Math.round(acked.size() / took));
            figures.put("failed_requests", failures.size());
            figures.put("stored_events", stored.size());
            figures.put("heap_samples", heap.size());
            figures.put("heap_max_mb", Math.round(heap.stream().mapToDouble(s -> s[1]).max().orElse(0)));
            figures.put("heap_trend_mb_per_min", String.format(java.util.Locale.ROOT, "%.2f", floorTrend));
            figures.put("heap_trend_raw_mb_per_min", String.format(java.util.Locale.ROOT, "%.2f", rawTrend));
            figures.put("lag_max_events", lag.stream().mapToLong(l -> l[1]).max().orElse(0));
            figures.put("lag_mean_events", Math.round(lag.stream().mapToLong(l -> l[1]).average().orElse(0)));
            Figures.record("soak", figures);

            assertThat(failures).isEmpty();
            assertThat(acked).hasSize((int) sent.get());
            assertThat(stored).hasSize(acked.size());
            for (JsonObject e : stored) {
                assertThat(acked.get(e.getString("event_id"))).isEqualTo(Api.longOf(e, "log_seq"));
            }
            assertThat(heap).as("heap samples").hasSizeGreaterThan(seconds / 4);
            if (seconds >= 300) {
                assertThat(floorTrend).as("heap floor trend after warm-up (MB/min)").isLessThan(2.0);
            }
        }
    }

    /** Used heap of the child in MB: the sum of {@code jvm_memory_used_bytes{area="heap"}} of {@code /metrics}. */
    private static double heapUsedMb(DgProcess dg, String metricsToken) {
        try {
            Http.Answer a = Http.exchange(dg.base(), "GET", "/metrics", null, Map.of("Authorization", "Bearer " + metricsToken));
            double bytes = 0;
            for (String line : a.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return bytes / 1e6;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lowest sample of each window: the heap's floor after collections. */
    static List<double[]> floors(List<double[]> samples, double windowSeconds) {
        Map<Long, double[]> byWindow = new java.util.TreeMap<>();
        for (double[] s : samples) {
            byWindow.merge((long) (s[0] / windowSeconds), s, (a, b) -> a[1] <= b[1] ? a : b);
        }
        return new ArrayList<>(byWindow.values());
    }

    /** Least-squares slope of (seconds, MB) in MB per minute; 0 for fewer than two points. */
    static double slopePerMinute(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double sx = 0;
        double sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den * 60;
    }
}
