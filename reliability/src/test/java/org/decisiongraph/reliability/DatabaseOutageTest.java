package org.decisiongraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;

/**
 * Postgres stopped and started under load (its own embedded server, the shared one of the testkit serves
 * other tests): while it is down requests fail fast with 503 and {@code Retry-After} and readiness says 503;
 * once it is back the same server process recovers on its own; nothing acknowledged is lost.
 */
class DatabaseOutageTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs", "outage");

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("max_connections", "60").start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Answer(long atNanos, int status, long millis, boolean retryAfter, String code) {
    }

    @Test
    void postgresRestartUnderLoad() throws Exception {
        Path dataDir = Files.createTempDirectory("dg-outage-pg-");
        int port = freePort();
        EmbeddedPostgres pg = startPostgres(dataDir, port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
        String token = DgProcess.createAccount(url, "outage-writer", "writer", List.of(), List.of("outage"));
        String admin = DgProcess.createAccount(url, "outage-admin", "admin", List.of("*"), List.of("*"));
        try (DgProcess dg = DgProcess.start(url, LOGS, Map.of())) {
            DgClient client = new DgClient(dg.base(), token, "outage", 1, Duration.ofMillis(10));
            Map<String, JsonObject> sent = new ConcurrentHashMap<>();
            Map<String, Long> acked = new ConcurrentHashMap<>();
            List<Answer> answers = new CopyOnWriteArrayList<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicLong trace = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        long t = trace.incrementAndGet();
                        JsonObject e = Events.event("outage-" + t, 0, t);
                        sent.put(e.getString("event_id"), e);
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = client.raw("POST", "/api/v1/events", JsonWriter.canonicalLenient(e),
                                    Map.of("Authorization", "Bearer " + token, "x-tenant-id", "outage",
                                            "Content-Type", "application/json", "Accept", "application/json"));
                            long ms = (System.nanoTime() - t0) / 1_000_000;
                            String code = r.body().contains("\"error\"") ? JsonWriter.canonicalLenient(
                                    ((JsonObject) org.decisiongraph.core.json.JsonParser.parse(r.body())).getObject("error").get("code")) : "";
                            answers.add(new Answer(t0, r.statusCode(), ms, r.headers().firstValue("Retry-After").isPresent(), code));
                            if (r.statusCode() == 201) {
                                JsonObject stored = ((JsonObject) org.decisiongraph.core.json.JsonParser.parse(r.body()))
                                        .getObject("data").getObject("event");
                                acked.put(stored.getString("event_id"), Api.longOf(stored, "log_seq"));
                                break;
                            }
                            if (r.statusCode() != 503) {
                                unexpected.add(r.statusCode() + " " + r.body());
                                break;
                            }
                            sleep(100); // the client backs off, then re-sends the same event
                        }
                    }
                }));
            }
            Thread.sleep(1500);
            pg.close();
            // requests started while Postgres was still shutting down may commit: the outage counts from its end
            long downAt = System.nanoTime();
            Thread.sleep(12_000);
            HttpResponse<String> ready = client.raw("GET", "/api/readyz", null, Map.of());
            int readyWhileDown = ready.statusCode();
            long upAt = System.nanoTime(); // the restart begins: answers completed before this saw no database
            pg = startPostgres(dataDir, port);
            // recovery: the first 201 after the restart, without restarting dg serve
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (answers.stream().noneMatch(a -> a.atNanos() > upAt && a.status() == 201) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            // answered while the database was down (sent after it went and answered before it was back)
            List<Answer> duringOutage = answers.stream()
                    .filter(a -> a.atNanos() >= downAt && a.atNanos() + a.millis() * 1_000_000L < upAt).toList();
            long worst = duringOutage.stream().mapToLong(Answer::millis).max().orElse(-1);
            long recoveredMs = answers.stream().filter(a -> a.atNanos() > upAt && a.status() == 201)
                    .mapToLong(a -> (a.atNanos() + a.millis() * 1_000_000L - upAt) / 1_000_000L).min().orElse(-1);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests_during_outage", duringOutage.size());
            figures.put("outage_answers_503_with_retry_after", duringOutage.stream().filter(a -> a.status() == 503 && a.retryAfter()).count());
            figures.put("outage_worst_answer_ms", worst);
            figures.put("readyz_while_down", readyWhileDown);
            figures.put("first_201_after_restart_ms", recoveredMs);
            Figures.record("outage", figures);

            assertThat(unexpected).isEmpty();
            assertThat(readyWhileDown).isEqualTo(503);
            assertThat(duringOutage).isNotEmpty();
            assertThat(duringOutage).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.retryAfter()).as("Retry-After on 503").isTrue();
                assertThat(a.code()).isEqualTo("\"storage\"");
            });
            assertThat(worst).as("slowest answer while the database is down (ms)").isLessThan(10_000);
            assertThat(recoveredMs).as("recovered without a server restart").isNotNegative();
            // re-send whatever is still unanswered, then check every acknowledged event is stored once
            DgClient retrying = new DgClient(dg.base(), token, "outage", 5, Duration.ofMillis(500));
            for (Map.Entry<String, JsonObject> e : sent.entrySet()) {
                if (!acked.containsKey(e.getKey())) {
                    ApiResponse r = retrying.appendEvent(e.getValue());
                    acked.put(e.getKey(), Api.longOf(r.data().getObject("event"), "log_seq"));
                }
            }
            DgClient adminClient = new DgClient(dg.base(), admin, "outage", 3, Duration.ofMillis(200));
            List<JsonObject> stored = Api.allEvents(adminClient);
            assertThat(stored).hasSize(sent.size());
            for (JsonObject e : stored) {
                assertThat(acked.get(e.getString("event_id"))).isEqualTo(Api.longOf(e, "log_seq"));
            }
            try {
                Api.awaitCaughtUp(adminClient, Duration.ofSeconds(60));
            } catch (AssertionError e) {
                // diagnostics for the report: the workers' view and a thread dump of the child process
                Files.writeString(LOGS.resolve("stuck-workers.json"), JsonWriter.canonicalLenient(adminClient.projectorWorkers().body()));
                DgProcess.Result dump = DgProcess.jcmd(dg.pid(), "Thread.print");
                Files.writeString(LOGS.resolve("stuck-threads.txt"), dump.out() + dump.err());
                throw e;
            }
            assertThat(Api.verifyDigests(adminClient, Duration.ofSeconds(60)).getString("status")).isEqualTo("passed");
        } finally {
            pg.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
