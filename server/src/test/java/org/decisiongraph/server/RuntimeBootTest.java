package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.junit.jupiter.api.Test;

/**
 * Boot of the runtime (platform spec 5, 1.9): runs left open by a previous process become failed/interrupted,
 * and events committed while no runtime ran are projected at boot without a new write.
 */
class RuntimeBootTest {

    @Test
    void bootMarksInterruptedRunsAndCatchesUpTenantsWithEvents() throws Exception {
        try (Database db = TestDatabases.sqlite()) {
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            List<JsonObject> events = Golden.scenarios().getFirst();
            for (JsonObject e : events) {
                log.append("offline", EnvelopeJson.fromJson(e));
            }
            RuntimeStore store = new RuntimeStore(db);
            store.insertRun(new RuntimeStore.Run("replay-left-over", "offline", "all", "rebuild", "running",
                    "2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.000000Z", null, 0, null, 3, 3, null, null, "{}"));
            store.insertRun(new RuntimeStore.Run("replay-done", "offline", "all", "catch_up", "completed",
                    "2026-01-01T00:00:00.000000Z", null, "2026-01-01T00:00:02.000000Z", 0, null, 9, 9, null, null, "{}"));
            try (ProjectionRuntime runtime = ProjectionRuntime.create(db, RuntimeSettings.DEFAULTS, Clock.systemUTC(),
                    org.decisiongraph.core.event.IdGenerator.RANDOM_UUID).start()) {
                RuntimeStore.Run interrupted = store.run("replay-left-over").orElseThrow();
                assertThat(interrupted.status()).isEqualTo("failed");
                assertThat(interrupted.errorCode()).isEqualTo("interrupted");
                assertThat(interrupted.errorMessage()).isEqualTo("Interrupted by process restart");
                assertThat(interrupted.finishedAt()).isNotNull();
                assertThat(store.run("replay-done").orElseThrow().status()).isEqualTo("completed");
                assertThat(runtime.activeWorkers()).isEqualTo(3);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                JsonObject health = runtime.health("offline");
                while (!health.get("full_digest").toString().contains("sha256:") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    health = runtime.health("offline");
                }
                JsonObject expected = ((JsonObject) ((org.decisiongraph.core.json.JsonObject) org.decisiongraph.core.json.JsonParser
                        .parse(java.nio.file.Files.readString(Golden.dir().resolve("vectors-projections.json"))))
                        .getArray("scenarios").get(0)).getObject("expected_digests");
                while (!expected.getString("full_projection").equals(health.getString("full_digest"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    health = runtime.health("offline");
                }
                assertThat(health.getString("full_digest")).isEqualTo(expected.getString("full_projection"));
                for (String p : ProjectionRuntime.PROJECTIONS) {
                    assertThat(runtime.workerStatus("offline", p).cursor()).isEqualTo(events.size());
                }
            }
        }
    }
}
