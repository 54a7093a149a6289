package org.decisiongraph.server.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeJson;
import org.decisiongraph.projection.runtime.RuntimeListener;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out behind {@code GET /api/v1/stream} (N20): per-tenant subscribers with their topics. Appends publish
 * {@code event_appended} frames at once; projection changes mark the tenant, and a once-per-second tick sends a
 * {@code projection_health} frame to its subscribers when the health differs from the last one sent (so at most
 * one per second); run changes publish {@code replay_run} frames. A subscriber whose queue overflows is closed
 * (its client reconnects with {@code Last-Event-ID}).
 */
public final class StreamHub implements RuntimeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    static final int MAX_STREAMS_PER_ACCOUNT = 5;
    static final int QUEUE_CAPACITY = 10_000;
    static final List<String> TOPICS = List.of("events", "health", "workflows", "runs");

    /** One SSE frame; {@code logSeq} is set for {@code event_appended} frames. */
    record Frame(String event, Long logSeq, String data) {
        String text() {
            StringBuilder b = new StringBuilder("event: ").append(event).append('\n');
            if (logSeq != null) {
                b.append("id: ").append(logSeq).append('\n');
            }
            return b.append("data: ").append(data).append("\n\n").toString();
        }
    }

    /** One client of the hub (the API stream, or the console's {@code /console/stream}). */
    public static final class Subscriber {
        final String tenant;
        final String accountKey;
        final Set<String> topics;
        final BlockingQueue<Frame> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        volatile boolean closed;

        Subscriber(String tenant, String accountKey, Set<String> topics) {
            this.tenant = tenant;
            this.accountKey = accountKey;
            this.topics = topics;
        }

        /** The next frame as SSE text ({@code event:}, {@code id:}, {@code data:}), or null after {@code timeoutMs}. */
        public String next(long timeoutMs) throws InterruptedException {
            Frame f = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            return f == null ? null : f.text();
        }

        public boolean isClosed() {
            return closed;
        }
    }

    private final ProjectionRuntime runtime;
    private final Clock clock;
    private final Map<String, Set<Subscriber>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAccount = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastHealth = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;
    private volatile long heartbeatMs = StreamApi.HEARTBEAT_MS;

    public StreamHub(ProjectionRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dg-stream-hub");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The {@code heartbeat} frame interval of the streams (platform spec 1.15.8: 15 s; tests shorten it). */
    public StreamHub heartbeatInterval(java.time.Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
        }
        this.heartbeatMs = interval.toMillis();
        return this;
    }

    long heartbeatMs() {
        return heartbeatMs;
    }

    public boolean isClosed() {
        return closed;
    }

    Clock clock() {
        return clock;
    }

    public int clients() {
        return byTenant.values().stream().mapToInt(Set::size).sum();
    }

    /** Registers a subscriber; 429 {@code stream} when the account already has 5 streams in the tenant. */
    public Subscriber subscribe(String tenant, String accountId, Set<String> topics) {
        return subscribe(tenant, accountId, topics, MAX_STREAMS_PER_ACCOUNT);
    }

    /**
     * As above with the caller's own limit of open streams per {@code accountId} and tenant (the console's users, whose
     * page changes close a stream that the server notices only at its next write, get more than the API's 5).
     */
    public Subscriber subscribe(String tenant, String accountId, Set<String> topics, int maxStreams) {
        String key = accountId + ":" + tenant;
        AtomicInteger n = perAccount.computeIfAbsent(key, k -> new AtomicInteger());
        if (n.incrementAndGet() > maxStreams) {
            n.decrementAndGet();
            throw ApiError.rateLimited("stream", 1);
        }
        Subscriber s = new Subscriber(tenant, key, topics);
        byTenant.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(s);
        return s;
    }

    public void unsubscribe(Subscriber s) {
        s.closed = true;
        Set<Subscriber> set = byTenant.get(s.tenant);
        if (set != null && set.remove(s)) {
            perAccount.get(s.accountKey).decrementAndGet();
        }
    }

    /** {@code event_appended} frames for committed events (the append hook). */
    public void eventsAppended(String tenant, List<StoredEvent> events) {
        Set<Subscriber> subs = byTenant.get(tenant);
        if (subs == null || subs.isEmpty()) {
            return;
        }
        for (StoredEvent e : events) {
            Frame f = eventFrame(e);
            publish(subs, "events", f);
        }
    }

    /** A {@code workflow_changed} frame (topic {@code workflows}) for a committed item change of the tenant. */
    public void workflowChanged(String tenant, JsonObject data) {
        Set<Subscriber> subs = byTenant.get(tenant);
        if (subs == null || subs.isEmpty()) {
            return;
        }
        publish(subs, "workflows", new Frame("workflow_changed", null, JsonWriter.canonicalLenient(data)));
    }

    /**
     * A {@code workflow_changed} frame after a console action that may not write the item row (comment, evidence):
     * open console pages of the tenant re-render their workflow sections. Item writes also publish through
     * {@link #workflowChanged(String, JsonObject)}; a page re-rendering twice is harmless.
     */
    public void workflowChanged(String tenant, String workflowId, String status) {
        workflowChanged(tenant, JsonObject.builder().put("tenant_id", tenant).put("workflow_id", workflowId)
                .put("status", status).build());
    }

    static Frame eventFrame(StoredEvent e) {
        JsonObject data = JsonObject.builder()
                .put("tenant_id", e.tenantId())
                .put("log_seq", e.logSeq())
                .put("event_id", e.eventId())
                .put("event_type", e.eventType())
                .put("trace_id", e.traceId())
                .put("trace_seq", e.traceSeq())
                .put("occurred_at", e.occurredAt())
                .put("recorded_at", e.recordedAt())
                .build();
        return new Frame("event_appended", e.logSeq(), JsonWriter.canonicalLenient(data));
    }

    /** The health frame's data (projections without digests and timestamps, plus open runs). */
    Frame healthFrame(String tenant) {
        JsonObject h = runtime.health(tenant);
        List<Json> projections = new java.util.ArrayList<>();
        for (Json p : h.getArray("projections")) {
            JsonObject o = (JsonObject) p;
            projections.add(JsonObject.builder()
                    .put("projection_name", o.get("projection_name"))
                    .put("last_log_seq", o.get("last_log_seq"))
                    .put("pending_events", o.get("pending_events"))
                    .put("is_stale", o.get("is_stale"))
                    .put("open_failures", o.get("open_failures"))
                    .build());
        }
        JsonObject data = JsonObject.builder()
                .put("event_log_last_seq", h.get("event_log_last_seq"))
                .put("full_digest", h.get("full_digest"))
                .put("projections", Json.array(projections))
                .put("workflow_runtime", h.get("workflow_runtime") == null ? org.decisiongraph.core.json.JsonNull.INSTANCE
                        : h.get("workflow_runtime"))
                .put("open_runs", h.get("open_runs"))
                .build();
        return new Frame("projection_health", null, JsonWriter.canonicalLenient(data));
    }

    @Override
    public void projectionChanged(String tenant) {
        if (byTenant.containsKey(tenant)) {
            dirty.add(tenant);
        }
    }

    @Override
    public void runChanged(RuntimeStore.Run run, String event, double durationSeconds) {
        Set<Subscriber> subs = byTenant.get(run.tenantId());
        if (subs != null && !subs.isEmpty()) {
            publish(subs, "runs", new Frame("replay_run", null, JsonWriter.canonicalLenient(RuntimeJson.run(run))));
        }
        projectionChanged(run.tenantId());
    }

    private void tick() {
        for (String tenant : List.copyOf(dirty)) {
            dirty.remove(tenant);
            Set<Subscriber> subs = byTenant.get(tenant);
            if (subs == null || subs.isEmpty()) {
                continue;
            }
            try {
                Frame f = healthFrame(tenant);
                if (!f.data().equals(lastHealth.put(tenant, f.data()))) {
                    publish(subs, "health", f);
                }
            } catch (RuntimeException e) {
                LOG.warn("stream_health_failed tenant={} message={}", tenant, e.getMessage());
            }
        }
    }

    private static void publish(Set<Subscriber> subs, String topic, Frame frame) {
        for (Subscriber s : subs) {
            if (s.topics.contains(topic) && !s.queue.offer(frame)) {
                s.closed = true; // too slow: the client reconnects and resumes
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        byTenant.values().forEach(set -> set.forEach(s -> s.closed = true));
    }
}
