package org.decisiongraph.projection.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.junit.jupiter.api.Test;

/**
 * Postgres goes away while the workers have work (found by the reliability suite's outage test): their
 * {@code storage} retries run into the unreachable database (the lease cannot be taken, the lease release waits
 * for the pool's connection timeout), and once the database is back every worker must catch up by itself —
 * a retrying worker ignores plain signals, so a lost retry would leave it "retrying" forever.
 */
class WorkerOutageTest {

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void append(EventLog log, String trace) {
        log.append("outage", EnvelopeJson.fromJson(JsonParser.parse("{\"event_id\":\"" + trace + "-0\",\"trace_id\":\"" + trace
                + "\",\"trace_seq\":0,\"event_type\":\"TraceStarted\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
                + "\"source\":{\"producer_id\":\"p\",\"system\":\"s\"},\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"a\"},"
                + "\"idempotency_key\":\"" + trace + ":0\",\"payload\":{\"workflow\":\"w\",\"title\":\"t\",\"primary_entity\":"
                + "{\"entity_type\":\"account\",\"entity_id\":\"" + trace + "\"}},\"schema_version\":1,\"tags\":[]}")));
    }

    private static boolean caughtUp(ProjectionRuntime runtime, long last) {
        return ProjectionRuntime.PROJECTIONS.stream().allMatch(p -> runtime.workerStatus("outage", p).cursor() == last);
    }

    @Test
    void workersRecoverOnTheirOwnAfterThePostgresOutage() throws Exception {
        Path dataDir = Files.createTempDirectory("dg-worker-outage-");
        int port = freePort();
        EmbeddedPostgres pg = startPostgres(dataDir, port);
        Database db = Database.postgres("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres", null, null, StoreConfig.DEFAULTS);
        int events = 1000;
        try {
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            for (int i = 0; i < events; i++) {
                append(log, "trace-" + i);
            }
            // batches of 5: the boot catch-up takes 200 transactions, so the database goes away in the middle of it
            RuntimeSettings settings = new RuntimeSettings(5, 1000, 100, 5, 8, 2000, 4, 500, 0);
            try (ProjectionRuntime runtime = ProjectionRuntime.create(db, settings, Clock.systemUTC(), IdGenerator.RANDOM_UUID).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (ProjectionRuntime.PROJECTIONS.stream().allMatch(p -> runtime.workerStatus("outage", p).cursor() < 20)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                pg.close(); // mid catch-up: the workers' batches fail with storage errors and they start retrying
                assertThat(caughtUp(runtime, events)).as("the outage hit the catch-up").isFalse();
                Thread.sleep(8000); // longer than the pool's connection timeout: retries meet the unreachable database
                pg = startPostgres(dataDir, port);
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!caughtUp(runtime, events) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                for (String p : ProjectionRuntime.PROJECTIONS) {
                    WorkerStatus s = runtime.workerStatus("outage", p);
                    assertThat(s.cursor()).as("%s caught up after the outage (status %s)", p, s.status()).isEqualTo(events);
                }
            }
        } finally {
            db.close();
            pg.close();
        }
    }
}
