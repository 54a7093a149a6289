package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonBool;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.junit.jupiter.api.Test;

/**
 * Two {@code dg serve} nodes (in-process) on one Postgres database: they share the projection work without
 * processing an event twice, and work held by a node that died (its lease left behind) is taken over once the
 * lease expires.
 */
class PostgresMultiNodeTest {
    private static final List<String> NAMES = List.of("context_graph", "trace_summary", "precedent_index");

    private record Node(Database db, ProjectionService projections, DgServer server) implements AutoCloseable {
        static Node start(String url) {
            Database db = Database.postgres(url, null, null, StoreConfig.DEFAULTS);
            ProjectionService p = ProjectionService.start(db, new ProjectionService.Options(true,
                    RuntimeSettings.DEFAULTS.withPollIntervalMs(500), null), Clock.systemUTC());
            DgServer s = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                    .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 100_000)), Clock.systemUTC(),
                    p.extensions()).start();
            return new Node(db, p, s);
        }

        DgClient client(String token, String tenant) {
            return new DgClient(URI.create("http://127.0.0.1:" + server.port()), token, tenant, 1, Duration.ofMillis(10));
        }

        @Override
        public void close() {
            server.stop();
            db.close();
        }
    }

    @Test
    void twoNodesShareTheWorkAndTakeOverADeadNodesLease() throws Exception {
        String url = TestDatabases.postgresUrl();
        JsonObject vectors = (JsonObject) JsonParser.parse(Files.readString(Golden.dir().resolve("vectors-projections.json")));
        try (Node a = Node.start(url); Node b = Node.start(url)) {
            String token = a.server().services().accounts().create("mn-admin", null, List.of("admin", "writer", "reader"),
                    List.of(Permissions.PROJECTION_REPLAY, Permissions.WORKFLOW_REVIEW, Permissions.WORKFLOW_ASSIGN),
                    List.of("*"), null, "test").orElseThrow().key().token();
            DgClient ca = a.client(token, "shared");
            DgClient cb = b.client(token, "shared");
            List<List<JsonObject>> scenarios = Golden.scenarios();
            for (int i = 0; i < scenarios.size(); i++) {
                (i % 2 == 0 ? ca : cb).appendBatch(scenarios.get(i), false);
            }
            JsonObject expected = vectors.getObject("combined_all_scenarios").getObject("digests");
            awaitHealth(cb, h -> fresh(h, expected));
            for (String p : NAMES) {
                // the counters are bumped just after the commits that health already shows: wait for them
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (a.projections().runtime().processedByWorker("shared", p)
                        + b.projections().runtime().processedByWorker("shared", p) < 40 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long byA = a.projections().runtime().processedByWorker("shared", p);
                long byB = b.projections().runtime().processedByWorker("shared", p);
                assertThat(byA + byB).as(p + " processed by A " + byA + " and B " + byB).isEqualTo(40);
            }

            // a node died in the middle of a sync: its leases stay behind until they expire
            long now = System.currentTimeMillis();
            for (String p : NAMES) {
                assertThat(a.projections().runtime().store().tryLease("takeover", p, "dead-node", now, now + 3000)).isTrue();
            }
            DgClient takeover = a.client(token, "takeover");
            takeover.appendBatch(scenarios.getFirst(), false);
            JsonObject stale = takeover.projectionHealth().data();
            for (Json p : stale.getArray("projections")) {
                assertThat(((JsonObject) p).get("is_stale")).isEqualTo(JsonBool.TRUE);
            }
            JsonObject first = ((JsonObject) vectors.getArray("scenarios").get(0)).getObject("expected_digests");
            awaitHealth(b.client(token, "takeover"), h -> fresh(h, first));
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(now + 3000);
            for (String p : NAMES) {
                // the lease is free again (released by the node that took over); a worker's safety-timer sync may
                // hold it for a moment, so probe until it is free (a dead node's lease would stay until it expires)
                long probeUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                boolean free;
                do {
                    free = a.projections().runtime().store().tryLease("takeover", p, "probe", System.currentTimeMillis(),
                            System.currentTimeMillis() + 1);
                    if (!free) {
                        Thread.sleep(20);
                    }
                } while (!free && System.nanoTime() < probeUntil);
                assertThat(free).as(p + " lease released").isTrue();
            }

            // node A stops: node B alone carries on for new events
            a.server().stop();
            DgClient after = b.client(token, "after-stop");
            after.appendBatch(scenarios.get(1), false);
            awaitHealth(after, h -> fresh(h, ((JsonObject) vectors.getArray("scenarios").get(1)).getObject("expected_digests")));
        }
    }

    private static boolean fresh(JsonObject h, JsonObject expected) {
        if (!(h.get("full_digest") instanceof JsonString full) || !full.value().equals(expected.getString("full_projection"))) {
            return false;
        }
        long last = ((JsonInt) h.get("event_log_last_seq")).longValue();
        for (Json p : h.getArray("projections")) {
            JsonObject o = (JsonObject) p;
            if (((JsonInt) o.get("last_log_seq")).longValue() != last
                    || !(o.get("digest") instanceof JsonString d && d.value().equals(expected.getString(o.getString("projection_name"))))) {
                return false;
            }
        }
        return true;
    }

    private static void awaitHealth(DgClient c, Predicate<JsonObject> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = c.projectionHealth().data();
            if (done.test(last)) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("health did not reach the expected state: " + last);
    }
}
