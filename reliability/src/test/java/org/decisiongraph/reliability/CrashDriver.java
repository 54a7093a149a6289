package org.decisiongraph.reliability;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;

/**
 * The crash driver: {@code dg serve} as a child process, concurrent writers (single appends and whole-trace
 * batches) in two tenants, SIGKILL after a seeded random delay, restart on the same database, then the
 * invariants over what the API reads back:
 * <ul>
 *   <li>every acknowledged event is stored exactly once (event id, idempotency key and log_seq unique;
 *       log_seq 1..n without gaps; trace_seq 0..k without holes);</li>
 *   <li>nothing is half-stored: every stored event is one that was sent, with the payload and envelope
 *       fields sent and a payload hash equal to the recomputed hash;</li>
 *   <li>the projections catch up after the restart without any new append (boot starts the workers);</li>
 *   <li>every tenth cycle and at the end a digest verification (clean rebuild in memory compared with the
 *       live tables) passes.</li>
 * </ul>
 * Unacknowledged requests are re-sent unchanged in the next cycle (the idempotency key makes that safe), so
 * by the end every event is acknowledged: an event that was committed but not answered comes back as reused.
 */
final class CrashDriver {
    static final List<String> TENANTS = List.of("rel-a", "rel-b");

    private final String db;
    private final Path logDir;
    private final long seed;
    private final int writersPerTenant;
    private final String adminToken;
    private final Map<String, String> writerTokens = new HashMap<>();

    /** eventId -> the envelope as sent (canonical), for every event ever sent. */
    private final Map<String, JsonObject> sent = new ConcurrentHashMap<>();
    /** eventId -> the log_seq of its acknowledgement. */
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final List<Writer> writers = new ArrayList<>();
    private long digestVerifications;
    private long unackedResent;

    record Outcome(int cycles, long acknowledged, long lost, long duplicates, long halfStored, long spurious, long requests,
                   long idempotentReplays, long unackedResent, long digestVerifications, List<String> failures) {
    }

    CrashDriver(String db, Path logDir, long seed, int writersPerTenant) {
        this.db = db;
        this.logDir = logDir;
        this.seed = seed;
        this.writersPerTenant = writersPerTenant;
        this.adminToken = DgProcess.createAccount(db, "rel-admin", "admin", List.of("*"), List.of("*"));
        for (String tenant : TENANTS) {
            writerTokens.put(tenant, DgProcess.createAccount(db, "rel-writer-" + tenant, "writer", List.of(), List.of(tenant)));
        }
        for (String tenant : TENANTS) {
            for (int i = 0; i < writersPerTenant; i++) {
                writers.add(new Writer(tenant, i, i % 2 == 0 ? Mode.SINGLE : Mode.BATCH));
            }
        }
    }

    String adminToken() {
        return adminToken;
    }

    Outcome run(int cycles) throws Exception {
        Random random = new Random(seed);
        long lost = 0;
        long duplicates = 0;
        long halfStored = 0;
        long spurious = 0;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            try (DgProcess dg = DgProcess.start(db, logDir, Map.of())) {
                Check check = check(dg.base(), cycle);
                lost += check.lost;
                duplicates += check.duplicates;
                halfStored += check.halfStored;
                spurious += check.spurious;
                if (cycle % 10 == 0) {
                    verifyDigests(dg.base(), cycle);
                }
                long loadMillis = 150 + random.nextInt(1350);
                List<Thread> threads = new ArrayList<>();
                for (Writer w : writers) {
                    w.stop = false;
                    DgClient client = new DgClient(dg.base(), writerTokens.get(w.tenant), w.tenant, 1, Duration.ofMillis(10));
                    threads.add(Thread.ofVirtual().start(() -> w.runUntilStopped(client)));
                }
                Thread.sleep(loadMillis);
                dg.kill();
                for (Writer w : writers) {
                    w.stop = true;
                }
                for (Thread t : threads) {
                    t.join(Duration.ofSeconds(60));
                }
            }
        }
        // final round: restart, re-send what is still unacknowledged, check, verify digests, stop cleanly
        try (DgProcess dg = DgProcess.start(db, logDir, Map.of())) {
            for (Writer w : writers) {
                DgClient client = new DgClient(dg.base(), writerTokens.get(w.tenant), w.tenant, 3, Duration.ofMillis(200));
                w.stop = false;
                w.flushPending(client);
            }
            Check check = check(dg.base(), cycles + 1);
            lost += check.lost;
            duplicates += check.duplicates;
            halfStored += check.halfStored;
            spurious += check.spurious;
            for (String id : sent.keySet()) {
                if (!acked.containsKey(id)) {
                    failures.add("event " + id + " still unacknowledged after the final re-send");
                }
            }
            verifyDigests(dg.base(), cycles + 1);
            int exit = dg.stop();
            // the JVM answers SIGTERM with 143 (128 + 15) after its shutdown hook ran: that is the clean stop
            if (exit != 0 && exit != 143 || !java.nio.file.Files.readString(dg.stdout()).contains("dg_serve_stopped")) {
                failures.add("dg serve did not stop cleanly on SIGTERM (exit " + exit + ")");
            }
        }
        return new Outcome(cycles, acked.size(), lost, duplicates, halfStored, spurious, requests.get(), replays.get(),
                unackedResent, digestVerifications, List.copyOf(failures));
    }

    private void verifyDigests(URI base, int cycle) throws InterruptedException {
        DgClient admin = new DgClient(base, adminToken, null, 3, Duration.ofMillis(200));
        for (String tenant : TENANTS) {
            DgClient t = admin.as(adminToken, tenant);
            Api.awaitCaughtUp(t, Duration.ofSeconds(60));
            JsonObject v = Api.verifyDigests(t, Duration.ofSeconds(120));
            digestVerifications++;
            if (!"passed".equals(v.getString("status"))) {
                failures.add("cycle " + cycle + " tenant " + tenant + ": digest verification " + JsonWriter.canonicalLenient(v));
            }
        }
    }

    private record Check(long lost, long duplicates, long halfStored, long spurious) {
    }

    /** The invariants over what the API reads back after a restart. */
    private Check check(URI base, int cycle) throws InterruptedException {
        long lost = 0;
        long duplicates = 0;
        long halfStored = 0;
        long spurious = 0;
        Set<String> seenAnywhere = new HashSet<>();
        for (String tenant : TENANTS) {
            DgClient admin = new DgClient(base, adminToken, tenant, 3, Duration.ofMillis(200));
            List<JsonObject> stored = Api.allEvents(admin);
            Set<String> ids = new HashSet<>();
            Set<String> keys = new HashSet<>();
            Map<String, Set<Long>> traceSeqs = new HashMap<>();
            long expectedSeq = 1;
            for (JsonObject e : stored) {
                String id = e.getString("event_id");
                long logSeq = Api.longOf(e, "log_seq");
                if (logSeq != expectedSeq) {
                    failures.add("cycle " + cycle + " tenant " + tenant + ": log_seq " + logSeq + " where " + expectedSeq + " was next");
                }
                expectedSeq = logSeq + 1;
                if (!ids.add(id) | !keys.add(e.getString("idempotency_key")) | !seenAnywhere.add(id)) {
                    duplicates++;
                    failures.add("cycle " + cycle + " tenant " + tenant + ": duplicate event " + id);
                }
                JsonObject expected = sent.get(id);
                if (expected == null || !id.startsWith(tenant + "-")) {
                    spurious++;
                    failures.add("cycle " + cycle + " tenant " + tenant + ": stored event that was never sent to it: " + id);
                    continue;
                }
                if (!sameEnvelope(expected, e)) {
                    halfStored++;
                    failures.add("cycle " + cycle + ": stored event differs from what was sent: " + JsonWriter.canonicalLenient(e));
                }
                Long ackSeq = acked.get(id);
                if (ackSeq != null && ackSeq != logSeq) {
                    duplicates++;
                    failures.add("cycle " + cycle + ": event " + id + " acknowledged at log_seq " + ackSeq + " but stored at " + logSeq);
                }
                traceSeqs.computeIfAbsent(e.getString("trace_id"), k -> new HashSet<>()).add(Api.longOf(e, "trace_seq"));
            }
            traceSeqs.forEach((trace, seqs) -> {
                for (long s = 0; s < seqs.size(); s++) {
                    if (!seqs.contains(s)) {
                        failures.add("cycle " + cycle + ": trace " + trace + " has a hole at trace_seq " + s + ": " + seqs);
                    }
                }
            });
            for (String id : acked.keySet()) {
                if (id.startsWith(tenant + "-") && !ids.contains(id)) {
                    lost++;
                    failures.add("cycle " + cycle + ": acknowledged event " + id + " is missing");
                }
            }
            Api.awaitCaughtUp(admin, Duration.ofSeconds(60));
        }
        return new Check(lost, duplicates, halfStored, spurious);
    }

    private static boolean sameEnvelope(JsonObject sentEvent, JsonObject stored) {
        for (String field : List.of("event_id", "trace_id", "trace_seq", "event_type", "occurred_at", "idempotency_key",
                "payload", "source", "actor")) {
            if (!JsonWriter.canonicalLenient(sentEvent.get(field)).equals(JsonWriter.canonicalLenient(stored.get(field)))) {
                return false;
            }
        }
        String hash = Hashing.payloadHash(stored.get("payload"));
        return hash.equals(stored.getString("payload_hash")) && hash.equals(Hashing.payloadHash(sentEvent.get("payload")));
    }

    enum Mode { SINGLE, BATCH }

    /** One writer: its own traces, sequential; what is unacknowledged stays pending for the next cycle. */
    private final class Writer {
        final String tenant;
        final int index;
        final Mode mode;
        int trace;
        int seq;
        List<Json> pending = List.of();
        volatile boolean stop;

        Writer(String tenant, int index, Mode mode) {
            this.tenant = tenant;
            this.index = index;
            this.mode = mode;
        }

        String traceId() {
            return tenant + "-w" + index + "-t" + trace;
        }

        long salt() {
            return seed * 1_000_003L + (long) index * 100_000L + trace;
        }

        void runUntilStopped(DgClient client) {
            while (!stop) {
                if (!sendOnce(client)) {
                    return;
                }
            }
        }

        void flushPending(DgClient client) {
            if (!pending.isEmpty()) {
                unackedResent += pending.size();
                sendOnce(client);
            }
        }

        /** Sends the pending request or the next one; false when the server is gone (the request stays pending). */
        boolean sendOnce(DgClient client) {
            if (pending.isEmpty()) {
                pending = mode == Mode.SINGLE ? List.of(Events.event(traceId(), seq, salt())) : Events.trace(traceId(), salt());
                for (Json e : pending) {
                    sent.put(((JsonObject) e).getString("event_id"), (JsonObject) e);
                }
            }
            requests.incrementAndGet();
            try {
                if (mode == Mode.SINGLE) {
                    ApiResponse r = client.appendEvent(pending.getFirst());
                    JsonObject stored = r.data().getObject("event");
                    ack(stored, r.header("Idempotent-Replay").isPresent());
                    seq++;
                    if (seq == Events.TRACE_LENGTH) {
                        seq = 0;
                        trace++;
                    }
                } else {
                    ApiResponse r = client.appendBatch(pending, false);
                    for (Json item : DgClient.results(r)) {
                        JsonObject res = (JsonObject) item;
                        String outcome = res.getString("outcome");
                        if (!outcome.equals("appended") && !outcome.equals("reused")) {
                            failures.add("batch item rejected: " + JsonWriter.canonicalLenient(res));
                            stop = true;
                            return false;
                        }
                        ack(res.getObject("event"), outcome.equals("reused"));
                    }
                    trace++;
                }
                pending = List.of();
                return true;
            } catch (DgApiException e) {
                if (e.status() == 0 || e.status() == 503) {
                    return false; // the server is being killed: the request stays pending
                }
                failures.add(tenant + " writer " + index + ": unexpected " + e.status() + " " + e.getMessage());
                stop = true;
                return false;
            }
        }

        void ack(JsonObject stored, boolean replay) {
            String id = stored.getString("event_id");
            long logSeq = Api.longOf(stored, "log_seq");
            if (replay) {
                replays.incrementAndGet();
            }
            Long before = acked.putIfAbsent(id, logSeq);
            if (before != null && before != logSeq) {
                failures.add("event " + id + " acknowledged twice at different log_seq " + before + " and " + logSeq);
            }
            if (!sameEnvelope(sent.get(id), stored)) {
                failures.add("acknowledged event differs from what was sent: " + JsonWriter.canonicalLenient(stored));
            }
        }
    }

    static Map<String, Object> figures(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycles", o.cycles());
        m.put("acknowledged_events", o.acknowledged());
        m.put("lost_events", o.lost());
        m.put("duplicates", o.duplicates());
        m.put("half_stored", o.halfStored());
        m.put("spurious", o.spurious());
        m.put("requests", o.requests());
        m.put("idempotent_replays", o.idempotentReplays());
        m.put("unacked_resent_at_end", o.unackedResent());
        m.put("digest_verifications_passed", o.digestVerifications() - o.failures().stream().filter(f -> f.contains("digest")).count());
        m.put("failures", o.failures().size());
        return m;
    }
}
