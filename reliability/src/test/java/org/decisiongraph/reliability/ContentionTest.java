package org.decisiongraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Contention: many writers racing on the same events and the same trace positions, two server processes on
 * one Postgres sharing projection work while one of them is SIGKILLed.
 */
class ContentionTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs", "contention");
    private static final Map<String, Long> FIGURES = new ConcurrentHashMap<>();

    /** N writers send the same events (same bodies, same keys) at once: one append each, the rest replays. */
    private void idempotentRaces(String db, String label) throws Exception {
        String token = DgProcess.createAccount(db, "racer", "writer", List.of(), List.of("race"));
        String admin = DgProcess.createAccount(db, "race-admin", "admin", List.of("*"), List.of("*"));
        int racers = 8;
        int traces = 12;
        try (DgProcess dg = DgProcess.start(db, LOGS, Map.of())) {
            DgClient client = new DgClient(dg.base(), token, "race", 1, Duration.ofMillis(10));
            Map<String, AtomicInteger> appended = new ConcurrentHashMap<>();
            Map<String, Set<Long>> logSeqs = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        for (int t = 0; t < traces; t++) {
                            for (int seq = 0; seq < Events.TRACE_LENGTH; seq++) {
                                JsonObject e = Events.event("race-" + label + "-" + t, seq, t);
                                ApiResponse resp = client.appendEvent(e);
                                String id = e.getString("event_id");
                                if (resp.header("Idempotent-Replay").isEmpty()) {
                                    appended.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                                }
                                logSeqs.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                                        .add(Api.longOf(resp.data().getObject("event"), "log_seq"));
                            }
                        }
                    } catch (DgApiException e) {
                        failures.add(e.status() + " " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            int events = traces * Events.TRACE_LENGTH;
            assertThat(appended).hasSize(events);
            assertThat(appended.values()).allSatisfy(n -> assertThat(n.get()).as("appends of one event").isEqualTo(1));
            assertThat(logSeqs.values()).allSatisfy(s -> assertThat(s).as("log_seq of one event across racers").hasSize(1));
            List<JsonObject> stored = Api.allEvents(client);
            assertThat(stored).hasSize(events);
            assertThat(stored.stream().map(e -> e.getString("event_id")).distinct()).hasSize(events);
            DgClient adminClient = new DgClient(dg.base(), admin, "race", 3, Duration.ofMillis(100));
            Api.awaitCaughtUp(adminClient, Duration.ofSeconds(60));
            assertThat(Api.verifyDigests(adminClient, Duration.ofSeconds(60)).getString("status")).isEqualTo("passed");
            FIGURES.merge("idempotent_race_requests", (long) racers * events, Long::sum);
            FIGURES.merge("idempotent_race_duplicates", stored.size() - (long) events, Long::sum);
        }
    }

    @Test
    void idempotentRetriesRaceOnSqlite() throws Exception {
        idempotentRaces(TestDatabases.newSqlitePath().toString(), "sqlite");
        record();
    }

    @Test
    void idempotentRetriesRaceOnPostgres() throws Exception {
        idempotentRaces(TestDatabases.newPostgresUrl(), "postgres");
        record();
    }

    /** Writers with different events for the same trace position: exactly one wins each position, the rest get 409. */
    @Test
    void competingEventsForOneTracePositionOnPostgres() throws Exception {
        String db = TestDatabases.newPostgresUrl();
        String token = DgProcess.createAccount(db, "competitor", "writer", List.of(), List.of("compete"));
        int writers = 6;
        int positions = 8;
        try (DgProcess dg = DgProcess.start(db, LOGS, Map.of())) {
            DgClient client = new DgClient(dg.base(), token, "compete", 1, Duration.ofMillis(10));
            client.appendEvent(Events.event("shared", 0, 0));
            Map<Integer, List<String>> winners = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicLong conflicts = new AtomicLong();
            for (int seq = 1; seq <= positions; seq++) {
                int position = seq;
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    threads.add(Thread.ofVirtual().start(() -> {
                        JsonObject e = Events.envelope("shared", position, "PolicyEvaluated",
                                "{\"decision\":\"allow\",\"inputs\":[],\"policy\":{\"policy_id\":\"p\",\"policy_version\":\"1\"},"
                                        + "\"violations\":[],\"explanation\":{\"summary\":\"writer " + writer + "\"}}")
                                .with("event_id", Json.of("shared-" + position + "-w" + writer))
                                .with("idempotency_key", Json.of("shared:" + position + ":w" + writer));
                        try {
                            go.await();
                            client.appendEvent(e);
                            winners.computeIfAbsent(position, k -> new CopyOnWriteArrayList<>()).add(e.getString("event_id"));
                        } catch (DgApiException ex) {
                            if (ex.status() == 409) {
                                conflicts.incrementAndGet();
                            } else {
                                unexpected.add(ex.status() + " " + ex.getMessage());
                            }
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                go.countDown();
                for (Thread t : threads) {
                    t.join();
                }
            }
            assertThat(unexpected).isEmpty();
            for (int seq = 1; seq <= positions; seq++) {
                assertThat(winners.get(seq)).as("winners of trace_seq %d", seq).hasSize(1);
            }
            assertThat(conflicts.get()).isEqualTo((long) positions * (writers - 1));
            List<JsonObject> stored = Api.allEvents(client);
            assertThat(stored).hasSize(positions + 1);
            for (int seq = 0; seq <= positions; seq++) {
                assertThat(Api.longOf(stored.get(seq), "trace_seq")).isEqualTo(seq);
            }
            FIGURES.put("competing_writers_conflicts_409", conflicts.get());
            record();
        }
    }

    /**
     * Two {@code dg serve} processes on one Postgres: writers spread over both, node A (which took the
     * projection leases first) is SIGKILLed mid-load, its writers move to node B and re-send what was not
     * answered; node B takes the leases over after their TTL and everything acknowledged is stored once, with
     * projection digests equal to a clean rebuild.
     */
    @Test
    void twoNodesShareProjectionWorkAndOneIsKilled() throws Exception {
        String db = TestDatabases.newPostgresUrl();
        String tenant = "shared";
        String token = DgProcess.createAccount(db, "two-node-writer", "writer", List.of(), List.of(tenant));
        String admin = DgProcess.createAccount(db, "two-node-admin", "admin", List.of("*"), List.of("*"));
        DgProcess nodeA = DgProcess.start(db, LOGS, Map.of());
        try (DgProcess nodeB = DgProcess.start(db, LOGS, Map.of())) {
            DgClient a = new DgClient(nodeA.base(), token, tenant, 1, Duration.ofMillis(10));
            DgClient b = new DgClient(nodeB.base(), token, tenant, 3, Duration.ofMillis(100));
            a.appendEvent(Events.event("first", 0, 0));
            // leases are held for the length of one catch-up run; sample who holds them while the load runs
            Set<String> owners = ConcurrentHashMap.newKeySet();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        owners.addAll(liveLeases(db, tenant).values());
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a sample may fail while the database is busy; the next one counts
                    }
                }
            });

            Map<String, JsonObject> sent = new ConcurrentHashMap<>();
            Map<String, Long> acked = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    DgClient mine = writer % 2 == 0 ? a : b;
                    for (int t = 0; t < 25; t++) {
                        List<Json> batch = Events.trace("n-w" + writer + "-t" + t, writer * 1000L + t);
                        batch.forEach(e -> sent.put(((JsonObject) e).getString("event_id"), (JsonObject) e));
                        while (true) {
                            try {
                                for (Json r : DgClient.results(mine.appendBatch(batch, false))) {
                                    JsonObject res = (JsonObject) r;
                                    if (!List.of("appended", "reused").contains(res.getString("outcome"))) {
                                        failures.add(JsonWriter.canonicalLenient(res));
                                    }
                                    JsonObject ev = res.getObject("event");
                                    acked.put(ev.getString("event_id"), Api.longOf(ev, "log_seq"));
                                }
                                break;
                            } catch (DgApiException e) {
                                if (mine == a && (e.status() == 0 || e.status() == 503)) {
                                    mine = b; // node A is gone: re-send the same batch to node B
                                    continue;
                                }
                                failures.add(e.status() + " " + e.getMessage());
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(800);
            nodeA.kill();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(acked.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
            DgClient adminB = new DgClient(nodeB.base(), admin, tenant, 3, Duration.ofMillis(100));
            List<JsonObject> stored = Api.allEvents(adminB);
            assertThat(stored).hasSize(sent.size() + 1);
            Set<String> ids = new HashSet<>();
            for (JsonObject e : stored) {
                assertThat(ids.add(e.getString("event_id"))).as("stored once: %s", e.getString("event_id")).isTrue();
                Long ack = acked.get(e.getString("event_id"));
                if (ack != null) {
                    assertThat(Api.longOf(e, "log_seq")).isEqualTo(ack);
                }
            }
            // node B catches every projection up to the end of the log: it took over whatever node A held
            Api.awaitCaughtUp(adminB, Duration.ofSeconds(60));
            sampler.interrupt();
            sampler.join();
            assertThat(Api.verifyDigests(adminB, Duration.ofSeconds(60)).getString("status")).isEqualTo("passed");
            FIGURES.put("two_node_acknowledged_events", (long) acked.size());
            FIGURES.put("two_node_lease_owners_seen", (long) owners.size());
            FIGURES.put("two_node_lost_events", acked.keySet().stream().filter(id -> !ids.contains(id)).count());
            record();
        } finally {
            nodeA.close();
        }
    }

    /** (projection -> owner) of the tenant's live leases. */
    static Map<String, String> liveLeases(String url, String tenant) throws Exception {
        Map<String, String> owners = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT projection_name, owner_id, expires_at_ms FROM dg_projection_leases WHERE tenant_id = '"
                     + tenant + "' ORDER BY projection_name")) {
            long now = System.currentTimeMillis();
            while (rs.next()) {
                if (rs.getLong(3) > now) {
                    owners.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return owners;
    }

    private static void record() {
        Figures.record("contention", new HashMap<>(FIGURES));
    }

}
