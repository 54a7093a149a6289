package org.decisiongraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * A seeded request fuzzer over every route of the route table of a running {@code dg serve}: malformed JSON,
 * huge / deeply nested bodies, invalid UTF-8, lone surrogates, out-of-range numbers, each field of each body
 * replaced by values of the wrong type or removed, path traversal and SQL metacharacters in path and query
 * parameters, and abused headers. Every answer must be 2xx or a documented 4xx in the JSON error envelope;
 * a 5xx, a dropped connection or a change of the tenant's log after a rejected request fails the test.
 */
class HttpFuzzTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs", "fuzz");
    private static final String TENANT = "fuzz";
    /** The statuses of the OpenAPI document, plus the protocol limits 414 (request line over 8 KiB) and 431 (headers too large). */
    private static final Set<Integer> DOCUMENTED_4XX = Set.of(400, 401, 403, 404, 406, 409, 413, 414, 422, 429, 431);

    /** A valid body for every POST route; the fuzzer mutates it. A new POST route without one fails the test. */
    static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("POST /api/v1/events", "EVENT"),
            Map.entry("POST /api/v1/events/batch", "{\"events\":[EVENT],\"stop_on_error\":false}"),
            Map.entry("POST /api/v1/admin/digest-verifications", "{\"projection\":\"all\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/projection-failures/{failure_id}/resolve", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/projection-failures/{failure_id}/retry", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/replays", "{\"mode\":\"catch_up\",\"projection\":\"all\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/replays/{job_id}/cancel", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/service-accounts",
                    "{\"account_id\":\"fz-acct\",\"roles\":[\"reader\"],\"tenant_ids\":[\"fuzz\"],\"permissions\":[],\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/service-accounts/{account_id}/keys", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/service-accounts/{account_id}/keys/{key_id}/revoke", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/tenants", "{\"tenant_id\":\"fz-tenant\",\"display_name\":\"Fuzz\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/webhooks",
                    "{\"url\":\"https://hooks.example.com/dg\",\"topics\":[\"workflow_notification\"],\"event_types\":[],\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/webhooks/{webhook_id}/disable", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/webhooks/{webhook_id}/enable", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/workflow-templates", "{\"template_id\":\"fz\",\"title\":\"Fuzz\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/redactions", "{\"event_id\":\"fz-event\",\"field\":\"title\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/retention/policy", "{\"retain_days\":3650,\"archive_dir\":\"/tmp/dg-fuzz-archive\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/admin/retention/runs", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/workflow-studio/traces/{trace_id}/reviews", "{\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/workflows/{workflow_id}/actions", "{\"action\":\"comment\",\"note\":\"fuzz\",\"reason\":\"fuzz\"}"),
            Map.entry("POST /api/v1/workflows/{workflow_id}/attachments", "RAW"));

    private static final List<String> ID_FUZZ = List.of("", " ", "..", "../..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd",
            "%2e%2e%2f%2e%2e", "' OR '1'='1", "x'; DROP TABLE dg_events; --", "\" OR 1=1 --", "%00", "a\u0000b", "\\..\\..\\",
            "🙂", "\u202e", "x".repeat(5000), "*", "%", "_", "{}", "[]", "null", "-1", "99999999999999999999");
    private static final List<String> QUERY_FUZZ = List.of("", "-1", "0", "1.5", "99999999999999999999", "1e400", "NaN", "abc",
            "true", "[]", "{}", "' OR 1=1 --", "'; SELECT pg_sleep(5); --", "../../etc/passwd", "x".repeat(10_000), "\u0000",
            "\uD800", "2026-13-45T25:61:61Z", "🙂", "%");
    private static final List<String> WRONG_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "-0",
            "123456789012345678901234567890", "\"\"", "\"" + "x".repeat(10_000) + "\"", "[]", "{}", "[1,2]", "{\"a\":1}",
            "\"' OR 1=1 --\"", "\"../../etc/passwd\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"");

    private URI base;
    private String admin;
    private String writer;
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long inputs;
    private long partialWrites;
    private long nonEnvelope;
    private long oversizedResets;

    record Answer(int status, String body) {
    }

    @Test
    void everyRouteAnswersOnlyDocumented4xxToBadInput() throws Exception {
        String db = TestDatabases.newSqlitePath().toString();
        admin = DgProcess.createAccount(db, "fz-admin", "admin", List.of("*"), List.of("*"));
        writer = DgProcess.createAccount(db, "fz-writer", "writer", List.of("*"), List.of(TENANT));
        try (DgProcess dg = DgProcess.start(db, LOGS, Map.of("DG_SECRET_KEY_BASE", "fuzz-secret-key-base-0123456789"))) {
            base = dg.base();
            DgClient adminClient = new DgClient(base, admin, TENANT, 3, Duration.ofMillis(100));
            Map<String, String> ids = seed(adminClient);
            RouteTable table = RouteTable.of(adminClient);
            Random random = new Random(Settings.seed());
            for (RouteTable.Route route : table.routes()) {
                if (route.method().equals("POST")) {
                    assertThat(BODIES).as("a fuzz body for %s", route.key()).containsKey(route.key());
                }
                fuzzRoute(route, ids, random);
            }
            fuzzHeaders(ids);
            assertThat(dg.isAlive()).isTrue();
            String stderr = Files.readString(dg.stderr()) + Files.readString(dg.stdout());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("routes", table.routes().size());
            figures.put("inputs", inputs);
            figures.put("responses_5xx", byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum());
            figures.put("partial_writes", partialWrites);
            figures.put("non_envelope_4xx", nonEnvelope);
            figures.put("oversized_body_connection_resets", oversizedResets);
            figures.put("internal_errors_logged", stderr.lines().filter(l -> l.contains("internal_error")).count());
            byStatus.forEach((s, n) -> figures.put("status_" + s, n));
            Figures.record("fuzz", figures);
            assertThat(failures).as("fuzz failures (%d inputs)", inputs).isEmpty();
            assertThat(stderr).doesNotContain("internal_error");
            assertThat(inputs).isGreaterThan(2000);
        }
    }

    /** A trace with an exception request (a workflow item), a webhook, an account key: real ids for the path parameters. */
    private Map<String, String> seed(DgClient c) {
        c.appendEvent(Events.envelope("fz-1", 0, "TraceStarted", "{\"workflow\":\"w\",\"title\":\"t\",\"primary_entity\":"
                + "{\"entity_type\":\"account\",\"entity_id\":\"a-1\"}}"));
        c.appendEvent(Events.envelope("fz-1", 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"p\",\"policy_version\":\"1\"},"
                + "\"inputs\":[],\"decision\":\"require_exception\"}"));
        c.appendEvent(Events.envelope("fz-1", 2, "ExceptionRequested", "{\"exception_id\":\"ex-1\",\"policy\":{\"policy_id\":\"p\","
                + "\"policy_version\":\"1\"},\"reason\":\"over the cap\"}"));
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("trace_id", "fz-1");
        ids.put("workflow_id", "fz-1:exception:ex-1");
        ids.put("account_id", "fz-writer");
        ids.put("key_id", "unknown-key");
        ids.put("failure_id", "1");
        ids.put("job_id", "unknown-job");
        ids.put("verification_id", "unknown-verification");
        ids.put("webhook_id", "unknown-webhook");
        ids.put("template_id", "fz");
        ids.put("attachment_id", "unknown-attachment");
        try {
            JsonObject hook = c.send("POST", "/api/v1/admin/webhooks", Map.of(), JsonParser.parse(
                    BODIES.get("POST /api/v1/admin/webhooks"))).data();
            if (hook.get("webhook") instanceof JsonObject w) {
                ids.put("webhook_id", w.getString("webhook_id"));
            }
        } catch (RuntimeException e) {
            failures.add("seeding a webhook failed: " + e.getMessage());
        }
        return ids;
    }

    private String event(String id) {
        return JsonWriter.canonicalLenient(Events.envelope("fz-" + id, 0, "TraceStarted", "{\"workflow\":\"w\",\"title\":\"t\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"a-1\"}}"));
    }

    private String bodyFor(RouteTable.Route route) {
        String b = BODIES.get(route.key());
        return b == null ? null : b.replace("EVENT", event("b" + inputs));
    }

    private void fuzzRoute(RouteTable.Route route, Map<String, String> ids, Random random) throws Exception {
        String path = fill(route.path(), ids, null, null);
        String body = bodyFor(route);
        boolean raw = "RAW".equals(body);
        // 1. the route as a client would call it
        send(route, path, raw ? "evidence".getBytes(StandardCharsets.UTF_8) : bytes(body), headers(admin, raw), raw ? "?file_name=a.txt" : "");
        // 2. path parameters
        for (String param : route.pathParams()) {
            for (String v : ID_FUZZ) {
                send(route, fill(route.path(), ids, param, v), raw ? new byte[] {1} : bytes(body), headers(admin, raw), "");
            }
        }
        // 3. query parameters (wrong types, ranges, injections), one at a time and a random pair
        for (String q : route.queryParams()) {
            for (String v : QUERY_FUZZ) {
                send(route, path, raw ? new byte[] {1} : bytes(body), headers(admin, raw), "?" + enc(q) + "=" + enc(v));
            }
        }
        if (route.queryParams().size() > 1) {
            for (int i = 0; i < 10; i++) {
                String a = route.queryParams().get(random.nextInt(route.queryParams().size()));
                String b = route.queryParams().get(random.nextInt(route.queryParams().size()));
                send(route, path, bytes(body), headers(admin, raw), "?" + enc(a) + "=" + enc(QUERY_FUZZ.get(random.nextInt(QUERY_FUZZ.size())))
                        + "&" + enc(b) + "=" + enc(QUERY_FUZZ.get(random.nextInt(QUERY_FUZZ.size()))));
            }
        }
        if (!route.method().equals("POST") || raw) {
            if (raw) {
                for (String name : List.of("", "../../etc/passwd", "a\u0000.txt", "x".repeat(5000), "' OR 1=1 --.txt")) {
                    send(route, path, "evidence".getBytes(StandardCharsets.UTF_8), headers(admin, true), "?file_name=" + enc(name));
                }
                send(route, path, new byte[9_000_000], headers(admin, true), "?file_name=big.bin");
            }
            return;
        }
        // 4. malformed bodies
        for (byte[] b : malformedBodies(random)) {
            send(route, path, b, headers(admin, false), "");
        }
        // 5. every field (top level and one level down) with wrong types, removed, and an unknown one added
        JsonObject valid = (JsonObject) JsonParser.parse(body);
        for (String field : valid.keys()) {
            for (String wrong : WRONG_VALUES) {
                send(route, path, bytes(replace(body, valid, field, wrong)), headers(admin, false), "");
            }
            send(route, path, bytes(JsonWriter.canonicalLenient(without(valid, field))), headers(admin, false), "");
            Json inner = valid.get(field);
            if (inner instanceof org.decisiongraph.core.json.JsonArray arr && arr.size() == 1 && arr.items().getFirst() instanceof JsonObject element) {
                inner = element; // the batch's event
            }
            if (inner instanceof JsonObject nested) {
                for (String sub : nested.keys()) {
                    for (String wrong : List.of("null", "1", "\"x\"", "[]", "{}", "1e400", "\"\\ud800\"")) {
                        JsonObject replaced = nested.with(sub, JsonParser.parse(wrong.equals("1e400") ? "0" : wrong));
                        String text = JsonWriter.canonicalLenient(replaced);
                        if (wrong.equals("1e400")) {
                            text = text.replace("\"" + sub + "\":0", "\"" + sub + "\":1e400");
                        }
                        String outer = valid.get(field) instanceof org.decisiongraph.core.json.JsonArray
                                ? body.replace(JsonWriter.canonicalLenient(nested), text)
                                : replace(body, valid, field, text);
                        send(route, path, bytes(outer), headers(admin, false), "");
                    }
                }
            }
        }
        send(route, path, bytes(JsonWriter.canonicalLenient(valid.with("unexpected_field", Json.of("x")))), headers(admin, false), "");
    }

    private static String replace(String body, JsonObject valid, String field, String wrong) {
        JsonObject placeholder = valid.with(field, Json.of("\u0001PLACEHOLDER\u0001"));
        return JsonWriter.canonicalLenient(placeholder).replace("\"\\u0001PLACEHOLDER\\u0001\"", wrong);
    }

    private static JsonObject without(JsonObject o, String field) {
        Map<String, Json> m = new LinkedHashMap<>(o.members());
        m.remove(field);
        return JsonObject.of(m);
    }

    private static List<byte[]> malformedBodies(Random random) {
        List<byte[]> out = new ArrayList<>();
        for (String s : List.of("", "{", "[", "}", "nul", "{\"a\":}", "{'a':1}", "{}x", "{\"a\":1,\"a\":2}", "\uFEFF{}",
                "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e400}",
                "{\"a\":123456789012345678901234567890}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\u12\"}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}", "[1,2,3]", "\"string\"", "42", "null", "true", "{\"events\":null}",
                "{\"events\":[" + "{},".repeat(1000) + "{}]}", "{\"events\":[]}")) {
            out.add(bytes(s));
        }
        out.add("[".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        out.add(("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
        out.add(("{\"a\":\"" + "x".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.US_ASCII));
        out.add(new byte[9_000_000]); // over the 8 000 000 byte limit
        // invalid UTF-8: a lone continuation byte, an overlong '/', a UTF-8 encoded surrogate, 0xFF, a truncated sequence
        for (byte[] bad : List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            byte[] prefix = "{\"reason\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] b = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, b, 0, prefix.length);
            System.arraycopy(bad, 0, b, prefix.length, bad.length);
            b[b.length - 2] = '"';
            b[b.length - 1] = '}';
            out.add(b);
        }
        byte[] noise = new byte[4096];
        for (int i = 0; i < 5; i++) {
            random.nextBytes(noise);
            out.add(noise.clone());
        }
        return out;
    }

    private void fuzzHeaders(Map<String, String> ids) throws Exception {
        RouteTable.Route append = new RouteTable.Route("POST", "/api/v1/events", "writer", null, List.of(), List.of());
        RouteTable.Route list = new RouteTable.Route("GET", "/api/v1/events", "reader", null, List.of(), List.of());
        String body = event("hdr");
        List<Map<String, String>> variants = new ArrayList<>();
        for (String auth : List.of("", "Bearer", "Bearer ", "Bearer  " + writer, "bearer " + writer, "Basic " + writer, "Token " + writer,
                "Bearer " + writer + "x", "Bearer " + writer.substring(0, writer.length() - 1), "Bearer " + "x".repeat(6000),
                "Bearer ' OR 1=1 --", "Bearer " + writer + ", Bearer " + writer)) {
            Map<String, String> h = new LinkedHashMap<>(headers(writer, false));
            h.put("Authorization", auth);
            variants.add(h);
        }
        for (String tenant : List.of("", " ", "  fuzz  ", "FUZZ", "fuzz,other", "../fuzz", "' OR 1=1 --", "x".repeat(300), "ü", "*",
                "\t", "fuzz\u00a0")) {
            Map<String, String> h = new LinkedHashMap<>(headers(writer, false));
            h.put("x-tenant-id", tenant);
            variants.add(h);
        }
        for (String ct : List.of("text/plain", "application/xml", "application/json; charset=latin1", "multipart/form-data; boundary=x", "")) {
            Map<String, String> h = new LinkedHashMap<>(headers(writer, false));
            h.put("Content-Type", ct);
            variants.add(h);
        }
        for (String accept : List.of("text/html", "application/xml", "*/*;q=0", "garbage")) {
            Map<String, String> h = new LinkedHashMap<>(headers(writer, false));
            h.put("Accept", accept);
            variants.add(h);
        }
        for (String rid : List.of("", " ", "x".repeat(201), "ü", "a b", "\u007f")) {
            Map<String, String> h = new LinkedHashMap<>(headers(writer, false));
            h.put("x-request-id", rid);
            variants.add(h);
        }
        Map<String, String> huge = new LinkedHashMap<>(headers(writer, false));
        huge.put("X-Filler", "y".repeat(200_000));
        variants.add(huge);
        Map<String, String> many = new LinkedHashMap<>(headers(writer, false));
        for (int i = 0; i < 300; i++) {
            many.put("X-Many-" + i, "z".repeat(200));
        }
        variants.add(many);
        for (Map<String, String> h : variants) {
            send(append, append.path(), bytes(body), h, "");
            send(list, list.path(), null, h, "");
        }
    }

    private static String fill(String template, Map<String, String> ids, String param, String value) {
        String out = template;
        for (Map.Entry<String, String> e : ids.entrySet()) {
            String v = e.getKey().equals(param) ? value : e.getValue();
            out = out.replace("{" + e.getKey() + "}", e.getKey().equals(param) && value.contains("%") && !value.equals("%") ? v : enc(v));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(String token, boolean raw) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        h.put("x-tenant-id", TENANT);
        h.put("Accept", "application/json");
        h.put("Content-Type", raw ? "text/plain" : "application/json");
        return h;
    }

    private long logSize() throws Exception {
        Answer a = exchange("GET", "/api/v1/projections/health", null, headers(admin, false));
        return Api.longOf((JsonObject) ((JsonObject) JsonParser.parse(a.body())).get("data"), "event_log_last_seq");
    }

    private void send(RouteTable.Route route, String path, byte[] body, Map<String, String> headers, String query) throws Exception {
        inputs++;
        boolean post = route.method().equals("POST");
        long before = post ? logSize() : 0;
        Answer a;
        try {
            a = exchange(route.method(), path + query, post ? body : null, headers);
        } catch (IOException e) {
            if (body != null && body.length > 8_000_000) {
                // the server answers 413 as soon as it sees the length and closes; the TCP reset of the unread rest
                // can reach the client before the answer does. Counted (docs/RELIABILITY.md); nothing may be written.
                oversizedResets++;
                if (post && logSize() != before) {
                    partialWrites++;
                    failures.add(route.key() + " oversized body without an answer, but the log grew");
                }
                return;
            }
            failures.add(route.key() + " " + abbreviate(path + query) + " body " + (body == null ? 0 : body.length) + " bytes: no answer (" + e + ")");
            return;
        }
        byStatus.merge(a.status(), 1L, Long::sum);
        String what = route.key() + " " + abbreviate(path + query) + " body " + abbreviate(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        if (a.status() >= 500) {
            failures.add(what + " -> " + a.status() + " " + abbreviate(a.body()));
            return;
        }
        if (a.status() >= 400) {
            if (!DOCUMENTED_4XX.contains(a.status())) {
                failures.add(what + " -> undocumented " + a.status() + " " + abbreviate(a.body()));
            }
            if (!isEnvelope(a.body())) {
                nonEnvelope++;
                failures.add(what + " -> " + a.status() + " without the JSON error envelope: " + abbreviate(a.body()));
            }
        }
        if (post) {
            long delta = logSize() - before;
            long allowed = 0;
            if (a.status() < 300 && route.path().equals("/api/v1/events/batch")) {
                allowed = Api.longOf(((JsonObject) JsonParser.parse(a.body())).getObject("data").getObject("summary"), "appended");
            } else if (a.status() < 300) {
                allowed = delta; // an accepted write may append (the event, a decision)
            }
            if (delta != allowed) {
                partialWrites++;
                failures.add(what + " -> " + a.status() + " but the log grew by " + delta);
            }
        }
    }

    private static boolean isEnvelope(String body) {
        try {
            JsonObject o = (JsonObject) JsonParser.parse(body);
            JsonObject e = o.getObject("error");
            return e.getString("code") != null && e.getString("message") != null && o.has("request_id");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Answer exchange(String method, String pathAndQuery, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        Http.Answer a = Http.exchange(base, method, pathAndQuery, body, headers);
        return new Answer(a.status(), a.body());
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
    }
}
