package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.projection.Projections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart drill of platform spec 7.7 with a real kill: a {@code dg serve} child process takes appends from four
 * writer threads (traces that each open a review item) and is killed with SIGKILL ({@code destroyForcibly()}: no
 * shutdown hook, no drain) in the middle of them; another writer then appends more events straight to the database
 * while the service is down. After a restart, with no new write to the log: every acknowledged event is stored, the
 * acknowledged traces and their workflow items are readable (the workflow projection imports at boot), the
 * projections catch up from the durable cursors the kill left behind (no replay or rebuild run), and there is no
 * retry storm (no worker retry or error, no worker exception metric, idle workers wake a few times a second at most).
 */
abstract class RestartDrillContract {
    static final String TENANT = "acme";
    private static final int WRITERS = 4;
    private static final int OFFLINE_TRACES = 60;

    @TempDir
    Path dir;

    abstract String newDatabase();

    @Test
    void killedUnderWriteLoadRestartsHealthyWithoutANewWrite() throws Exception {
        String db = newDatabase();
        CliRun created = CliRun.dg("accounts", "create", db, "--id", "drill-admin", "--role", "admin", "--role", "writer",
                "--permission", "*", "--tenant", TENANT);
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = ((JsonObject) JsonParser.parse(created.out().strip())).getString("token");
        Map<String, String> env = Map.of("DG_METRICS_PUBLIC", "true");

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> acknowledgedReviewTraces = ConcurrentHashMap.newKeySet();
        AtomicInteger connectionFailures = new AtomicInteger();
        try (ServeProcess first = ServeProcess.start(db, dir.resolve("serve-1.log"), env)) {
            DgClient client = new DgClient(first.base(), token, TENANT, 1, Duration.ofMillis(10));
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int t = 0; !stop.get(); t++) {
                        String trace = "drill-" + writer + "-" + t;
                        try {
                            for (JsonObject e : traceEvents(trace)) {
                                client.appendEvent(e);
                                acknowledged.add(e.getString("event_id"));
                            }
                            acknowledgedReviewTraces.add(trace);
                        } catch (DgApiException e) {
                            if (e.status() == 0) {
                                connectionFailures.incrementAndGet();
                                return; // the server is gone
                            }
                            throw e;
                        }
                    }
                }));
            }
            while (acknowledged.size() < 300) {
                Thread.sleep(10);
            }
            assertThat(first.kill()).as("killed by SIGKILL").isNotZero();
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
        }
        assertThat(connectionFailures.get()).as("writers saw the kill").isPositive();

        // another writer appends while the service is down (a second node, a batch import)
        List<String> offlineTraces = new ArrayList<>();
        Map<String, Long> cursorsWhileDown = new HashMap<>();
        try (Database database = Database.open(DbLocation.parse(db, null, null), StoreConfig.DEFAULTS)) {
            EventLog log = EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC());
            Projections projections = Projections.open(database, TENANT, Clock.systemUTC());
            for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
                cursorsWhileDown.put(p.wireName(), projections.store().cursor(p));
            }
            for (int t = 0; t < OFFLINE_TRACES; t++) {
                String trace = "offline-" + t;
                List<EventEnvelope> batch = new ArrayList<>();
                for (JsonObject e : traceEvents(trace)) {
                    batch.add(EnvelopeJson.fromJson(e));
                }
                assertThat(log.appendBatch(TENANT, batch)).hasSize(3);
                offlineTraces.add(trace);
            }
        }

        try (ServeProcess second = ServeProcess.start(db, dir.resolve("serve-2.log"), env)) {
            DgClient client = new DgClient(second.base(), token, TENANT, 1, Duration.ofMillis(10));
            // every acknowledged event is in the log
            Set<String> stored = new java.util.HashSet<>();
            String cursor = null;
            long last = 0;
            do {
                Map<String, String> q = new HashMap<>(Map.of("limit", "1000"));
                if (cursor != null) {
                    q.put("cursor", cursor);
                }
                JsonObject page = client.listEvents(q).data();
                for (Json e : page.getArray("events")) {
                    stored.add(((JsonObject) e).getString("event_id"));
                    last = Math.max(last, ((JsonInt) ((JsonObject) e).get("log_seq")).longValue());
                }
                cursor = page.get("next_cursor") instanceof org.decisiongraph.core.json.JsonString s ? s.value() : null;
            } while (cursor != null);
            assertThat(stored).containsAll(acknowledged);
            assertThat(stored).hasSize((int) last);
            long reviewTraces = stored.stream().filter(id -> id.endsWith("-2")).count();
            assertThat(reviewTraces).isGreaterThanOrEqualTo(acknowledgedReviewTraces.size() + OFFLINE_TRACES);
            // the kill left durable progress, and the projections were behind the log when the service came back
            for (var c : cursorsWhileDown.entrySet()) {
                assertThat(c.getValue()).as(c.getKey() + " cursor while down").isPositive().isLessThanOrEqualTo(last - OFFLINE_TRACES * 3);
            }

            // the projections catch up from their durable cursors; nothing is appended meanwhile
            JsonObject health = null;
            for (int i = 0; i < 600 && !caughtUp(health); i++) {
                Thread.sleep(100);
                health = client.projectionHealth().data();
            }
            assertThat(caughtUp(health)).as(String.valueOf(health)).isTrue();
            assertThat(health.get("event_log_last_seq")).isEqualTo(Json.of(last));
            for (Json p : health.getArray("projections")) {
                assertThat(((JsonObject) p).get("open_failures")).isEqualTo(Json.of(0));
            }
            assertThat(health.getArray("open_runs").isEmpty()).isTrue();

            // acknowledged and offline traces and their review items are readable
            for (String trace : List.of(acknowledgedReviewTraces.iterator().next(), offlineTraces.getLast())) {
                assertThat(client.trace(trace).data().getArray("events").size()).isEqualTo(3);
                JsonObject item = client.workflow(trace + ":exception:ex-" + trace).data();
                assertThat(item.toString()).contains("\"status\":\"requested\"");
            }
            JsonObject counts = client.workflowCounts().data();
            assertThat(counts.get("total_count")).isEqualTo(Json.of(reviewTraces));
            assertThat(counts.get("pending_source_events")).isEqualTo(Json.of(0));

            // no new write to the log during the whole catch-up
            assertThat(client.projectionHealth().data().get("event_log_last_seq")).isEqualTo(Json.of(last));

            // no retry storm: no worker retried or failed, no exception metric, and idle workers only wake on their
            // safety timer (poll interval 1 s); no rebuild ran, so the catch-up went forward from the durable cursors
            Map<String, Long> syncs = workerSyncs(client, last);
            String m1 = metrics(second);
            assertThat(m1).doesNotContain("decision_graph_projector_worker_exception_total{");
            Thread.sleep(3000);
            Map<String, Long> later = workerSyncs(client, last);
            for (var e : syncs.entrySet()) {
                // the 1 s safety timer plus lease renewals and checkpoint signals: a few per second; a retry loop
                // or a busy worker would show hundreds
                assertThat(later.get(e.getKey()) - e.getValue()).as(e.getKey() + " syncs in 3 s while idle").isLessThanOrEqualTo(15);
            }
            assertThat(client.replays(Map.of()).data().getArray("runs").isEmpty()).as("no replay or rebuild run").isTrue();
            assertThat(metrics(second)).doesNotContain("decision_graph_projector_worker_exception_total{");
            assertThat(second.stop()).isNotNegative();
        }
    }

    /** Each worker's sync count; every worker is idle at the log's end with no retry pending. */
    private static Map<String, Long> workerSyncs(DgClient client, long last) {
        Map<String, Long> out = new HashMap<>();
        for (Json w : client.projectorWorkers().data().getArray("workers")) {
            JsonObject o = (JsonObject) w;
            String name = o.getObject("key").getString("projection");
            if (!TENANT.equals(o.getObject("key").getString("tenant_id"))) {
                continue;
            }
            assertThat(o.get("retry_count")).as(o.toString()).isEqualTo(Json.of(0));
            assertThat(o.get("last_error")).as(o.toString()).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
            assertThat(o.get("cursor")).as(o.toString()).isEqualTo(Json.of(last));
            out.put(name, ((JsonInt) o.get("sync_count")).longValue());
        }
        assertThat(out.keySet()).contains("context_graph", "trace_summary", "precedent_index");
        return out;
    }

    private static boolean caughtUp(JsonObject health) {
        if (health == null) {
            return false;
        }
        for (Json p : health.getArray("projections")) {
            if (!Json.of(0).equals(((JsonObject) p).get("pending_events"))) {
                return false;
            }
        }
        return true;
    }

    private static String metrics(ServeProcess serve) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(serve.base().resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** TraceStarted → PolicyEvaluated (require_exception) → ExceptionRequested: opens one review item. */
    static List<JsonObject> traceEvents(String trace) {
        return List.of(
                event(trace, 0, "TraceStarted", "{\"workflow\":\"discount_approval\",\"title\":\"Discount " + trace + "\","
                        + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-" + trace + "\"}}"),
                event(trace, 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},"
                        + "\"inputs\":[],\"decision\":\"require_exception\"}"),
                event(trace, 2, "ExceptionRequested", "{\"exception_id\":\"ex-" + trace + "\",\"policy\":{\"policy_id\":"
                        + "\"discount-cap\",\"policy_version\":\"v3\"},\"reason\":\"discount above the cap\"}"));
    }

    private static JsonObject event(String trace, long seq, String type, String payload) {
        return (JsonObject) JsonParser.parse("{\"event_id\":\"" + trace + "-" + seq + "\",\"trace_id\":\"" + trace
                + "\",\"trace_seq\":" + seq + ",\"event_type\":\"" + type + "\",\"occurred_at\":\"" + Instant.now()
                + "\",\"source\":{\"producer_id\":\"drill\",\"system\":\"crm\",\"subsystem\":\"pricing\"},"
                + "\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"drill-agent\"},\"idempotency_key\":\"" + trace + ":" + seq
                + "\",\"payload\":" + payload + ",\"schema_version\":1,\"tags\":[]}");
    }
}

class SqliteRestartDrillTest extends RestartDrillContract {
    @Override
    String newDatabase() {
        return org.decisiongraph.testkit.TestDatabases.newSqlitePath().toString();
    }
}

class PostgresRestartDrillTest extends RestartDrillContract {
    @Override
    String newDatabase() {
        return org.decisiongraph.testkit.TestDatabases.newPostgresUrl();
    }
}
