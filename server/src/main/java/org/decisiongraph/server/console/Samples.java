package org.decisiongraph.server.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag and event-rate samples kept in memory for the console's charts: every {@code interval}, for each tenant a
 * console page was shown for in the last 10 minutes, one health reading (event log position and pending events per
 * projection); the newest {@value #KEEP} per tenant. Thread-safe.
 */
public final class Samples implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Samples.class);
    static final int KEEP = 120;
    private static final Duration WATCH = Duration.ofMinutes(10);

    /** One reading: when, the event log's last log_seq, and pending events per projection. */
    public record Sample(Instant at, long lastLogSeq, Map<String, Long> pending) {
    }

    /** The event rate over the kept samples, and its sparkline points. */
    public record Rate(String label, String sparkline) {
    }

    private final ProjectionRuntime runtime;
    private final Clock clock;
    private final Map<String, Deque<Sample>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, Instant> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    public Samples(ProjectionRuntime runtime, Clock clock, Duration interval) {
        this.runtime = runtime;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dg-console-samples");
            t.setDaemon(true);
            return t;
        });
        if (runtime != null) {
            long ms = interval.toMillis();
            ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Marks {@code tenant} as watched (sampled for the next 10 minutes); takes a first sample when there is none. */
    public void watch(String tenant) {
        watched.put(tenant, clock.instant());
        if (runtime != null && !byTenant.containsKey(tenant)) {
            sample(tenant);
        }
    }

    /** The kept samples of {@code tenant}, oldest first. */
    public List<Sample> samples(String tenant) {
        Deque<Sample> d = byTenant.get(tenant);
        if (d == null) {
            return List.of();
        }
        synchronized (d) {
            return new ArrayList<>(d);
        }
    }

    private void tick() {
        Instant cutoff = clock.instant().minus(WATCH);
        watched.entrySet().removeIf(e -> e.getValue().isBefore(cutoff));
        for (String tenant : watched.keySet()) {
            sample(tenant);
        }
    }

    void sample(String tenant) {
        try {
            JsonObject h = runtime.health(tenant);
            Map<String, Long> pending = new java.util.LinkedHashMap<>();
            for (Json j : h.getArray("projections")) {
                JsonObject p = (JsonObject) j;
                pending.put(p.getString("projection_name"), JsonRead.num(p, "pending_events"));
            }
            Deque<Sample> d = byTenant.computeIfAbsent(tenant, t -> new ArrayDeque<>());
            synchronized (d) {
                d.addLast(new Sample(clock.instant(), JsonRead.num(h, "event_log_last_seq"), pending));
                while (d.size() > KEEP) {
                    d.removeFirst();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("console_sample_failed tenant={} message={}", tenant, e.getMessage());
        }
    }

    /** Events per second between the oldest and newest sample, plus a sparkline of per-interval counts. */
    public Rate rate(String tenant) {
        watch(tenant);
        List<Sample> s = samples(tenant);
        if (s.size() < 2) {
            return new Rate("collecting samples", Svg.sparkline(List.of(), 240, 40));
        }
        Sample a = s.getFirst();
        Sample b = s.getLast();
        double seconds = Math.max(0.001, Duration.between(a.at(), b.at()).toMillis() / 1000.0);
        double perSecond = (b.lastLogSeq() - a.lastLogSeq()) / seconds;
        List<Double> deltas = new ArrayList<>();
        for (int i = 1; i < s.size(); i++) {
            deltas.add((double) Math.max(0, s.get(i).lastLogSeq() - s.get(i - 1).lastLogSeq()));
        }
        return new Rate(String.format(Locale.ROOT, "%.2f events/s over %d s", perSecond, Math.round(seconds)),
                Svg.sparkline(deltas, 240, 40));
    }

    /** The pending-events series of one projection (for the lag chart). */
    public List<Double> lag(String tenant, String projection) {
        watch(tenant);
        List<Double> out = new ArrayList<>();
        for (Sample x : samples(tenant)) {
            out.add((double) x.pending().getOrDefault(projection, 0L));
        }
        return out;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
