package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The HTTP contract over real sockets, once per database (SQLite and Postgres subclasses): golden
 * ingestion, every route's happy path and documented errors, auth steps, tenant isolation, audit rows,
 * hashed keys, secret-free logs and OpenAPI completeness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract {
    static final String METRICS_TOKEN = "metrics-token-0123456789abcdef";

    private Database db;
    private DgServer server;
    private URI base;
    private CapturingAppender logs;
    private String platformAdmin;
    private String adminA;
    private String writerA;
    private String readerA;
    private String writerB;
    private String approver;
    private final Set<String> allTokens = new HashSet<>();
    private OpenApiValidator openApi;

    abstract Database openDatabase();

    @BeforeAll
    void start() {
        logs = new CapturingAppender();
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.setContext(lc);
        logs.start();
        lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
        lc.getLogger("org.decisiongraph.server").addAppender(logs);
        lc.getLogger("org.decisiongraph.server").setLevel(ch.qos.logback.classic.Level.DEBUG);

        db = openDatabase();
        ServerConfig config = ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 100_000))
                .withMetricsToken(METRICS_TOKEN);
        server = DgServer.create(db, config, Clock.systemUTC()).start();
        base = URI.create("http://127.0.0.1:" + server.port());
        openApi = OpenApiValidator.of(base);
        Accounts accounts = server.services().accounts();
        platformAdmin = token(accounts.create("platform-admin", null, List.of("admin"), List.of("*"), List.of("*"), null, "test"));
        adminA = token(accounts.create("admin-a", null, List.of("admin", "writer", "reader"),
                List.of(Permissions.WORKFLOW_REVIEW), List.of("tenant-a"), null, "test"));
        writerA = token(accounts.create("writer-a", null, List.of("writer"), List.of(), List.of("tenant-a", "golden"), null, "test"));
        readerA = token(accounts.create("reader-a", null, List.of("reader"), List.of(), List.of("tenant-a"), null, "test"));
        writerB = token(accounts.create("writer-b", null, List.of("writer"), List.of(), List.of("tenant-b"), null, "test"));
        approver = token(accounts.create("approver", null, List.of("writer"),
                List.of(Permissions.WORKFLOW_REVIEW, Permissions.WORKFLOW_ASSIGN), List.of("*"), null, "test"));
    }

    /** Every answer of the test matched /openapi.json. */
    @org.junit.jupiter.api.AfterEach
    void answersMatchTheDocument() {
        openApi.assertNoViolations();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (db != null) {
            db.close();
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.decisiongraph.server").detachAppender(logs);
    }

    private String token(java.util.Optional<Accounts.Created> created) {
        String t = created.orElseThrow().key().token();
        allTokens.add(t);
        return t;
    }

    private DgClient client(String token, String tenant) {
        return openApi.client(base, token, tenant, 1, java.time.Duration.ofMillis(10));
    }

    /** Sends {@code head}, then {@code body} in chunks of 7 bytes, over a plain socket; the whole answer. */
    private String rawSocket(String head, String body) {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            var out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7) {
                int n = Math.min(7, bytes.length - i);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(bytes, i, n);
                out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> raw(String method, String path, String body, Map<String, String> headers) {
        return openApi.client(base, null, null).raw(method, path, body, headers);
    }

    private static JsonObject parse(String text) {
        return (JsonObject) JsonParser.parse(text);
    }

    private static JsonObject error(HttpResponse<String> r) {
        try {
            return parse(r.body()).getObject("error");
        } catch (RuntimeException e) {
            throw new AssertionError("not an API envelope (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    private static DgApiException apiError(Runnable call) {
        try {
            call.run();
        } catch (DgApiException e) {
            return e;
        }
        throw new AssertionError("expected an API error");
    }

    /** A valid TraceStarted event (the first golden event with new ids). */
    private static JsonObject traceStarted(String eventId, String traceId) {
        return Golden.scenarios().getFirst().getFirst()
                .with("event_id", Json.of(eventId))
                .with("trace_id", Json.of(traceId))
                .with("idempotency_key", Json.of("idem-" + eventId));
    }

    // --- golden ingestion ---------------------------------------------------------------------------

    @Test
    void goldenScenariosAppendOverHttpWithConsecutiveLogSeqs() {
        DgClient golden = client(approver, "golden-http");
        long expected = 1;
        for (JsonObject event : Golden.allEvents()) {
            ApiResponse r = golden.appendEvent(event);
            assertThat(r.status()).isEqualTo(201);
            JsonObject stored = r.data().getObject("event");
            assertThat(((JsonInt) stored.get("log_seq")).longValue()).isEqualTo(expected++);
            assertThat(stored.getString("event_id")).isEqualTo(event.getString("event_id"));
            assertThat(stored.getString("tenant_id")).isEqualTo("golden-http");
            assertThat(stored.getString("payload_hash")).startsWith("sha256:");
            assertThat(r.data().get("projection_sync_triggered")).isEqualTo(Json.of(false));
            assertThat(r.header("Idempotent-Replay")).isEmpty();
        }
        // re-posting the first event is an idempotent replay: 201, original event, header set
        ApiResponse again = golden.appendEvent(Golden.allEvents().getFirst());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replay")).contains("true");
        assertThat(((JsonInt) again.data().getObject("event").get("log_seq")).longValue()).isEqualTo(1);
    }

    @Test
    void goldenScenariosThroughBatchAppendAndListWithCursor() {
        DgClient c = client(approver, "golden-batch");
        List<JsonObject> events = Golden.allEvents();
        ApiResponse r = c.appendBatch(events, false);
        assertThat(r.status()).isEqualTo(200);
        JsonObject summary = r.data().getObject("summary");
        assertThat(summary.get("appended")).isEqualTo(Json.of(events.size()));
        assertThat(summary.get("rejected")).isEqualTo(Json.of(0));
        JsonArray results = r.data().getArray("results");
        for (int i = 0; i < results.size(); i++) {
            JsonObject item = (JsonObject) results.get(i);
            assertThat(item.getString("outcome")).isEqualTo("appended");
            assertThat(((JsonInt) item.getObject("event").get("log_seq")).longValue()).isEqualTo(i + 1);
        }
        // page through with limit 7 and the cursor: every event once, in log_seq order
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", "7");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ApiResponse page = c.listEvents(q);
            for (Json e : page.data().getArray("events")) {
                seen.add(((JsonInt) ((JsonObject) e).get("log_seq")).longValue());
            }
            cursor = page.data().get("next_cursor") instanceof JsonString s ? s.value() : null;
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).hasSize(events.size());
        assertThat(seen).isSorted().doesNotHaveDuplicates();
        // filters: event_type, occurred_at bounds, since/until
        ApiResponse started = c.listEvents(Map.of("event_type", "TraceStarted"));
        assertThat(started.data().getArray("events").size()).isEqualTo(5);
        ApiResponse window = c.listEvents(Map.of("since_log_seq", "3", "until_log_seq", "5"));
        assertThat(window.data().getArray("events").size()).isEqualTo(2);
        ApiResponse none = c.listEvents(Map.of("until_occurred_at", "1990-01-01T00:00:00Z"));
        assertThat(none.data().getArray("events").size()).isZero();
        ApiResponse all = c.listEvents(Map.of("since_occurred_at", "1990-01-01T00:00:00Z", "limit", "10000"));
        assertThat(all.data().getArray("events").size()).isEqualTo(events.size());
        // a cursor is bound to its filters
        ApiResponse first = c.listEvents(Map.of("limit", "2"));
        String cur = first.data().getString("next_cursor");
        DgApiException foreign = apiError(() -> c.listEvents(Map.of("cursor", cur, "event_type", "TraceStarted")));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.apiMessage()).isEqualTo("Invalid cursor");
        assertThat(apiError(() -> c.listEvents(Map.of("cursor", "garbage!"))).apiMessage()).isEqualTo("Invalid cursor");
        assertThat(apiError(() -> c.listEvents(Map.of("limit", "abc"))).apiMessage()).isEqualTo("limit must be an integer");
        assertThat(apiError(() -> c.listEvents(Map.of("limit", "0"))).apiMessage()).isEqualTo("limit must be positive, got 0");
        assertThat(apiError(() -> c.listEvents(Map.of("limit", "10001"))).apiMessage())
                .isEqualTo("limit must be <= 10000, got 10001");
        assertThat(apiError(() -> c.listEvents(Map.of("since_log_seq", "5", "until_log_seq", "2"))).apiMessage())
                .isEqualTo("since_log_seq (5) must be <= until_log_seq (2)");
        // paged trace events
        String traceId = events.getFirst().getString("trace_id");
        ApiResponse t1 = c.traceEvents(traceId, Map.of("limit", "4"));
        assertThat(t1.data().getArray("events").size()).isEqualTo(4);
        ApiResponse t2 = c.traceEvents(traceId, Map.of("limit", "4", "cursor", t1.data().getString("next_cursor")));
        assertThat(((JsonInt) ((JsonObject) t2.data().getArray("events").get(0)).get("trace_seq")).longValue()).isEqualTo(4);
        ApiResponse tSince = c.traceEvents(traceId, Map.of("since_trace_seq", "7"));
        assertThat(tSince.data().getArray("events").size()).isEqualTo(1);
        assertThat(tSince.data().get("next_cursor")).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        DgApiException missing = apiError(() -> c.traceEvents("no-such-trace", Map.of()));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.apiMessage()).isEqualTo("Trace not found: no-such-trace");
    }

    @Test
    void pathSegmentsArePercentDecodedOnce() {
        DgClient c = client(writerA, "tenant-a");
        c.appendEvent(traceStarted("seg-1", "orders/42:review %x"));
        ApiResponse r = c.traceEvents("orders/42:review %x", Map.of());
        assertThat(r.data().getArray("events").size()).isEqualTo(1);
        assertThat(((JsonObject) r.data().getArray("events").get(0)).getString("trace_id")).isEqualTo("orders/42:review %x");
    }

    // --- append errors ------------------------------------------------------------------------------

    @Test
    void appendErrorsUseTheSpecCodesAndMessages() {
        DgClient c = client(writerA, "tenant-a");
        c.appendEvent(traceStarted("e-1", "t-err"));
        // duplicate event id with another idempotency key → 409 conflict
        DgApiException dup = apiError(() -> c.appendEvent(traceStarted("e-1", "t-err-2").with("idempotency_key", Json.of("other-key"))));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.apiCode()).isEqualTo("conflict");
        assertThat(dup.apiMessage()).isEqualTo("event_id 'e-1' already exists");
        // sequence error → 409 with expected_trace_seq
        JsonObject wrongSeq = traceStarted("e-2", "t-err").with("trace_seq", Json.of(5))
                .with("event_type", Json.of("EntityObserved"))
                .with("payload", Golden.scenarios().getFirst().get(1).getObject("payload"));
        DgApiException seq = apiError(() -> c.appendEvent(wrongSeq));
        assertThat(seq.status()).isEqualTo(409);
        assertThat(seq.apiCode()).isEqualTo("event_sequence_invalid");
        assertThat(seq.apiMessage()).isEqualTo("Expected trace_seq 1, got 5");
        assertThat(seq.details().get("expected_trace_seq")).isEqualTo(Json.of(1));
        // same idempotency key, different payload → 409 idempotency_conflict
        JsonObject changed = traceStarted("e-1", "t-err").with("payload",
                traceStarted("e-1", "t-err").getObject("payload").with("title", Json.of("changed")));
        DgApiException idem = apiError(() -> c.appendEvent(changed));
        assertThat(idem.status()).isEqualTo(409);
        assertThat(idem.apiCode()).isEqualTo("idempotency_conflict");
        // wrong JSON types and missing fields → 400
        assertThat(apiError(() -> c.appendEvent(traceStarted("e-3", "t-3").with("trace_seq", Json.of("0")))).apiMessage())
                .isEqualTo("trace_seq must be an integer");
        DgApiException missingId = apiError(() -> c.appendEvent(JsonObject.of(new LinkedHashMap<>(
                traceStarted("e-4", "t-4").members()) {{ remove("event_id"); }})));
        assertThat(missingId.status()).isEqualTo(400);
        assertThat(missingId.apiMessage()).isEqualTo("event_id is required");
        assertThat(apiError(() -> c.appendEvent(traceStarted(" ", "t-5"))).apiMessage()).isEqualTo("event_id must not be blank");
        assertThat(apiError(() -> c.appendEvent(traceStarted("e-6", "t-6").with("occurred_at", Json.of("yesterday"))))
                .apiMessage()).isEqualTo("occurred_at must be an ISO-8601 timestamp");
        assertThat(apiError(() -> c.appendEvent(traceStarted("e-7", "t-7").with("schema_version", Json.of(0))))
                .apiMessage()).isEqualTo("schema_version must be > 0");
        assertThat(apiError(() -> c.appendEvent(traceStarted("e-8", "t-8").with("tags", Json.strings(List.of(" ")))))
                .apiMessage()).isEqualTo("tags must be a list of non-blank strings");
        assertThat(apiError(() -> c.appendEvent(traceStarted("e-9", "t-9").with("payload", Json.of("x")))).status())
                .isEqualTo(400);
        assertThat(apiError(() -> c.appendEvent(Json.strings(List.of("a")))).apiMessage()).isEqualTo("Event must be a JSON object");
        // PII → 422
        JsonObject pii = traceStarted("e-10", "t-10").with("payload",
                traceStarted("e-10", "t-10").getObject("payload").with("title", Json.of("key AKIAABCDEFGHIJKLMNOP")));
        DgApiException piiError = apiError(() -> c.appendEvent(pii));
        assertThat(piiError.status()).isEqualTo(422);
        assertThat(piiError.apiCode()).isEqualTo("pii_policy_violation");
        // workflow source events need workflow permissions
        JsonObject approval = Golden.scenarios().getFirst().stream()
                .filter(e -> e.getString("event_type").equals("ApprovalRecorded")).findFirst().orElseThrow();
        c.appendEvent(traceStarted("e-11", approval.getString("trace_id")));
        DgApiException forbidden = apiError(() -> c.appendEvent(approval.with("trace_seq", Json.of(1))));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.apiMessage()).isEqualTo("Service account lacks workflow_review permission");
        // nothing of the rejected events was written
        assertThat(c.listEvents(Map.of("trace_id", "t-err")).data().getArray("events").size()).isEqualTo(1);
        assertThat(c.listEvents(Map.of("trace_id", "t-10")).data().getArray("events").size()).isZero();
    }

    @Test
    void batchReportsOutcomesAndStopsOnError() {
        DgClient c = client(writerA, "tenant-a");
        JsonObject a = traceStarted("b-1", "tb-1");
        JsonObject bad = traceStarted("b-2", "tb-2").with("trace_seq", Json.of("x"));
        JsonObject b = traceStarted("b-3", "tb-3");
        ApiResponse r = c.appendBatch(List.of(a, a, bad, b), false);
        JsonArray results = r.data().getArray("results");
        assertThat(results.items().stream().map(x -> ((JsonObject) x).getString("outcome")).toList())
                .containsExactly("appended", "reused", "rejected", "appended");
        JsonObject err = ((JsonObject) results.get(2)).getObject("error");
        assertThat(err.getString("code")).isEqualTo("invalid_argument");
        assertThat(err.getString("message")).isEqualTo("trace_seq must be an integer");
        ApiResponse stop = c.appendBatch(List.of(traceStarted("b-4", "tb-4"), bad, traceStarted("b-5", "tb-5")), true);
        assertThat(stop.data().getArray("results").items().stream().map(x -> ((JsonObject) x).getString("outcome")).toList())
                .containsExactly("appended", "rejected", "skipped");
        assertThat(stop.data().getObject("summary").get("skipped")).isEqualTo(Json.of(1));
        assertThat(apiError(() -> c.appendBatch(List.of(), false)).apiMessage())
                .isEqualTo("events must contain between 1 and 1000 items");
        HttpResponse<String> notObject = raw("POST", "/api/v1/events/batch", "[1,2]",
                Map.of("Authorization", "Bearer " + writerA, "x-tenant-id", "tenant-a"));
        assertThat(notObject.statusCode()).isEqualTo(400);
    }

    @Test
    void preferReturnMinimalAnswersIdsAndPositionsOnly() {
        DgClient c = client(writerA, "tenant-a");
        JsonObject a = traceStarted("min-1", "tmin-1");
        JsonObject b = traceStarted("min-2", "tmin-2");
        ApiResponse r = c.appendBatchMinimal(List.of(a, b, a, traceStarted("min-3", "tmin-3").with("trace_seq", Json.of("x"))), false);
        assertThat(r.header("Preference-Applied")).contains("return=minimal");
        JsonArray results = r.data().getArray("results");
        assertThat(results.items().stream().map(x -> ((JsonObject) x).getString("outcome")).toList())
                .containsExactly("appended", "appended", "reused", "rejected");
        Set<String> minimalKeys = Set.of("event_id", "log_seq", "payload_hash", "recorded_at", "tenant_id", "trace_id", "trace_seq");
        for (int i = 0; i < 3; i++) {
            JsonObject event = ((JsonObject) results.get(i)).getObject("event");
            assertThat(event.members().keySet()).containsExactlyInAnyOrderElementsOf(minimalKeys);
            // the same values as the whole stored event
            JsonObject stored = (JsonObject) c.listEvents(Map.of("trace_id", event.getString("trace_id"))).data()
                    .getArray("events").get(0);
            for (String k : minimalKeys) {
                assertThat(event.get(k)).as(k).isEqualTo(stored.get(k));
            }
        }
        assertThat(((JsonObject) results.get(2)).getObject("event").get("log_seq"))
                .isEqualTo(((JsonObject) results.get(0)).getObject("event").get("log_seq"));
        assertThat(((JsonObject) results.get(3)).get("event")).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        assertThat(((JsonObject) results.get(3)).getObject("error").getString("code")).isEqualTo("invalid_argument");

        // single append, also on an idempotent replay
        ApiResponse one = c.appendEventMinimal(traceStarted("min-4", "tmin-4"));
        assertThat(one.status()).isEqualTo(201);
        assertThat(one.header("Preference-Applied")).contains("return=minimal");
        assertThat(one.data().getObject("event").members().keySet()).containsExactlyInAnyOrderElementsOf(minimalKeys);
        ApiResponse again = c.appendEventMinimal(traceStarted("min-4", "tmin-4"));
        assertThat(again.header("Idempotent-Replay")).contains("true");
        assertThat(again.data().getObject("event")).isEqualTo(one.data().getObject("event"));

        // RFC 7240 parsing: several preferences, parameters, quotes and case; the first return preference decides
        Map<String, String> auth = Map.of("Authorization", "Bearer " + writerA, "x-tenant-id", "tenant-a");
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("respond-async, wait=10, RETURN=\"Minimal\"; x=y", true);
        cases.put("return = minimal", true);
        cases.put("return=representation", false);
        cases.put("return=representation, return=minimal", false);
        cases.put("handling=lenient", false);
        cases.put("return-minimal", false);
        int n = 5;
        for (var e : cases.entrySet()) {
            Map<String, String> headers = new HashMap<>(auth);
            headers.put("Prefer", e.getKey());
            HttpResponse<String> resp = raw("POST", "/api/v1/events",
                    JsonWriter.canonicalLenient(traceStarted("min-" + n, "tmin-" + n++)), headers);
            assertThat(resp.statusCode()).as(e.getKey()).isEqualTo(201);
            JsonObject event = parse(resp.body()).getObject("data").getObject("event");
            assertThat(event.has("payload")).as(e.getKey()).isEqualTo(!e.getValue());
            assertThat(resp.headers().firstValue("Preference-Applied").isPresent()).as(e.getKey()).isEqualTo(e.getValue());
        }
        // without the preference the answer is the whole stored event
        JsonObject full = c.appendBatch(List.of(traceStarted("min-99", "tmin-99")), false).data();
        assertThat(((JsonObject) full.getArray("results").get(0)).getObject("event").has("payload")).isTrue();
    }

    // --- transport ----------------------------------------------------------------------------------

    @Test
    void frameworkErrorsUseTheApiEnvelope() {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + writerA, "x-tenant-id", "tenant-a");
        HttpResponse<String> unknown = raw("DELETE", "/api/v1/nope", null, Map.of());
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(error(unknown).getString("code")).isEqualTo("not_found");
        assertThat(error(unknown).getString("message")).isEqualTo("No route found for DELETE /api/v1/nope");
        assertThat(parse(unknown.body()).getString("request_id")).hasSize(16);

        // JSON sent with curl's default form content type is still read as JSON
        Map<String, String> form = new HashMap<>(auth);
        form.put("Content-Type", "application/x-www-form-urlencoded");
        HttpResponse<String> asForm = raw("POST", "/api/v1/events",
                JsonWriter.canonicalLenient(traceStarted("form-1", "form-trace")), form);
        assertThat(asForm.statusCode()).as(asForm.body()).isEqualTo(201);
        HttpResponse<String> realForm = raw("POST", "/api/v1/events", "event_id=x&trace_seq=0", form);
        assertThat(realForm.statusCode()).isEqualTo(400);

        // a body with leading JSON whitespace, and a chunked body without Content-Length, are read whole
        HttpResponse<String> padded = raw("POST", "/api/v1/events",
                " \r\n\t" + JsonWriter.canonicalLenient(traceStarted("pad-1", "pad-trace")), auth);
        assertThat(padded.statusCode()).as(padded.body()).isEqualTo(201);
        String chunked = rawSocket("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + writerA
                + "\r\nx-tenant-id: tenant-a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n", JsonWriter.canonicalLenient(traceStarted("chunk-1", "chunk-trace")));
        assertThat(chunked).startsWith("HTTP/1.1 201").contains("\"event_id\":\"chunk-1\"");

        HttpResponse<String> malformed = raw("POST", "/api/v1/events", "{\"event_id\":", auth);
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(error(malformed).getString("message")).isEqualTo("Malformed JSON request body");

        Map<String, String> xml = new HashMap<>(auth);
        xml.put("Accept", "application/xml");
        HttpResponse<String> notAcceptable = raw("GET", "/api/v1/events", null, xml);
        assertThat(notAcceptable.statusCode()).as(notAcceptable.body()).isEqualTo(406);
        assertThat(error(notAcceptable).getString("code")).isEqualTo("not_acceptable");
        assertThat(error(notAcceptable).getString("message")).isEqualTo("Accept header must allow application/json");

        String big = "{\"x\":\"" + "a".repeat(8_000_001) + "\"}";
        HttpResponse<String> tooLarge = raw("POST", "/api/v1/events", big, auth);
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(error(tooLarge).getString("code")).isEqualTo("payload_too_large");
        assertThat(error(tooLarge).getString("message")).isEqualTo("Request body exceeds 8000000 bytes");

        Map<String, String> withId = new HashMap<>(auth);
        withId.put("x-request-id", "  my-request-1  ");
        HttpResponse<String> echoed = raw("GET", "/api/v1/events", null, withId);
        assertThat(echoed.headers().firstValue("x-request-id")).contains("my-request-1");
        assertThat(parse(echoed.body()).getString("request_id")).isEqualTo("my-request-1");
        withId.put("x-request-id", "x".repeat(201));
        HttpResponse<String> replaced = raw("GET", "/api/v1/events", null, withId);
        assertThat(parse(replaced.body()).getString("request_id")).hasSize(16);
    }

    @Test
    void authenticationStepsInOrderWithExactMessagesAndAuditRows() {
        record Case(Map<String, String> headers, int status, String code, String message) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("Authorization", "Bearer " + writerA), 400, "invalid_argument", "x-tenant-id header is required"),
                new Case(Map.of("x-tenant-id", "  "), 400, "invalid_argument", "x-tenant-id header is required"),
                new Case(Map.of("x-tenant-id", "tenant-a"), 401, "unauthorized", "Authentication required"),
                new Case(Map.of("x-tenant-id", "tenant-a", "Authorization", "Basic abc"), 401, "unauthorized",
                        "Authorization header must use Bearer token format"),
                new Case(Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer "), 401, "unauthorized",
                        "Authorization header must use Bearer token format"),
                new Case(Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer not-a-token"), 401, "unauthorized",
                        "Unknown service account token"),
                new Case(Map.of("x-tenant-id", "tenant-b", "Authorization", "Bearer " + writerA), 403, "forbidden",
                        "Service account cannot access tenant tenant-b"),
                new Case(Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer " + readerA), 403, "forbidden",
                        "Service account lacks required role"));
        for (Case k : cases) {
            HttpResponse<String> r = raw("POST", "/api/v1/events", "{}", k.headers());
            assertThat(r.statusCode()).as(k.message()).isEqualTo(k.status());
            assertThat(error(r).getString("code")).isEqualTo(k.code());
            assertThat(error(r).getString("message")).isEqualTo(k.message());
        }
        // lowercase scheme accepted (RFC 7235)
        HttpResponse<String> lower = raw("GET", "/api/v1/events", null,
                Map.of("x-tenant-id", "tenant-a", "Authorization", "bearer " + readerA));
        assertThat(lower.statusCode()).isEqualTo(200);
        // every 401/403 was audited as denied, on the header tenant's chain
        List<AuditEntry> denied = server.services().access().queryAudit(
                new AuditQuery("tenant-a", "auth_denied", "denied", null, null, null, null, null, null, 500));
        assertThat(denied.stream().map(e -> e.record().reason()).toList()).contains(
                "Authentication required", "Authorization header must use Bearer token format",
                "Unknown service account token", "Service account lacks required role");
        assertThat(server.services().access().queryAudit(
                new AuditQuery("tenant-b", "auth_denied", "denied", "writer-a", null, null, null, null, null, 10))).isNotEmpty();
        assertThat(server.services().access().firstBrokenAuditLink()).isEmpty();
    }

    @Test
    void tenantIsolation() {
        DgClient a = client(writerA, "tenant-a");
        DgClient b = client(writerB, "tenant-b");
        a.appendEvent(traceStarted("iso-1", "iso-trace"));
        // the same event id in another tenant is accepted, with its own log_seq 1
        ApiResponse inB = b.appendEvent(traceStarted("iso-1", "iso-trace"));
        assertThat(inB.status()).isEqualTo(201);
        assertThat(inB.data().getObject("event").getString("tenant_id")).isEqualTo("tenant-b");
        // B's credential never reaches tenant A
        DgApiException crossTenant = apiError(() -> client(writerB, "tenant-a").listEvents(Map.of()));
        assertThat(crossTenant.status()).isEqualTo(403);
        assertThat(crossTenant.apiMessage()).isEqualTo("Service account cannot access tenant tenant-a");
        // A trace that exists only in A is not found in C
        DgApiException guessed = apiError(() -> client(approver, "tenant-c").traceEvents("iso-trace-a-only", Map.of()));
        assertThat(guessed.status()).isEqualTo(404);
        a.appendEvent(traceStarted("iso-2", "iso-trace-a-only"));
        assertThat(apiError(() -> b.traceEvents("iso-trace-a-only", Map.of())).status()).isEqualTo(404);
        assertThat(b.listEvents(Map.of("trace_id", "iso-trace-a-only")).data().getArray("events").size()).isZero();
        // a guessed foreign service account id is 404, not 403
        DgApiException foreignAccount = apiError(() -> client(adminA, "tenant-a").serviceAccount("writer-b"));
        assertThat(foreignAccount.status()).isEqualTo(404);
        assertThat(foreignAccount.apiMessage()).isEqualTo("Service account not found: writer-b");
    }

    // --- admin --------------------------------------------------------------------------------------

    @Test
    void tenantsRoutes() {
        DgClient admin = client(platformAdmin, "tenant-a");
        ApiResponse created = admin.createTenant("acme-1", "Acme", "onboarding");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().getObject("tenant").getString("origin")).isEqualTo("api");
        DgApiException dup = apiError(() -> admin.createTenant("acme-1", null, "again"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.apiMessage()).isEqualTo("Tenant 'acme-1' already exists");
        assertThat(apiError(() -> admin.createTenant("-bad", null, "x")).apiMessage())
                .isEqualTo("tenant_id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
        assertThat(apiError(() -> admin.createTenant("acme-2", null, " ")).apiMessage())
                .isEqualTo("reason is required for tenant admin actions");
        DgApiException notPlatform = apiError(() -> client(adminA, "tenant-a").createTenant("acme-3", null, "x"));
        assertThat(notPlatform.status()).isEqualTo(403);
        assertThat(notPlatform.apiMessage()).isEqualTo("Service account lacks platform admin access");
        // implicit registration on first append
        client(writerA, "tenant-a").appendEvent(traceStarted("ten-1", "ten-trace"));
        JsonArray all = admin.tenants().data().getArray("tenants");
        assertThat(all.items().stream().map(t -> ((JsonObject) t).getString("tenant_id")).toList()).contains("acme-1", "tenant-a");
        // paging with limit and cursor visits every tenant once, in id order
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", "1");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ApiResponse page = admin.send("GET", "/api/v1/admin/tenants", q, null);
            page.data().getArray("tenants").forEach(t -> paged.add(((JsonObject) t).getString("tenant_id")));
            cursor = page.data().get("next_cursor") instanceof JsonString s ? s.value() : null;
        } while (cursor != null && paged.size() < 1000);
        assertThat(paged).isSorted().doesNotHaveDuplicates()
                .hasSize(admin.send("GET", "/api/v1/admin/tenants", Map.of("limit", "500"), null).data().getArray("tenants").size());
        assertThat(apiError(() -> admin.send("GET", "/api/v1/admin/tenants", Map.of("limit", "0"), null)).apiMessage())
                .isEqualTo("limit must be between 1 and 500, got 0");
        JsonArray mine = client(adminA, "tenant-a").tenants().data().getArray("tenants");
        assertThat(mine.items().stream().map(t -> ((JsonObject) t).getString("tenant_id")).toList()).containsExactly("tenant-a");
        // accepted and rejected admin actions are audited
        List<AuditEntry> rows = server.services().access().queryAudit(
                new AuditQuery(null, "tenant_create", null, null, null, null, null, null, null, 100));
        assertThat(rows.stream().map(e -> e.record().outcome()).toList()).contains("accepted", "rejected");
    }

    @Test
    void serviceAccountLifecycleAndHashedKeys() {
        DgClient admin = client(adminA, "tenant-a");
        JsonObject body = JsonObject.builder()
                .put("account_id", "svc-ingest")
                .put("roles", Json.strings(List.of("writer")))
                .put("permissions", Json.strings(List.of(Permissions.WORKFLOW_REVIEW)))
                .put("tenant_ids", Json.strings(List.of("tenant-a")))
                .put("reason", "new producer")
                .build();
        ApiResponse created = admin.createServiceAccount(body);
        assertThat(created.status()).isEqualTo(201);
        String token = created.data().getObject("key").getString("token");
        allTokens.add(token);
        assertThat(token).hasSize(43);
        assertThat(JsonWriter.canonicalLenient(created.data().getObject("account"))).doesNotContain(token);
        // the new token works
        assertThat(client(token, "tenant-a").appendEvent(traceStarted("svc-1", "svc-trace")).status()).isEqualTo(201);
        // a successful authentication records last_used_at
        assertThat(admin.serviceAccount("svc-ingest").data().getObject("account").getArray("keys").items().stream()
                .map(x -> ((JsonObject) x).get("last_used_at"))).allSatisfy(v -> assertThat(v).isInstanceOf(JsonString.class));
        // a key that has expired stops authenticating
        ApiResponse expiring = admin.send("POST", "/api/v1/admin/service-accounts/svc-ingest/keys", Map.of(),
                JsonObject.builder().put("reason", "short-lived").put("expires_at", "2000-01-01T00:00:00Z").build());
        String expired = expiring.data().getObject("key").getString("token");
        allTokens.add(expired);
        assertThat(apiError(() -> client(expired, "tenant-a").listEvents(Map.of())).apiMessage())
                .isEqualTo("Unknown service account token");
        // duplicate and grant checks
        assertThat(apiError(() -> admin.createServiceAccount(body)).apiMessage())
                .isEqualTo("Service account 'svc-ingest' already exists");
        DgApiException grant = apiError(() -> admin.createServiceAccount(body.with("account_id", Json.of("svc-2"))
                .with("tenant_ids", Json.strings(List.of("tenant-b")))));
        assertThat(grant.status()).isEqualTo(403);
        assertThat(grant.apiMessage()).isEqualTo("Service account cannot grant tenant tenant-b");
        assertThat(apiError(() -> admin.createServiceAccount(body.with("account_id", Json.of("svc-3"))
                .with("permissions", Json.strings(List.of(Permissions.PROJECTION_REBUILD))))).apiMessage())
                .isEqualTo("Service account cannot grant permission projection_rebuild");
        // list and show, no secrets
        ApiResponse list = admin.serviceAccounts();
        String listText = JsonWriter.canonicalLenient(list.body());
        assertThat(listText).contains("svc-ingest").doesNotContain("platform-admin").doesNotContain(token);
        // rotate: both keys work; revoke the first: it stops working
        ApiResponse rotated = admin.rotateKey("svc-ingest", "rotation");
        String second = rotated.data().getObject("key").getString("token");
        allTokens.add(second);
        String firstKeyId = created.data().getObject("key").getString("key_id");
        assertThat(client(second, "tenant-a").listEvents(Map.of()).status()).isEqualTo(200);
        assertThat(client(token, "tenant-a").listEvents(Map.of()).status()).isEqualTo(200);
        ApiResponse revoked = admin.revokeKey("svc-ingest", firstKeyId, "rotation done");
        assertThat(revoked.status()).isEqualTo(200);
        DgApiException old = apiError(() -> client(token, "tenant-a").listEvents(Map.of()));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.apiMessage()).isEqualTo("Unknown service account token");
        assertThat(apiError(() -> admin.revokeKey("svc-ingest", "key-nope", "x")).apiMessage())
                .isEqualTo("Service account key not found: key-nope");
        // the caller cannot revoke its own last active key
        String ownKey = admin.serviceAccount("admin-a").data().getObject("account").getArray("keys").items().stream()
                .map(k -> ((JsonObject) k).getString("key_id")).findFirst().orElseThrow();
        DgApiException last = apiError(() -> admin.revokeKey("admin-a", ownKey, "oops"));
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.apiMessage()).isEqualTo("Cannot revoke the last active key of the calling account");
        // keys are stored hashed: no token anywhere in the account tables
        String dump = server.services().access().accounts().toString();
        for (String t : allTokens) {
            assertThat(dump).doesNotContain(t);
        }
        assertThat(server.services().access().findByTokenHash(org.decisiongraph.server.auth.Tokens.hash(second))).isPresent();
    }

    @Test
    void auditLogQueryWithCursorIsItselfAudited() {
        DgClient admin = client(adminA, "tenant-a");
        for (int i = 0; i < 3; i++) {
            raw("GET", "/api/v1/events", null, Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer wrong-" + i));
        }
        ApiResponse page1 = admin.auditLog(Map.of("action", "auth_denied", "limit", "2"));
        JsonArray entries = page1.data().getArray("entries");
        assertThat(entries.size()).isEqualTo(2);
        long firstId = ((JsonInt) ((JsonObject) entries.get(0)).get("audit_id")).longValue();
        long secondId = ((JsonInt) ((JsonObject) entries.get(1)).get("audit_id")).longValue();
        assertThat(firstId).isGreaterThan(secondId);
        String cursor = page1.data().getString("next_cursor");
        assertThat(cursor).isNotNull();
        ApiResponse page2 = admin.auditLog(Map.of("action", "auth_denied", "limit", "2", "cursor", cursor));
        long thirdId = ((JsonInt) ((JsonObject) page2.data().getArray("entries").get(0)).get("audit_id")).longValue();
        assertThat(thirdId).isLessThan(secondId);
        assertThat(((JsonObject) entries.get(0)).getString("entry_hash")).startsWith("sha256:");
        assertThat(admin.auditLog(Map.of("action", "audit_log_query")).data().getArray("entries").size()).isGreaterThan(0);
        assertThat(apiError(() -> admin.auditLog(Map.of("limit", "501"))).apiMessage())
                .isEqualTo("limit must be between 1 and 500, got 501");
        assertThat(apiError(() -> admin.auditLog(Map.of("tenant_id", "tenant-b"))).status()).isEqualTo(403);
        assertThat(apiError(() -> client(writerA, "tenant-a").auditLog(Map.of())).status()).isEqualTo(403);
        assertThat(server.services().access().firstBrokenAuditLink()).isEmpty();
    }

    // --- operations ---------------------------------------------------------------------------------

    @Test
    void healthzReadyzMetricsAndRedaction() {
        ApiResponse anonymous = openApi.client(base, null, null).healthz();
        assertThat(anonymous.status()).isEqualTo(200);
        JsonObject body = anonymous.data();
        assertThat(body.keys()).containsExactlyInAnyOrder("auth", "deployment_env", "observability",
                "projection_health", "projector", "store");
        assertThat(body.getObject("store").get("database")).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        assertThat(body.getObject("store").has("repo_started?")).isTrue();
        assertThat(body.getObject("auth").getString("bootstrap_source")).isEqualTo("database");
        assertThat(body.getObject("projection_health").getString("status")).isEqualTo("unavailable");
        ApiResponse asAdmin = openApi.client(base, platformAdmin, null).healthz();
        assertThat(asAdmin.data().getObject("store").get("database")).isInstanceOf(JsonString.class);

        ApiResponse ready = openApi.client(base, null, null).readyz();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.data().getString("status")).isEqualTo("ready");
        assertThat(ready.data().getObject("checks").getString("migrations")).isEqualTo("ok");

        client(writerA, "tenant-a").appendEvent(traceStarted("m-1", "m-trace"));
        HttpResponse<String> noToken = raw("GET", "/metrics", null, Map.of());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(error(noToken).getString("message")).isEqualTo("Authentication required");
        HttpResponse<String> metrics = raw("GET", "/metrics", null, Map.of("Authorization", "Bearer " + METRICS_TOKEN));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("decision_graph_store_append_stop_total{")
                .contains("http_server_requests_seconds").contains("decision_graph_auth_denied_total")
                .contains("decision_graph_store_append_stop_duration_seconds");
        for (String t : allTokens) {
            assertThat(metrics.body()).doesNotContain(t);
        }
    }

    @Test
    void openApiDescribesExactlyTheRegisteredRoutes() {
        JsonObject doc = openApi.client(base, null, null).openApi().data();
        assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
        Set<String> documented = new HashSet<>();
        doc.getObject("paths").members().forEach((path, ops) ->
                ((JsonObject) ops).keys().forEach(m -> documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        Set<String> registered = new HashSet<>();
        for (String e : server.registeredEndpoints()) {
            if (e.startsWith("GET ") || e.startsWith("POST ")) {
                registered.add(e);
            }
        }
        assertThat(documented).isEqualTo(registered);
        assertThat(registered).contains("POST /api/v1/events", "GET /api/v1/admin/audit-log", "GET /metrics", "GET /openapi.json");
        // every $ref resolves
        String text = JsonWriter.canonicalLenient(doc);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/([a-z]+)/([A-Za-z0-9]+)\"").matcher(text);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertThat(doc.getObject("components").getObject(m.group(1)).has(m.group(2))).as(m.group()).isTrue();
        }
        assertThat(refs).isGreaterThan(20);
        HttpResponse<String> ui = raw("GET", "/api/docs", null, Map.of());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui-bundle.js");
        HttpResponse<String> asset = raw("GET", "/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js", null, Map.of());
        assertThat(asset.statusCode()).isEqualTo(200);
    }

    @Test
    void logsAreJsonWithRequestIdsAndNeverContainSecrets() {
        client(writerA, "tenant-a").appendEvent(traceStarted("log-1", "log-trace"));
        raw("GET", "/api/v1/events", null, Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer " + readerA,
                "x-request-id", "log-check-1"));
        raw("GET", "/api/v1/events", null, Map.of("x-tenant-id", "tenant-b", "Authorization", "Bearer " + readerA));
        raw("GET", "/api/v1/events", null, Map.of("x-tenant-id", "tenant-a", "Authorization", "Bearer " + readerA,
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        JsonLogLayout layout = new JsonLogLayout();
        List<String> lines = logs.events().stream().map(layout::doLayout).toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"request_id\":\"log-check-1\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
                .contains("\"span_id\":\"00f067aa0ba902b7\"").contains("\"account_id\":\"reader-a\""));
        for (String line : lines) {
            assertThat(JsonParser.parse(line.strip())).isInstanceOf(JsonObject.class);
            for (String t : allTokens) {
                assertThat(line).doesNotContain(t);
            }
            assertThat(line).doesNotContain(METRICS_TOKEN);
        }
    }

    static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            events.add(e);
        }

        List<ILoggingEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }
}
