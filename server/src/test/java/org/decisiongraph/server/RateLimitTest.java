package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AuditQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fixed-window rate limits per account and tenant, and the failed-auth limit per client address (platform spec 2.5). */
class RateLimitTest {
    private static final Instant WINDOW_START = Instant.parse("2026-01-01T00:00:00Z");

    private MutableClock clock;
    private Database db;
    private DgServer server;
    private DgClient anonymous;
    private OpenApiValidator openApi;
    private String writer;

    @BeforeEach
    void start() {
        clock = new MutableClock(WINDOW_START.plusSeconds(15));
        db = TestDatabases.sqlite();
        server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0)
                .withRateLimits(new ServerConfig.RateLimits(3, 5, 2, 3)), clock).start();
        writer = server.services().accounts().create("writer", null, List.of("writer"), List.of(), List.of("t"), null, "test")
                .orElseThrow().key().token();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        openApi = OpenApiValidator.of(base);
        anonymous = openApi.client(base, null, null);
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

    private HttpResponse<String> get(String token) {
        return anonymous.raw("GET", "/api/v1/events", null, Map.of("x-tenant-id", "t", "Authorization", "Bearer " + token));
    }

    private HttpResponse<String> batch(int events) {
        List<Json> items = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            items.add(JsonObject.builder().put("event_id", "x").build());
        }
        String body = JsonWriter.canonicalLenient(JsonObject.builder().put("events", Json.array(items)).build());
        return anonymous.raw("POST", "/api/v1/events/batch", body,
                Map.of("x-tenant-id", "t", "Authorization", "Bearer " + writer, "Content-Type", "application/json"));
    }

    @Test
    void readScopeAllowsTheLimitThenAnswers429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(get(writer).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = get(writer);
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonObject error = ((JsonObject) JsonParser.parse(limited.body())).getObject("error");
        assertThat(error.getString("code")).isEqualTo("rate_limited");
        assertThat(error.getString("message")).isEqualTo("Rate limit exceeded for read API scope");
        assertThat(limited.headers().firstValue("Retry-After")).contains("45");
        // the next window starts fresh
        clock.advance(Duration.ofSeconds(45));
        assertThat(get(writer).statusCode()).isEqualTo(200);
    }

    @Test
    void batchCostsCeilNOver100AndRejectedRequestsAreNotCounted() {
        assertThat(batch(250).statusCode()).isEqualTo(200); // costs 3 of 5
        HttpResponse<String> tooMuch = batch(300); // would cost 3 more: rejected, and not counted
        assertThat(tooMuch.statusCode()).isEqualTo(429);
        assertThat(tooMuch.body()).contains("Rate limit exceeded for write API scope");
        assertThat(batch(150).statusCode()).isEqualTo(200); // 3 + 2 = 5: still within the limit
        assertThat(batch(1).statusCode()).isEqualTo(429);
    }

    @Test
    void failedAuthenticationsPerAddressAreLimitedBeforeTheTokenIsChecked() {
        for (int i = 0; i < 3; i++) {
            assertThat(get("wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = get(writer);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("Rate limit exceeded for auth API scope");
        assertThat(blocked.headers().firstValue("Retry-After")).contains("45");
        assertThat(server.services().access().queryAudit(
                new AuditQuery("t", "auth_denied", "denied", null, null, null, null, null, null, 10))).hasSize(3);
        clock.advance(Duration.ofMinutes(1));
        assertThat(get(writer).statusCode()).isEqualTo(200);
    }
}
