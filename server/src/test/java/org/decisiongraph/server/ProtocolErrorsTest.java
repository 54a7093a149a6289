package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.Test;

/** Requests Jetty rejects before routing (found by the reliability fuzzer) answer in the JSON error envelope. */
class ProtocolErrorsTest {

    @Test
    void oversizedUriHeadersAndAmbiguousPathsAnswerInTheEnvelope() {
        Database db = TestDatabases.sqlite();
        DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0), Clock.systemUTC()).start();
        try {
            DgClient c = new DgClient(URI.create("http://127.0.0.1:" + server.port()), null, null);
            assertEnvelope(c.raw("GET", "/api/v1/events?trace_id=" + "x".repeat(10_000), null, Map.of()), 414,
                    "Request URI too long");
            assertEnvelope(c.raw("GET", "/api/v1/events", null, Map.of("X-Filler", "y".repeat(200_000))), 431,
                    "Request headers too large");
            assertEnvelope(c.raw("GET", "/api/v1/traces/a%00b/events", null, Map.of("x-tenant-id", "t")), 400,
                    "Malformed request");
        } finally {
            server.stop();
            db.close();
        }
    }

    private static void assertEnvelope(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonObject body = (JsonObject) JsonParser.parse(r.body());
        assertThat(body.getObject("error").getString("code")).isEqualTo("invalid_argument");
        assertThat(body.getObject("error").getString("message")).isEqualTo(message);
        assertThat(body.getString("request_id")).isNotBlank();
        assertThat(r.headers().firstValue("x-request-id")).contains(body.getString("request_id"));
    }
}
