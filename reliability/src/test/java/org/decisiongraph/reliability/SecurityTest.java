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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * The endpoint × role × tenant authorisation matrix over the route table of a running {@code dg serve}, the
 * cross-tenant read scan, keys stored only hashed, secrets absent from the logs, and the rate and size limits.
 */
class SecurityTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs", "security");
    private static final String MARKER_A = "MARKER-OF-TENANT-A-7f3c";

    /**
     * Who may call each route, declared here independently of the server: the test fails when the route table
     * has a route this matrix does not list (a new route must be classified) or lists one the table lacks.
     */
    static final Map<String, String> MATRIX = Map.ofEntries(
            Map.entry("GET /api/docs", "public"),
            Map.entry("GET /api/healthz", "public"),
            Map.entry("GET /api/readyz", "public"),
            Map.entry("GET /openapi.json", "public"),
            Map.entry("GET /metrics", "metrics"),
            Map.entry("GET /api/v1/admin/audit-log", "admin"),
            Map.entry("GET /api/v1/admin/digest-verifications", "admin"),
            Map.entry("POST /api/v1/admin/digest-verifications", "admin"),
            Map.entry("GET /api/v1/admin/digest-verifications/{verification_id}", "admin"),
            Map.entry("GET /api/v1/admin/projection-failures", "admin"),
            Map.entry("GET /api/v1/admin/projection-failures/{failure_id}", "admin"),
            Map.entry("POST /api/v1/admin/projection-failures/{failure_id}/resolve", "admin"),
            Map.entry("POST /api/v1/admin/projection-failures/{failure_id}/retry", "admin"),
            Map.entry("GET /api/v1/admin/projector-workers", "admin"),
            Map.entry("GET /api/v1/admin/replays", "admin"),
            Map.entry("POST /api/v1/admin/replays", "admin"),
            Map.entry("GET /api/v1/admin/replays/{job_id}", "admin"),
            Map.entry("POST /api/v1/admin/replays/{job_id}/cancel", "admin"),
            Map.entry("GET /api/v1/admin/service-accounts", "admin"),
            Map.entry("POST /api/v1/admin/service-accounts", "admin"),
            Map.entry("GET /api/v1/admin/service-accounts/{account_id}", "admin"),
            Map.entry("POST /api/v1/admin/service-accounts/{account_id}/keys", "admin"),
            Map.entry("POST /api/v1/admin/service-accounts/{account_id}/keys/{key_id}/revoke", "admin"),
            Map.entry("GET /api/v1/admin/tenants", "admin"),
            Map.entry("POST /api/v1/admin/tenants", "admin"),
            Map.entry("GET /api/v1/admin/webhooks", "admin"),
            Map.entry("POST /api/v1/admin/webhooks", "admin"),
            Map.entry("GET /api/v1/admin/webhooks/{webhook_id}", "admin"),
            Map.entry("GET /api/v1/admin/webhooks/{webhook_id}/deliveries", "admin"),
            Map.entry("POST /api/v1/admin/webhooks/{webhook_id}/disable", "admin"),
            Map.entry("POST /api/v1/admin/webhooks/{webhook_id}/enable", "admin"),
            Map.entry("POST /api/v1/admin/workflow-templates", "admin"),
            Map.entry("POST /api/v1/admin/redactions", "admin"),
            Map.entry("GET /api/v1/admin/redactions", "admin"),
            Map.entry("GET /api/v1/admin/evidence/traces/{trace_id}", "admin"),
            Map.entry("GET /api/v1/admin/evidence/range", "admin"),
            Map.entry("GET /api/v1/admin/evidence/workflows/{workflow_id}", "admin"),
            Map.entry("GET /api/v1/admin/retention", "admin"),
            Map.entry("POST /api/v1/admin/retention/policy", "admin"),
            Map.entry("POST /api/v1/admin/retention/runs", "admin"),
            Map.entry("GET /api/v1/admin/workflow-templates/{template_id}/versions", "admin"),
            Map.entry("GET /api/v1/admin/workflows/{workflow_id}/export", "admin"),
            Map.entry("GET /api/v1/events", "reader"),
            Map.entry("POST /api/v1/events", "writer"),
            Map.entry("POST /api/v1/events/batch", "writer"),
            Map.entry("GET /api/v1/graph/context", "reader"),
            Map.entry("GET /api/v1/graph/edges", "reader"),
            Map.entry("GET /api/v1/precedents", "reader"),
            Map.entry("GET /api/v1/projections/health", "reader"),
            Map.entry("GET /api/v1/stream", "reader"),
            Map.entry("GET /api/v1/traces/{trace_id}", "reader"),
            Map.entry("GET /api/v1/traces/{trace_id}/events", "reader"),
            Map.entry("GET /api/v1/workflow-inbox/counts", "reader"),
            Map.entry("GET /api/v1/workflow-studio/templates", "reader"),
            Map.entry("GET /api/v1/workflow-studio/traces/{trace_id}", "reader"),
            Map.entry("GET /api/v1/workflow-studio/traces/{trace_id}/simulation", "reader"),
            Map.entry("POST /api/v1/workflow-studio/traces/{trace_id}/reviews", "writer"),
            Map.entry("GET /api/v1/workflows", "reader"),
            Map.entry("GET /api/v1/workflows/{workflow_id}", "reader"),
            Map.entry("POST /api/v1/workflows/{workflow_id}/actions", "writer"),
            Map.entry("GET /api/v1/workflows/{workflow_id}/attachments", "reader"),
            Map.entry("POST /api/v1/workflows/{workflow_id}/attachments", "writer"),
            Map.entry("GET /api/v1/workflows/{workflow_id}/attachments/{attachment_id}", "reader"));

    /** Routes only a platform admin (an admin of tenant {@code *}) may use; a tenant's admin gets 403. */
    static final Set<String> PLATFORM_ADMIN_ONLY = Set.of("POST /api/v1/admin/tenants");

    private static final Map<String, Set<String>> ROLES_OF = Map.of(
            "reader", Set.of("reader", "writer", "admin"), "writer", Set.of("writer", "admin"), "admin", Set.of("admin"));

    record Principal(String name, String token, String role, boolean allPermissions, String tenant, boolean platform) {
    }

    private URI base;

    @Test
    void authorisationMatrixCrossTenantScanAndSecrets() throws Exception {
        Path file = TestDatabases.newSqlitePath();
        String db = file.toString();
        String secretKeyBase = "secret-key-base-" + Long.toHexString(System.nanoTime()) + "-0123456789";
        String metricsToken = "metrics-token-" + Long.toHexString(System.nanoTime());
        String dbPassword = "db-password-" + Long.toHexString(System.nanoTime());
        List<Principal> principals = List.of(
                new Principal("reader-a", DgProcess.createAccount(db, "reader-a", "reader", List.of(), List.of("a")), "reader", false, "a", false),
                new Principal("writer-a", DgProcess.createAccount(db, "writer-a", "writer", List.of(), List.of("a")), "writer", false, "a", false),
                new Principal("reviewer-a", DgProcess.createAccount(db, "reviewer-a", "writer", List.of("*"), List.of("a")), "writer", true, "a", false),
                new Principal("admin-noperm-a", DgProcess.createAccount(db, "admin-noperm-a", "admin", List.of(), List.of("a")), "admin", false, "a", false),
                new Principal("admin-a", DgProcess.createAccount(db, "admin-a", "admin", List.of("*"), List.of("a")), "admin", true, "a", false),
                new Principal("platform-admin", DgProcess.createAccount(db, "platform-admin", "admin", List.of("*"), List.of("*")), "admin", true, "a", true));
        String adminB = DgProcess.createAccount(db, "admin-b", "admin", List.of("*"), List.of("b"));
        Map<String, String> env = Map.of("DG_SECRET_KEY_BASE", secretKeyBase, "DG_METRICS_TOKEN", metricsToken,
                "DG_DB_PASSWORD", dbPassword);
        Set<String> secrets = new HashSet<>(List.of(secretKeyBase, metricsToken, dbPassword));
        Map<String, Object> figures = new LinkedHashMap<>();
        DgProcess dg = DgProcess.start(db, LOGS, env);
        try {
            base = dg.base();
            DgClient a = new DgClient(base, principals.get(4).token(), "a", 3, Duration.ofMillis(100));
            DgClient b = new DgClient(base, adminB, "b", 3, Duration.ofMillis(100));
            seed(a, "a", MARKER_A);
            seed(b, "b", "marker-of-tenant-b");
            JsonObject hook = a.send("POST", "/api/v1/admin/webhooks", Map.of(), JsonParser.parse(
                    HttpFuzzTest.BODIES.get("POST /api/v1/admin/webhooks"))).data();
            String webhookSecret = hook.getString("secret");
            if (webhookSecret != null) {
                secrets.add(webhookSecret);
            }
            Map<String, String> ids = new LinkedHashMap<>();
            ids.put("trace_id", "a-1");
            ids.put("workflow_id", "a-1:exception:ex-1");
            ids.put("account_id", "writer-a");
            ids.put("key_id", "unknown-key");
            ids.put("failure_id", "1");
            ids.put("job_id", "unknown-job");
            ids.put("verification_id", "unknown");
            ids.put("webhook_id", hook.get("webhook") instanceof JsonObject w ? w.getString("webhook_id") : "unknown");
            ids.put("template_id", "fz");
            ids.put("attachment_id", "unknown");

            RouteTable table = RouteTable.of(a);
            Set<String> keys = new HashSet<>();
            for (RouteTable.Route r : table.routes()) {
                keys.add(r.key());
                assertThat(MATRIX).as("route %s is in the authorisation matrix", r.key()).containsKey(r.key());
                assertThat(r.access()).as("access of %s", r.key()).isEqualTo(MATRIX.get(r.key()));
            }
            assertThat(MATRIX.keySet()).as("matrix routes that the server no longer has").isSubsetOf(keys);

            List<String> violations = new ArrayList<>();
            Map<String, Long> outcomes = new TreeMap<>();
            long cells = 0;
            for (RouteTable.Route r : table.routes()) {
                String path = fill(r.path(), ids);
                String body = body(r);
                if (r.access().equals("public")) {
                    Http.Answer ans = call(r, path, body, null, "a");
                    cells++;
                    expect(violations, r, "anonymous", ans, ans.status() < 400 || ans.status() == 406);
                    continue;
                }
                if (r.access().equals("metrics")) {
                    cells += 3;
                    expect(violations, r, "anonymous", call(r, path, body, null, "a"), s -> s == 401);
                    expect(violations, r, "admin-a", call(r, path, body, principals.get(4).token(), "a"), s -> s == 401);
                    Http.Answer ok = Http.exchange(base, "GET", path, null, Map.of("Authorization", "Bearer " + metricsToken));
                    expect(violations, r, "metrics token", ok, s -> s == 200);
                    continue;
                }
                cells++;
                expect(violations, r, "anonymous", call(r, path, body, null, "a"), s -> s == 401);
                cells++;
                expect(violations, r, "bad token", call(r, path, body, "not-a-token", "a"), s -> s == 401);
                cells++;
                expect(violations, r, "admin-b on tenant a", call(r, path, body, adminB, "a"), s -> s == 403);
                for (Principal p : principals) {
                    cells++;
                    Http.Answer ans = call(r, path, body, p.token(), p.tenant());
                    outcomes.merge(p.name().replace('-', '_') + "_" + ans.status(), 1L, Long::sum);
                    boolean roleOk = ROLES_OF.get(r.access()).contains(p.role());
                    boolean permOk = r.permission() == null || p.allPermissions();
                    if (PLATFORM_ADMIN_ONLY.contains(r.key()) && !p.platform()) {
                        expect(violations, r, p.name(), ans, s -> s == 403);
                    } else if (!roleOk) {
                        expect(violations, r, p.name(), ans, s -> s == 403);
                    } else if (!permOk) {
                        // the permission check of some routes follows the resource lookup (the run's mode): 404 for unknown ids
                        expect(violations, r, p.name(), ans, s -> s == 403 || s == 404);
                    } else {
                        expect(violations, r, p.name(), ans, s -> s != 401 && s != 403 && s < 500);
                    }
                }
            }
            figures.put("routes", table.routes().size());
            figures.put("matrix_cells", cells);
            figures.put("matrix_violations", violations.size());

            // cross-tenant: tenant b's admin reads every GET route with tenant a's ids and filters; a's marker must never show
            long crossTenant = 0;
            long probes = 0;
            for (RouteTable.Route r : table.routes()) {
                if (!r.method().equals("GET") || r.access().equals("public") || r.access().equals("metrics")) {
                    continue;
                }
                List<String> queries = new ArrayList<>(List.of(""));
                for (String q : List.of("tenant_id", "trace_id", "node_id", "entity_id", "workflow_id")) {
                    if (r.queryParams().contains(q)) {
                        queries.add("?" + q + "=" + (q.equals("tenant_id") ? "a" : q.equals("node_id") ? "a-1&node_type=trace" : "a-1"));
                    }
                }
                for (String q : queries) {
                    probes++;
                    Http.Answer ans = call(r, fill(r.path(), ids) + q, null, adminB, "b");
                    if (ans.body().contains(MARKER_A)) { // tenant a's payload text (ids in a 404 message only echo the request)
                        crossTenant++;
                        violations.add("cross-tenant read: " + r.key() + q + " -> " + ans.status() + " " + ans.body());
                    }
                }
            }
            // the marker is visible to tenant a itself (the scan would see a leak)
            assertThat(call(new RouteTable.Route("GET", "/api/v1/traces/{trace_id}/events", "reader", null, List.of(), List.of()),
                    "/api/v1/traces/a-1/events", null, principals.get(0).token(), "a").body()).contains(MARKER_A);
            figures.put("cross_tenant_probes", probes);
            figures.put("cross_tenant_accesses", crossTenant);
            outcomes.forEach((k, v) -> figures.put("outcome_" + k, v));
            assertThat(violations).isEmpty();
        } finally {
            int exit = dg.stop();
            assertThat(exit).isIn(0, 143);
        }
        secrets.addAll(DgProcess.ISSUED_SECRETS);
        // keys stored only as hashes: no token appears in the database files (main file and WAL)
        long dbHits = 0;
        for (Path f : List.of(file, Path.of(db + "-wal"))) {
            if (Files.exists(f)) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : DgProcess.ISSUED_SECRETS) {
                    if (bytes.contains(s)) {
                        dbHits++;
                    }
                }
            }
        }
        // secrets never logged: every captured stdout/stderr of every dg serve this JVM started
        long logHits = 0;
        long logBytes = 0;
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("target", "reliability", "logs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                logBytes += text.length();
                for (String s : secrets) {
                    if (text.contains(s)) {
                        logHits++;
                        leaks.add(f + " contains a secret starting " + s.substring(0, 6));
                    }
                }
            }
        }
        figures.put("tokens_in_database_files", dbHits);
        figures.put("secrets_checked", secrets.size());
        figures.put("log_bytes_scanned", logBytes);
        figures.put("secrets_in_logs", logHits);
        Figures.record("security", figures);
        assertThat(dbHits).as("tokens stored in clear").isZero();
        assertThat(leaks).isEmpty();
        assertThat(logBytes).isPositive();
    }

    private static void expect(List<String> violations, RouteTable.Route r, String who, Http.Answer ans,
                               java.util.function.IntPredicate ok) {
        if (!ok.test(ans.status())) {
            violations.add(r.key() + " as " + who + " -> " + ans.status() + " " + abbreviate(ans.body()));
        }
    }

    private static void expect(List<String> violations, RouteTable.Route r, String who, Http.Answer ans, boolean ok) {
        if (!ok) {
            violations.add(r.key() + " as " + who + " -> " + ans.status() + " " + abbreviate(ans.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static void seed(DgClient c, String tenant, String marker) {
        String t = tenant + "-1";
        c.appendEvent(Events.envelope(t, 0, "TraceStarted", "{\"workflow\":\"w\",\"title\":\"" + marker + "\",\"primary_entity\":"
                + "{\"entity_type\":\"account\",\"entity_id\":\"" + tenant + "-1\"}}"));
        c.appendEvent(Events.envelope(t, 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"p\",\"policy_version\":\"1\"},"
                + "\"inputs\":[],\"decision\":\"require_exception\"}"));
        c.appendEvent(Events.envelope(t, 2, "ExceptionRequested", "{\"exception_id\":\"ex-1\",\"policy\":{\"policy_id\":\"p\","
                + "\"policy_version\":\"1\"},\"reason\":\"" + marker + "\"}"));
    }

    private int counter;

    private String body(RouteTable.Route r) {
        if (r.key().equals("POST /api/v1/admin/service-accounts")) {
            // a tenant admin may grant only what it holds: role admin and tenant a
            counter++;
            return "{\"account_id\":\"m-" + counter + "\",\"roles\":[\"admin\"],\"tenant_ids\":[\"a\"],\"permissions\":[],\"reason\":\"matrix\"}";
        }
        if (r.key().equals("POST /api/v1/admin/tenants")) {
            counter++;
            return "{\"tenant_id\":\"t-" + counter + "\",\"reason\":\"matrix\"}";
        }
        String b = HttpFuzzTest.BODIES.get(r.key());
        if (b == null) {
            return null;
        }
        counter++;
        return b.replace("EVENT", JsonWriter.canonicalLenient(Events.event("m-" + counter, 0, counter)));
    }

    private Http.Answer call(RouteTable.Route r, String path, String body, String token, String tenant) throws IOException, InterruptedException {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        h.put("x-tenant-id", tenant);
        h.put("Accept", "application/json");
        boolean raw = "RAW".equals(body);
        h.put("Content-Type", raw ? "text/plain" : "application/json");
        String p = raw ? path + "?file_name=a.txt" : path;
        byte[] bytes = body == null ? null : (raw ? "evidence" : body).getBytes(StandardCharsets.UTF_8);
        return Http.exchange(base, r.method(), p, r.method().equals("POST") ? bytes : null, h);
    }

    private static String fill(String template, Map<String, String> ids) {
        String out = template;
        for (Map.Entry<String, String> e : ids.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out;
    }
}
