package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The review, studio, admin and audit pages over plain HTTP against a real server with the release demo seeded into
 * {@code tenant-a}: every action goes through the workflow service (status changes, typed override confirmation,
 * evidence upload, export), the admin's tokens are shown once and work, the audit view filters and exports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowConsolePagesTest {
    static final String T = ConsoleHarness.TENANT_A;
    private ConsoleHarness h;
    private ConsoleHarness.Browser admin;
    private ConsoleHarness.Browser reader;

    @BeforeAll
    void start() throws Exception {
        h = new ConsoleHarness(Clock.systemUTC());
        ReleaseDemo.seed(h.db, T, 0, Clock.systemUTC(), WorkflowConfig.DEFAULTS);
        admin = h.loggedIn("admin-a");
        reader = h.loggedIn("reader-a");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private static String enc(String s) {
        return Urls.encode(s);
    }

    private String item(String id) {
        return "/console/workflow?tenant=" + T + "&id=" + enc(id);
    }

    private WorkflowItem stored(String id) {
        return new WorkflowStore(h.db).item(T, id).orElseThrow();
    }

    private HttpResponse<String> act(ConsoleHarness.Browser b, String id, Map<String, String> fields) throws Exception {
        String csrf = ConsoleHarness.Browser.csrf(b.get(item(id)).body());
        Map<String, String> form = new HashMap<>(fields);
        form.put("_csrf", csrf);
        form.put("tenant", T);
        form.put("id", id);
        return b.post("/console/workflow/act", form, null);
    }

    @Test
    void inboxFiltersPagesAndCounts() throws Exception {
        HttpResponse<String> all = admin.get("/console/workflows?tenant=" + T + "&scope=all");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(rows(all.body())).contains(ReleaseDemo.LIVE_WORKFLOW, ReleaseDemo.INCIDENT_WORKFLOW, ReleaseDemo.PRECEDENT_WORKFLOW,
                ReleaseDemo.INCIDENT_EXCEPTION_WORKFLOW);
        assertThat(all.body()).contains("data-count=\"total\"");
        HttpResponse<String> overdueOnly = admin.get("/console/workflows?tenant=" + T + "&sla=overdue");
        assertThat(rows(overdueOnly.body())).isEmpty(); // escalation extended both deadlines
        HttpResponse<String> rejected = admin.get("/console/workflows?tenant=" + T + "&scope=all&status=rejected");
        assertThat(rows(rejected.body())).containsExactly(ReleaseDemo.INCIDENT_EXCEPTION_WORKFLOW);
        HttpResponse<String> byRole = admin.get("/console/workflows?tenant=" + T + "&scope=all&assignee=role:admin&policy_id=discount-cap");
        assertThat(rows(byRole.body())).contains(ReleaseDemo.LIVE_WORKFLOW);
        HttpResponse<String> byDue = admin.get("/console/workflows?tenant=" + T + "&scope=all&sort=due");
        List<String> dues = Pattern.compile("<td class=\"mono\">([0-9T:.Z-]+)").matcher(byDue.body()).results().map(m -> m.group(1)).toList();
        assertThat(dues).hasSizeGreaterThanOrEqualTo(4);
        assertThat(dues.stream().map(java.time.Instant::parse).toList()).isSorted();
        HttpResponse<String> first = admin.get("/console/workflows?tenant=" + T + "&scope=all&limit=1");
        assertThat(rows(first.body())).hasSize(1);
        Matcher next = Pattern.compile("href=\"([^\"]+)\" id=\"page-next\"").matcher(first.body());
        assertThat(next.find()).isTrue();
        HttpResponse<String> second = admin.get(next.group(1).replace("&amp;", "&") + "&limit=1");
        assertThat(rows(second.body())).hasSize(1).doesNotContainAnyElementsOf(rows(first.body()));
    }

    private static List<String> rows(String html) {
        return Pattern.compile("<tr data-workflow-id=\"([^\"]+)\"").matcher(html).results().map(m -> m.group(1)).toList();
    }

    @Test
    void claimUnclaimCommentAndTheTypedOverrideConfirmation() throws Exception {
        String id = ReleaseDemo.LIVE_WORKFLOW;
        assertThat(act(admin, id, Map.of("action", "claim")).statusCode()).isEqualTo(303);
        assertThat(stored(id).status()).isEqualTo("in_review");
        assertThat(stored(id).assignedAccountId()).isEqualTo("admin-a");
        assertThat(act(admin, id, Map.of("action", "unclaim")).statusCode()).isEqualTo(303);
        assertThat(stored(id).assignedAccountId()).isNull();
        assertThat(stored(id).assignedRole()).isEqualTo("admin");
        assertThat(act(admin, id, Map.of("action", "comment", "note", "Checking the quote first")).statusCode()).isEqualTo(303);
        assertThat(admin.get(item(id)).body()).contains("Checking the quote first");

        HttpResponse<String> wrong = act(admin, id, Map.of("action", "override", "reason", "CFO call", "confirm_text", "override"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("Override confirmation phrase must match OVERRIDE " + id.toUpperCase(java.util.Locale.ROOT));
        assertThat(stored(id).status()).isEqualTo("in_review");
        HttpResponse<String> noReason = act(admin, id, Map.of("action", "approve"));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("approve requires a reason");
        HttpResponse<String> right = act(admin, id, Map.of("action", "override", "reason", "CFO call",
                "confirm_text", "OVERRIDE " + id.toUpperCase(java.util.Locale.ROOT)));
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(stored(id).status()).isEqualTo("overridden");
        assertThat(h.server.services().access().queryAudit(new AuditQuery(T, "override", null, "admin-a", null, null, null, null,
                null, 10))).extracting(e -> e.record().outcome()).contains("accepted", "rejected");
    }

    @Test
    void evidenceUploadDownloadAndTheExportFile() throws Exception {
        String id = ReleaseDemo.INCIDENT_WORKFLOW;
        String csrf = ConsoleHarness.Browser.csrf(admin.get(item(id)).body());
        byte[] content = "finance notes: margin floor 22%\n".getBytes(StandardCharsets.UTF_8);
        String boundary = "----dgtest";
        StringBuilder b = new StringBuilder();
        for (String[] f : List.of(new String[] {"_csrf", csrf}, new String[] {"tenant", T}, new String[] {"id", id})) {
            b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0]).append("\"\r\n\r\n")
                    .append(f[1]).append("\r\n");
        }
        b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n")
                .append("Content-Type: text/plain\r\n\r\n").append(new String(content, StandardCharsets.UTF_8)).append("\r\n--")
                .append(boundary).append("--\r\n");
        HttpResponse<String> up = HttpClient.newHttpClient().send(HttpRequest.newBuilder(h.base.resolve("/console/workflow/attach"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Cookie", admin.cookie)
                .header("Origin", "http://" + h.base.getRawAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(303);
        String page = admin.get(item(id)).body();
        Matcher link = Pattern.compile("href=\"(/console/workflow/file[^\"]+)\">notes.txt<").matcher(page);
        assertThat(link.find()).isTrue();
        HttpResponse<String> file = admin.get(link.group(1).replace("&amp;", "&"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(new String(content, StandardCharsets.UTF_8));
        assertThat(file.headers().firstValue("x-dg-sha256").orElseThrow()).isEqualTo(Hashing.sha256(content));

        HttpResponse<String> export = admin.get("/console/workflow/export?tenant=" + T + "&id=" + enc(id));
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        JsonObject doc = (JsonObject) JsonParser.parse(export.body());
        assertThat(doc.toString()).contains(id);
        assertThat(reader.get("/console/workflow/export?tenant=" + T + "&id=" + enc(id)).statusCode()).isEqualTo(403);
        assertThat(h.server.services().access().queryAudit(new AuditQuery(T, "workflow_export", "accepted", "admin-a", null, null,
                null, null, null, 10))).hasSize(1);
    }

    @Test
    void studioSimulatesWithoutWritingAndStartsAReview() throws Exception {
        long before = h.server.services().log().lastLogSeq(T);
        HttpResponse<String> sim = admin.get("/console/studio?tenant=" + T + "&trace_id=" + ReleaseDemo.PRECEDENT_TRACE);
        assertThat(sim.statusCode()).isEqualTo(200);
        assertThat(sim.body()).contains("id=\"simulation\"").contains(ReleaseDemo.PRECEDENT_TRACE + ":trace_review:");
        assertThat(h.server.services().log().lastLogSeq(T)).isEqualTo(before);
        assertThat(reader.get("/console/studio?tenant=" + T + "&trace_id=" + ReleaseDemo.PRECEDENT_TRACE).body())
                .doesNotContain("id=\"form-start\"");
        String csrf = ConsoleHarness.Browser.csrf(sim.body());
        HttpResponse<String> started = admin.post("/console/studio/start", Map.of("_csrf", csrf, "tenant", T, "trace_id",
                ReleaseDemo.PRECEDENT_TRACE, "template_id", "incident_triage", "reason", "Look at the precedent again"), null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        assertThat(started.headers().firstValue("Location").orElseThrow()).contains("Review+started");
        assertThat(new WorkflowStore(h.db).item(T, ReleaseDemo.PRECEDENT_TRACE + ":trace_review:incident_triage")).isPresent();
        assertThat(h.server.services().log().lastLogSeq(T)).isGreaterThan(before);
        HttpResponse<String> missing = admin.post("/console/studio/start", Map.of("_csrf", csrf, "tenant", T, "trace_id", "no-such-trace",
                "reason", "x"), null);
        assertThat(missing.body()).contains("Trace not found: no-such-trace");
    }

    @Test
    void adminShowsATokenOnceThatWorksUntilRevoked() throws Exception {
        assertThat(reader.get("/console/admin?tenant=" + T).statusCode()).isEqualTo(403);
        String csrf = ConsoleHarness.Browser.csrf(admin.get("/console/admin?tenant=" + T).body());
        HttpResponse<String> created = admin.post("/console/admin/accounts", Map.of("_csrf", csrf, "tenant", T, "account_id", "feed-bot",
                "role", "writer"), null);
        assertThat(created.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("<pre id=\"token-value\">([^<]+)</pre>").matcher(created.body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(h.base.resolve("/api/v1/projections/health")).header("Authorization", "Bearer " + token)
                .header("x-tenant-id", T).build();
        assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String listing = admin.get("/console/admin?tenant=" + T).body();
        assertThat(listing).doesNotContain(token).contains("data-account-id=\"feed-bot\"");
        String keyId = h.server.services().access().account("feed-bot").orElseThrow().keys().getFirst().keyId();
        HttpResponse<String> revoked = admin.post("/console/admin/revoke", Map.of("_csrf", csrf, "tenant", T, "account_id", "feed-bot",
                "key_id", keyId), null);
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> user = admin.post("/console/admin/users", Map.of("_csrf", csrf, "tenant", T, "user_id", "new-reviewer",
                "password", "long enough password", "role", "writer"), null);
        assertThat(user.statusCode()).isEqualTo(303);
        ConsoleHarness.Browser reviewer = new ConsoleHarness.Browser(h.base);
        assertThat(reviewer.login("new-reviewer", "long enough password").statusCode()).isEqualTo(303);
        HttpResponse<String> tenant = admin.post("/console/admin/tenants", Map.of("_csrf", csrf, "tenant", T, "new_tenant_id", "tenant-z"),
                null);
        assertThat(tenant.statusCode()).isEqualTo(403); // admin-a is not a platform admin
        assertThat(h.server.services().access().queryAudit(new AuditQuery(T, null, null, "admin-a", null, null, null, null, null, 50)))
                .extracting(e -> e.record().action() + ":" + e.record().outcome())
                .contains("service_account_create:accepted", "service_account_key_revoke:accepted", "console_user_create:accepted",
                        "tenant_create:denied");
    }

    @Test
    void auditFiltersAndExports() throws Exception {
        assertThat(reader.get("/console/audit?tenant=" + T).statusCode()).isEqualTo(403);
        assertThat(act(admin, ReleaseDemo.INCIDENT_WORKFLOW, Map.of("action", "comment", "note", "audit me")).statusCode()).isEqualTo(303);
        HttpResponse<String> page = admin.get("/console/audit?tenant=" + T + "&action=comment");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-action=\"comment\"").doesNotContain("data-action=\"login\"");
        HttpResponse<String> export = admin.get("/console/audit/export?tenant=" + T + "&action=comment");
        assertThat(export.statusCode()).isEqualTo(200);
        List<String> lines = export.body().lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(((JsonObject) JsonParser.parse(l)).getString("action")).isEqualTo("comment"));
        assertThat(admin.get("/console/audit?tenant=" + T + "&since=yesterday").body()).contains("Invalid time");
        assertThat(admin.get("/console/audit?tenant=" + ConsoleHarness.TENANT_B).statusCode()).isEqualTo(403);
    }
}
