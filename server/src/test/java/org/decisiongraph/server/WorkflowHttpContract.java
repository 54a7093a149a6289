package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The review workflow over HTTP (SQLite and Postgres subclasses), end to end: an agent proposes a discount
 * over the cap (PolicyEvaluated require_exception → ExceptionRequested), the inbox shows the item, an
 * approver claims and approves with a rationale (ApprovalRecorded in the log, idempotent retry), the agent
 * commits and finishes, the projections catch up and verify; audit rows, tenant isolation and OpenAPI.
 */
abstract class WorkflowHttpContract {
    static final String TENANT = "acme";
    private Database db;
    private Workflows workflows;
    private DgServer server;
    private ProjectionService projections;
    private String operator;
    private URI base;
    private String agent;
    private String approver;
    private String approver2;
    private String admin;
    private String adminB;
    private OpenApiValidator openApi;

    abstract Database openDatabase();

    @BeforeEach
    void start() {
        db = openDatabase();
        Clock clock = Clock.systemUTC();
        workflows = new Workflows(db, EventLog.open(db, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS);
        // wired as dg serve wires it: the projection runtime (which also runs the workflow projection) plus the workflow routes
        projections = ProjectionService.start(db, new ProjectionService.Options(true,
                org.decisiongraph.projection.runtime.RuntimeSettings.DEFAULTS.withRetryBaseMs(10), null), clock);
        server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0)
                .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 100_000)), clock,
                projections.extensions().plus(WorkflowExtension.of(workflows, new org.decisiongraph.workflow.notify.Webhooks(db,
                        new org.decisiongraph.workflow.notify.SecretBox("http-test-key-base-0123"), clock, true), projections))).start();
        base = URI.create("http://127.0.0.1:" + server.port());
        openApi = OpenApiValidator.of(base);
        Accounts a = server.services().accounts();
        agent = a.create("deal-agent", null, List.of("writer"), List.of(), List.of(TENANT), null, "t").orElseThrow().key().token();
        approver = a.create("approver-1", null, List.of("writer"), List.of("workflow_review"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        approver2 = a.create("approver-2", null, List.of("writer"), List.of("workflow_review"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        admin = a.create("admin-1", null, List.of("admin"), List.of("workflow_export"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        operator = a.create("operator-1", null, List.of("admin", "reader"), List.of("projection_replay"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        adminB = a.create("admin-b", null, List.of("admin", "writer"), List.of("workflow_export", "workflow_review"), List.of("other"),
                null, "t").orElseThrow().key().token();
    }

    @AfterEach
    void stop() {
        try {
            openApi.assertNoViolations();
        } finally {
            server.stop();
        }
        workflows.close();
        db.close();
    }

    private DgClient client(String token, String tenant) {
        return openApi.client(base, token, tenant, 1, java.time.Duration.ofMillis(10));
    }

    private static JsonObject event(String trace, long seq, String type, String payload) {
        return (JsonObject) JsonParser.parse("{\"event_id\":\"" + trace + "-" + seq + "\",\"trace_id\":\"" + trace + "\",\"trace_seq\":" + seq
                + ",\"event_type\":\"" + type + "\",\"occurred_at\":\"" + Instant.now() + "\",\"source\":{\"producer_id\":\"deal-agent\","
                + "\"system\":\"crm\",\"subsystem\":\"pricing\"},\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"deal-agent\"},"
                + "\"idempotency_key\":\"" + trace + ":" + seq + "\",\"payload\":" + payload + ",\"schema_version\":1,\"tags\":[]}");
    }

    private void proposeDiscount(DgClient c, String trace) {
        c.appendEvent(event(trace, 0, "TraceStarted", "{\"workflow\":\"discount_approval\",\"title\":\"Discount for Acme renewal\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-acme\"}}"));
        c.appendEvent(event(trace, 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},"
                + "\"inputs\":[],\"decision\":\"require_exception\"}"));
        c.appendEvent(event(trace, 2, "ExceptionRequested", "{\"exception_id\":\"ex-1\",\"policy\":{\"policy_id\":\"discount-cap\","
                + "\"policy_version\":\"v3\"},\"reason\":\"32% discount exceeds the 25% cap\"}"));
    }

    private static String text(Json j) {
        return JsonWriter.canonicalLenient(j);
    }

    @Test
    void demoFlowEndToEnd() {
        DgClient agentClient = client(agent, TENANT);
        proposeDiscount(agentClient, "deal-1");
        String id = "deal-1:exception:ex-1";

        ApiResponse inbox = client(approver, TENANT).workflowInbox(Map.of());
        JsonArray items = inbox.data().getArray("items");
        assertThat(items.size()).isEqualTo(1);
        JsonObject item = (JsonObject) items.get(0);
        assertThat(item.getString("workflow_id")).isEqualTo(id);
        assertThat(item.getString("status")).isEqualTo("requested");
        assertThat(text(inbox.data().getObject("summary").get("open_count"))).isEqualTo("1");

        // the agent has no review permission: refused and audited
        DgApiException denied = catchThrowableOfType(DgApiException.class, () -> agentClient.workflowAction(id,
                JsonObject.builder().put("action", "approve").put("reason", "self-approval").build(), null));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.getMessage()).contains("Service account lacks workflow_review permission");

        DgClient reviewer = client(approver, TENANT);
        ApiResponse claim = reviewer.workflowAction(id, JsonObject.builder().put("action", "claim").build(), "req-claim-1");
        assertThat(claim.data().getObject("workflow").getString("status")).isEqualTo("in_review");
        DgApiException taken = catchThrowableOfType(DgApiException.class, () -> client(approver2, TENANT).workflowAction(id,
                JsonObject.builder().put("action", "claim").build(), "req-claim-2"));
        assertThat(taken.status()).isEqualTo(409);

        JsonObject approve = JsonObject.builder().put("action", "approve")
                .put("reason", "Strategic renewal; margin stays above floor").build();
        ApiResponse ok = reviewer.workflowAction(id, approve, "req-approve-1");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.data().getObject("workflow").getString("status")).isEqualTo("approved");
        String eventId = ok.data().getObject("action").getString("appended_event_id");
        ApiResponse retry = reviewer.workflowAction(id, approve, "req-approve-1");
        assertThat(retry.header("Idempotent-Replay")).contains("true");
        assertThat(retry.data().getObject("action").getString("appended_event_id")).isEqualTo(eventId);

        ApiResponse trace = agentClient.traceEvents("deal-1", Map.of());
        List<String> types = trace.data().getArray("events").items().stream().map(e -> ((JsonObject) e).getString("event_type")).toList();
        assertThat(types).containsExactly("TraceStarted", "PolicyEvaluated", "ExceptionRequested", "ApprovalRecorded");

        agentClient.appendEvent(event("deal-1", 4, "ActionCommitted", "{\"action_id\":\"apply-discount\",\"status\":\"success\"}"));
        agentClient.appendEvent(event("deal-1", 5, "TraceFinished", "{\"outcome\":\"success\"}"));
        Projections projections = Projections.open(db, TENANT, Clock.systemUTC());
        projections.catchUp();
        assertThat(projections.verify().clean()).isTrue();
        assertThat(projections.projectedLastSeq()).isEqualTo(6);

        JsonObject detail = reviewer.workflow(id).data();
        assertThat(detail.getArray("actions").items().stream().map(a -> ((JsonObject) a).getString("action_type")).toList())
                .containsExactly("requested", "claim", "approve");
        JsonObject export = client(admin, TENANT).workflowExport(id).data();
        assertThat(text(export.get("export_version"))).isEqualTo("1");
        assertThat(export.getArray("source_events").size()).isEqualTo(2);

        List<AuditEntry> audit = new AccessStore(db).queryAudit(new AuditQuery(TENANT, null, null, null, "workflow", id, null, null,
                null, 100));
        assertThat(audit).extracting(e -> e.record().action() + "/" + e.record().outcome() + "/" + e.record().actorId())
                .contains("approve/denied/deal-agent", "claim/accepted/approver-1", "claim/rejected/approver-2",
                        "approve/accepted/approver-1", "workflow_export/accepted/admin-1");
        assertThat(new AccessStore(db).firstBrokenAuditLink()).isEmpty();
    }

    @Test
    void otherTenantsSeeNothing() {
        proposeDiscount(client(agent, TENANT), "deal-2");
        String id = "deal-2:exception:ex-1";
        DgClient other = client(adminB, "other");
        assertThat(other.workflowInbox(Map.of()).data().getArray("items").size()).isZero();
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.workflow(id)).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.workflowExport(id)).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.workflowAction(id,
                JsonObject.builder().put("action", "approve").put("reason", "x").build(), null)).status()).isEqualTo(404);
        assertThat(client(approver, TENANT).workflow(id).data().getObject("workflow").getString("status")).isEqualTo("requested");
    }

    @Test
    void studioTemplatesAndOpenApi() {
        proposeDiscount(client(agent, TENANT), "deal-3");
        DgClient reviewer = client(adminB, "other");
        assertThat(reviewer.workflowTemplates().data().getArray("templates").size()).isEqualTo(3);
        JsonObject studio = client(approver, TENANT).workflowStudio("deal-3", null).data();
        assertThat(studio.getObject("draft").getString("workflow_id")).isEqualTo("deal-3:trace_review:exception_follow_up");
        JsonObject counts = client(approver, TENANT).workflowCounts().data();
        assertThat(text(counts.get("requested_count"))).isEqualTo("1");
        JsonObject doc = openApi.client(base, null, null).openApi().data();
        assertThat(doc.getObject("paths").keys()).contains("/api/v1/workflows", "/api/v1/workflows/{workflow_id}",
                "/api/v1/workflows/{workflow_id}/actions", "/api/v1/admin/workflows/{workflow_id}/export",
                "/api/v1/workflow-studio/templates", "/api/v1/workflow-studio/traces/{trace_id}",
                "/api/v1/workflow-studio/traces/{trace_id}/reviews", "/api/v1/workflow-inbox/counts");
    }

    @Test
    void webhookAdministrationIsTenantScopedAndAudited() {
        DgClient adminClient = client(admin, TENANT);
        DgApiException https = catchThrowableOfType(DgApiException.class, () -> adminClient.send("POST", "/api/v1/admin/webhooks",
                Map.of(), JsonObject.builder().put("url", "http://example.com/x").put("topics", JsonArray.of(List.of(
                        new org.decisiongraph.core.json.JsonString("workflow_notification")))).build()));
        assertThat(https.status()).isEqualTo(400);
        assertThat(https.getMessage()).contains("url must use https");
        ApiResponse created = adminClient.send("POST", "/api/v1/admin/webhooks", Map.of(), JsonObject.builder()
                .put("url", "https://hooks.example.com/dg").put("topics", JsonArray.of(List.of(
                        new org.decisiongraph.core.json.JsonString("workflow_notification")))).build());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().getString("secret")).hasSize(43);
        String id = created.data().getObject("webhook").getString("webhook_id");
        assertThat(adminClient.send("GET", "/api/v1/admin/webhooks", Map.of(), null).data().getArray("webhooks").size()).isEqualTo(1);
        assertThat(adminClient.send("POST", "/api/v1/admin/webhooks/" + id + "/disable", Map.of(), JsonObject.empty()).data()
                .getObject("webhook").getString("status")).isEqualTo("disabled");
        assertThat(adminClient.send("POST", "/api/v1/admin/webhooks/" + id + "/enable", Map.of(), JsonObject.empty()).data()
                .getObject("webhook").getString("status")).isEqualTo("active");
        proposeDiscount(client(agent, TENANT), "deal-4");
        JsonArray deliveries = adminClient.send("GET", "/api/v1/admin/webhooks/" + id + "/deliveries", Map.of(), null).data()
                .getArray("deliveries");
        assertThat(deliveries.size()).isEqualTo(1);
        assertThat(((JsonObject) deliveries.get(0)).getString("status")).isEqualTo("pending");
        DgClient other = client(adminB, "other");
        assertThat(other.send("GET", "/api/v1/admin/webhooks", Map.of(), null).data().getArray("webhooks").size()).isZero();
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.send("GET", "/api/v1/admin/webhooks/" + id, Map.of(), null))
                .status()).isEqualTo(404);
        List<String> actions = new AccessStore(db).queryAudit(new AuditQuery(TENANT, null, null, null, "webhook", null, null, null, null,
                100)).stream().map(e -> e.record().action() + "/" + e.record().outcome()).toList();
        assertThat(actions).contains("webhook_create/accepted", "webhook_create/rejected", "webhook_disable/accepted",
                "webhook_enable/accepted");
    }

    @Test
    void attachmentsAreStoredWithTheirHashAndServedOnlyInsideTheTenant() throws Exception {
        proposeDiscount(client(agent, TENANT), "deal-5");
        String id = "deal-5:exception:ex-1";
        byte[] memo = "Deal memo: 32% for a 3-year commitment".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DgClient reviewer = client(approver, TENANT);
        JsonObject att = reviewer.uploadAttachment(id, "memo.txt", "text/plain", memo, "up-1").data().getObject("attachment");
        String expected = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(memo));
        assertThat(att.getString("sha256")).isEqualTo(expected);
        assertThat(reviewer.uploadAttachment(id, "memo.txt", "text/plain", memo, "up-1").data().getObject("attachment")
                .getString("attachment_id")).as("a retry stores nothing new").isEqualTo(att.getString("attachment_id"));
        assertThat(reviewer.downloadAttachment(id, att.getString("attachment_id"))).isEqualTo(memo);
        DgApiException type = catchThrowableOfType(DgApiException.class,
                () -> reviewer.uploadAttachment(id, "x.exe", "application/x-msdownload", memo, "up-2"));
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.getMessage()).contains("Unsupported attachment type \"application/x-msdownload\"");
        DgApiException big = catchThrowableOfType(DgApiException.class,
                () -> reviewer.uploadAttachment(id, "big.txt", "text/plain", new byte[5 * 1024 * 1024 + 1], "up-3"));
        assertThat(big.status()).isEqualTo(400);
        DgApiException noPerm = catchThrowableOfType(DgApiException.class,
                () -> client(agent, TENANT).uploadAttachment(id, "m.txt", "text/plain", memo, "up-4"));
        assertThat(noPerm.status()).isEqualTo(403);
        DgClient other = client(adminB, "other");
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.downloadAttachment(id, att.getString("attachment_id")))
                .status()).isEqualTo(404);
        assertThat(reviewer.workflow(id).data().getArray("actions").items().stream()
                .map(a -> ((JsonObject) a).getString("action_type")).toList()).containsExactly("requested", "attachment");
        assertThat(new AccessStore(db).queryAudit(new AuditQuery(TENANT, "attachment_upload", null, null, null, null, null, null, null,
                10)).stream().map(e -> e.record().outcome()).toList()).contains("accepted", "rejected", "denied");
    }

    @Test
    void anApiDecisionReachesTheLiveEventStreamLikeAnAppend() throws Exception {
        String id = "deal-7:exception:ex-1";
        proposeDiscount(client(agent, TENANT), "deal-7");
        DgClient reviewer = client(approver, TENANT);
        reviewer.workflowAction(id, JsonObject.builder().put("action", "claim").build(), "req-claim-7");
        try (org.decisiongraph.client.SseStream stream = client(operator, TENANT).stream("events", null)) {
            ApiResponse ok = reviewer.workflowAction(id, JsonObject.builder().put("action", "approve")
                    .put("reason", "within the renewal guardrails").build(), "req-approve-7");
            String eventId = ok.data().getObject("action").getString("appended_event_id");
            org.decisiongraph.client.SseStream.Frame frame = stream.next("event_appended", java.time.Duration.ofSeconds(10));
            assertThat(frame).as("the decision's ApprovalRecorded is pushed by the append hook").isNotNull();
            JsonObject d = (JsonObject) JsonParser.parse(frame.data());
            assertThat(d.getString("event_type")).isEqualTo("ApprovalRecorded");
            assertThat(d.getString("event_id")).isEqualTo(eventId);
        }
    }

    @Test
    void itemChangesArePushedAndTheWorkflowProjectionIsARuntimeWorker() throws Exception {
        DgClient reviewer = client(approver, TENANT);
        String id = "deal-6:exception:ex-1";
        try (org.decisiongraph.client.SseStream stream = client(operator, TENANT).stream("workflows", null)) {
            proposeDiscount(client(agent, TENANT), "deal-6");
            org.decisiongraph.client.SseStream.Frame created = stream.next("workflow_changed", java.time.Duration.ofSeconds(10));
            assertThat(created).isNotNull();
            JsonObject d = (JsonObject) JsonParser.parse(created.data());
            assertThat(d.keys()).containsExactlyInAnyOrder("workflow_id", "status", "priority", "assigned_account_id", "assigned_role",
                    "overdue", "last_action_type", "updated_at");
            assertThat(d.getString("workflow_id")).isEqualTo(id);
            assertThat(d.getString("status")).isEqualTo("requested");
            assertThat(d.getString("assigned_role")).isEqualTo("admin");
            reviewer.workflowAction(id, JsonObject.builder().put("action", "claim").build(), "req-claim-6");
            org.decisiongraph.client.SseStream.Frame claimed = stream.next("workflow_changed", java.time.Duration.ofSeconds(10));
            JsonObject c = (JsonObject) JsonParser.parse(claimed.data());
            assertThat(c.getString("status")).isEqualTo("in_review");
            assertThat(c.getString("assigned_account_id")).isEqualTo("approver-1");
            assertThat(c.getString("last_action_type")).isEqualTo("claim");
        }
        DgClient ops = client(operator, TENANT);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        JsonObject runtime;
        do {
            runtime = ops.projectionHealth().data().getObject("workflow_runtime");
        } while (!text(runtime.get("pending_events")).equals("0") && System.nanoTime() < deadline);
        assertThat(text(runtime.get("is_stale"))).isEqualTo("false");
        assertThat(text(runtime.get("open_failures"))).isEqualTo("0");
        JsonArray workers = ops.send("GET", "/api/v1/admin/projector-workers", Map.of(), null).data().getArray("workers");
        assertThat(workers.items().stream().map(w -> ((JsonObject) w).getObject("key").getString("projection")).toList())
                .containsExactly("context_graph", "trace_summary", "precedent_index", "workflow");

        // a quarantined event (accepted by the log, not applicable) is listed and has a retry route
        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
        long poisoned = log.append(TENANT, new org.decisiongraph.core.event.EventEnvelope("deal-6-3", "deal-6", 3, "WorkflowReviewRequested",
                "not a timestamp", new org.decisiongraph.core.event.Source("deal-agent", "crm", "pricing"),
                new org.decisiongraph.core.event.Actor("agent", "deal-agent"), "deal-6:3", JsonParser.parse("{\"template_id\":"
                + "\"incident_triage\",\"priority\":\"high\",\"workflow_kind\":\"incident_review\",\"title\":\"x\",\"reason\":\"r\","
                + "\"assignee\":{},\"subject\":{\"subject_type\":\"trace_review\",\"subject_id\":\"incident_triage\"},\"simulation\":{},"
                + "\"sla_hours\":2}"), null, null, 1, List.of())).eventOrNull().logSeq();
        projections.runtime().eventsAppended(TENANT);
        JsonArray failures;
        do {
            failures = ops.send("GET", "/api/v1/admin/projection-failures", Map.of("projection", "workflow", "status", "open"), null)
                    .data().getArray("failures");
        } while (failures.size() == 0 && System.nanoTime() < deadline);
        assertThat(failures.size()).isEqualTo(1);
        JsonObject failure = (JsonObject) failures.get(0);
        assertThat(text(failure.get("log_seq"))).isEqualTo(String.valueOf(poisoned));
        ApiResponse retried = ops.send("POST", "/api/v1/admin/projection-failures/" + failure.getString("id") + "/retry", Map.of(),
                JsonObject.builder().put("reason", "re-apply after the fix").build());
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.data().getObject("failure").getString("status")).as("the event still cannot be applied").isEqualTo("open");
        assertThat(retried.data().getObject("worker").getObject("key").getString("projection")).isEqualTo("workflow");
        assertThat(text(ops.projectionHealth().data().getObject("workflow_runtime").get("open_failures"))).isEqualTo("1");
    }

    @Test
    void theStudioDryRunIsServedAndWritesNothing() {
        proposeDiscount(client(agent, TENANT), "deal-7");
        DgClient reviewer = client(approver, TENANT);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        ApiResponse sim = null;
        while (sim == null) {
            try {
                sim = reviewer.send("GET", "/api/v1/workflow-studio/traces/deal-7/simulation", Map.of("limit", "3"), null);
            } catch (DgApiException e) {
                // 409 projection_out_of_date until the runtime has caught the precedent projection up
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.getMessage()).contains("Projections at log_seq=");
                assertThat(System.nanoTime()).isLessThan(deadline);
            }
        }
        assertThat(sim.status()).isEqualTo(200);
        assertThat(text(sim.data().get("dry_run"))).isEqualTo("true");
        assertThat(sim.data().getObject("policy").getString("policy_id")).isEqualTo("discount-cap");
        JsonArray reviews = sim.data().getArray("reviews");
        assertThat(((JsonObject) reviews.get(0)).getString("workflow_id")).isEqualTo("deal-7:exception:ex-1");
        assertThat(((JsonObject) reviews.get(1)).getString("workflow_id")).isEqualTo("deal-7:trace_review:exception_follow_up");
        DgApiException bad = catchThrowableOfType(DgApiException.class, () -> reviewer.send("GET",
                "/api/v1/workflow-studio/traces/deal-7/simulation", Map.of("limit", "99"), null));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.getMessage()).contains("limit must be between 1 and 20");
        assertThat(catchThrowableOfType(DgApiException.class, () -> reviewer.send("GET",
                "/api/v1/workflow-studio/traces/nope/simulation", Map.of(), null)).status()).isEqualTo(404);
        assertThat(client(agent, TENANT).traceEvents("deal-7", Map.of()).data().getArray("events").size()).as("nothing appended")
                .isEqualTo(3);
    }
}
