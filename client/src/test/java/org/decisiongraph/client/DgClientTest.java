package org.decisiongraph.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import com.sun.net.httpserver.HttpServer;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries and error mapping of the client against a scripted real HTTP server (JDK HttpServer). */
class DgClientTest {
    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> auth = java.util.Collections.synchronizedList(new ArrayList<>());
    private DgClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(exchange.getRequestHeaders().getFirst("Authorization") + "|" + exchange.getRequestHeaders().getFirst("x-tenant-id"));
            Answer a = script.isEmpty() ? new Answer(500, "{}") : script.poll();
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        client = new DgClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "tok", "tenant-a", 3,
                Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}},\"request_id\":\"r1\"}";
    }

    @Test
    void transientErrorsAreRetriedWithTheSameBody() {
        script.add(new Answer(503, error("storage", "Database error: busy")));
        script.add(new Answer(429, error("rate_limited", "Rate limit exceeded for write API scope")));
        script.add(new Answer(201, "{\"data\":{\"event\":{\"log_seq\":1}},\"request_id\":\"r3\"}"));
        JsonObject event = JsonObject.builder().put("event_id", "e1").put("idempotency_key", "k1").build();
        ApiResponse r = client.appendEvent(event);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.data().getObject("event").get("log_seq")).isEqualTo(Json.of(1));
        assertThat(r.requestId()).isEqualTo("r3");
        assertThat(bodies).hasSize(3).allSatisfy(b -> assertThat(b).isEqualTo(bodies.getFirst()));
        assertThat(bodies.getFirst()).contains("\"idempotency_key\":\"k1\"");
        assertThat(auth).allSatisfy(a -> assertThat(a).isEqualTo("Bearer tok|tenant-a"));
    }

    @Test
    void permanentErrorsThrowAtOnceWithTheirCodes() {
        script.add(new Answer(409, error("conflict", "event_id 'e1' already exists")));
        assertThatThrownBy(() -> client.appendEvent(JsonObject.empty()))
                .isInstanceOfSatisfying(DgApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.apiCode()).isEqualTo("conflict");
                    assertThat(e.apiMessage()).isEqualTo("event_id 'e1' already exists");
                    assertThat(e.errorCode()).contains(ErrorCode.DG_ERR_CONFLICT);
                    assertThat(e.requestId()).isEqualTo("r1");
                });
        assertThat(bodies).hasSize(1);
    }

    @Test
    void giveUpAfterMaxAttempts() {
        for (int i = 0; i < 3; i++) {
            script.add(new Answer(503, error("storage", "Database error: down")));
        }
        assertThatThrownBy(() -> client.listEvents(java.util.Map.of("limit", "5")))
                .isInstanceOfSatisfying(DgApiException.class, e -> assertThat(e.isTransient()).isTrue());
        assertThat(bodies).hasSize(3);
    }
}
