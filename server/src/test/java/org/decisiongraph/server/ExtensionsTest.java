package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.api.Access;
import org.decisiongraph.server.api.Reply;
import org.decisiongraph.server.api.RouteSpec;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How later modules plug in: an extra route group (served with the same pipeline and listed in the
 * OpenAPI document), the append hook behind {@code projection_sync_triggered}, and the projection health
 * shown by healthz.
 */
class ExtensionsTest {
    private final List<List<StoredEvent>> synced = new CopyOnWriteArrayList<>();
    private final AtomicBoolean hookFails = new AtomicBoolean();
    private Database db;
    private DgServer server;
    private DgClient client;
    private OpenApiValidator openApi;

    @BeforeEach
    void start() {
        db = TestDatabases.sqlite();
        DgServer.Extensions ext = new DgServer.Extensions(
                List.of(routes -> routes.add(RouteSpec.get("/api/v1/log-head", Access.READER, "Last log_seq of the tenant", "test"),
                        call -> Reply.ok(JsonObject.builder()
                                .put("last_log_seq", call.services().log().lastLogSeq(call.tenant())).build()))),
                (tenant, events) -> {
                    if (hookFails.get()) {
                        throw new IllegalStateException("worker down");
                    }
                    synced.add(events);
                    return true;
                },
                tenant -> JsonObject.builder().put("status", "ok").put("tenant", tenant).build());
        server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0), Clock.systemUTC(), ext).start();
        String token = server.services().accounts().create("w", null, List.of("writer"), List.of(), List.of("t"), null, "t")
                .orElseThrow().key().token();
        openApi = OpenApiValidator.of(URI.create("http://127.0.0.1:" + server.port()));
        client = openApi.client(URI.create("http://127.0.0.1:" + server.port()), token, "t", 1, java.time.Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        try {
            openApi.assertNoViolations();
        } finally {
            server.stop();
        }
        db.close();
    }

    @Test
    void extraRoutesHookAndHealthPlugIn() {
        List<JsonObject> golden = Golden.scenarios().getFirst();
        ApiResponse one = client.appendEvent(golden.get(0));
        assertThat(one.data().get("projection_sync_triggered")).isEqualTo(Json.of(true));
        assertThat(synced).hasSize(1);
        assertThat(synced.getFirst().getFirst().eventId()).isEqualTo(golden.get(0).getString("event_id"));
        // a reused event triggers no sync
        assertThat(client.appendEvent(golden.get(0)).data().get("projection_sync_triggered")).isEqualTo(Json.of(false));
        // a batch syncs once, with the appended events only
        ApiResponse batch = client.appendBatch(golden.subList(0, 4), false);
        assertThat(batch.data().get("projection_sync_triggered")).isEqualTo(Json.of(true));
        assertThat(synced).hasSize(2);
        assertThat(synced.get(1)).hasSize(3);
        // a failing hook never fails the append
        hookFails.set(true);
        ApiResponse failed = client.appendEvent(golden.get(4));
        assertThat(failed.status()).isEqualTo(201);
        assertThat(failed.data().get("projection_sync_triggered")).isEqualTo(Json.of(false));

        assertThat(client.send("GET", "/api/v1/log-head", Map.of(), null).data().get("last_log_seq")).isEqualTo(Json.of(5));
        assertThat(openApi.client(URI.create("http://127.0.0.1:" + server.port()), null, "t")
                .raw("GET", "/api/v1/log-head", null, Map.of("x-tenant-id", "t")).statusCode()).isEqualTo(401);
        assertThat(client.openApi().data().getObject("paths").has("/api/v1/log-head")).isTrue();
        assertThat(server.registeredEndpoints()).contains("GET /api/v1/log-head");
        assertThat(client.healthz().data().getObject("projection_health").getString("status")).isEqualTo("ok");
    }
}
