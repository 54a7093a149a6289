package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;

import org.decisiongraph.store.Database;
import org.junit.jupiter.api.Test;

/** The response validator of the test harness catches what it must (so a green contract run means something). */
class OpenApiValidatorTest {

    @Test
    void flagsUndocumentedRoutesStatusesAndSchemaMismatches() {
        try (Database db = TestDatabases.sqlite();
             DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0), Clock.systemUTC()).start()) {
            OpenApiValidator v = OpenApiValidator.of(URI.create("http://127.0.0.1:" + server.port()));
            String ok = "{\"data\":{\"events\":[],\"next_cursor\":null},\"request_id\":\"r\"}";
            assertThat(v.check("GET", "/api/v1/events", 200, "application/json", ok)).isEmpty();
            // a path parameter matches any segment; literal segments win
            assertThat(v.check("GET", "/api/v1/traces/t-1/events", 200, "application/json", ok)).isEmpty();
            assertThat(v.check("POST", "/api/v1/nowhere", 201, "application/json", "{}"))
                    .containsExactly("route not in the document");
            assertThat(v.check("GET", "/api/v1/nowhere", 404, "application/json",
                    "{\"error\":{\"code\":\"not_found\",\"message\":\"Not found\",\"details\":{}},\"request_id\":\"r\"}")).isEmpty();
            assertThat(v.check("GET", "/api/v1/events", 201, "application/json", ok).getFirst())
                    .startsWith("status 201 is not documented for GET /api/v1/events");
            assertThat(v.check("GET", "/api/v1/events", 200, "application/json",
                    "{\"data\":{\"events\":[{\"log_seq\":\"1\"}],\"next_cursor\":null},\"request_id\":\"r\"}"))
                    .contains("$.data.events[0]: required member 'event_id' is missing",
                            "$.data.events[0].log_seq: expected type \"integer\", got JsonString \"1\"");
            assertThat(v.check("GET", "/api/v1/events", 200, "application/json", "{\"data\":{}}"))
                    .contains("$: required member 'request_id' is missing", "$.data: required member 'events' is missing");
            assertThat(v.check("GET", "/api/v1/events", 400, "application/json", "{\"error\":{}}"))
                    .contains("$: required member 'request_id' is missing", "$.error: required member 'code' is missing");
            assertThat(v.check("GET", "/api/v1/events", 200, "text/html", "<html/>").getFirst())
                    .startsWith("content type text/html is not documented");
            assertThat(v.check("GET", "/api/v1/events", 200, "application/json", "not json").getFirst())
                    .startsWith("body is not JSON");
        }
    }
}
