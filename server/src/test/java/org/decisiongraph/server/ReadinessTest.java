package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.Test;

/** With the database gone: readyz answers 503, healthz stays 200, the API answers 503 storage (never 500). */
class ReadinessTest {

    @Test
    void databaseDownMeansNotReadyAndStorageErrors() {
        Database db = TestDatabases.sqlite();
        DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0), Clock.systemUTC()).start();
        try {
            String token = server.services().accounts().create("w", null, List.of("writer"), List.of(), List.of("t"), null, "t")
                    .orElseThrow().key().token();
            OpenApiValidator openApi = OpenApiValidator.of(URI.create("http://127.0.0.1:" + server.port()));
            DgClient c = openApi.client(URI.create("http://127.0.0.1:" + server.port()), null, null);
            assertThat(c.raw("GET", "/api/readyz", null, Map.of()).statusCode()).isEqualTo(200);
            db.close();
            HttpResponse<String> ready = c.raw("GET", "/api/readyz", null, Map.of());
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonObject body = (JsonObject) JsonParser.parse(ready.body());
            assertThat(body.getString("status")).isEqualTo("not_ready");
            assertThat(body.getObject("checks").getString("database")).isEqualTo("error");
            assertThat(body.getObject("checks").getString("migrations")).isEqualTo("unknown");
            assertThat(c.raw("GET", "/api/healthz", null, Map.of()).statusCode()).isEqualTo(200);
            HttpResponse<String> api = c.raw("GET", "/api/v1/events", null,
                    Map.of("x-tenant-id", "t", "Authorization", "Bearer " + token));
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.headers().firstValue("Retry-After")).contains("1");
            assertThat(((JsonObject) JsonParser.parse(api.body())).getObject("error").getString("code")).isEqualTo("storage");
            openApi.assertNoViolations();
            assertThat(openApi.checked()).contains("GET /api/readyz 503", "GET /api/v1/events 503");
        } finally {
            server.stop();
        }
    }
}
