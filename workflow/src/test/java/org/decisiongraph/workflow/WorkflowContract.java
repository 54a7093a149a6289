package org.decisiongraph.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowNotification;
import org.decisiongraph.workflow.inbox.Inbox;
import org.decisiongraph.workflow.sla.SlaSweep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workflow runtime against a real database (SQLite and Postgres subclasses): import rules, actions,
 * idempotent retries, concurrency, linked review traces, SLA sweep with a controlled clock, quarantine,
 * conflicting decisions, tenant isolation, inbox order and pagination, export and audit rows.
 */
abstract class WorkflowContract {
    static final String T = "tenant-a";
    static final Instant T0 = Instant.parse("2026-03-07T10:00:00Z");
    static final List<String> REVIEWER = List.of("workflow_review", "workflow_assign", "workflow_escalate", "workflow_override",
            "workflow_export");

    Database db;
    EventLog log;
    MutableClock clock;
    Workflows wf;

    abstract Database openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        clock = new MutableClock(T0.plusSeconds(60));
        log = EventLog.open(db, EventTypeSet.PLATFORM, clock);
        wf = new Workflows(db, log, clock, WorkflowConfig.DEFAULTS);
    }

    @AfterEach
    void close() {
        wf.close();
        db.close();
    }

    static String txt(org.decisiongraph.core.json.Json j) {
        return j == null ? null : org.decisiongraph.core.json.JsonWriter.canonicalLenient(j);
    }

    static Caller caller(String account, String requestId) {
        return new Caller(account, Caller.SERVICE_ACCOUNT, List.of("writer"), REVIEWER, requestId, "127.0.0.1");
    }

    static Caller limited(String account, String requestId, String... permissions) {
        return new Caller(account, Caller.SERVICE_ACCOUNT, List.of("writer"), List.of(permissions), requestId, "127.0.0.1");
    }

    ActionResult act(String id, String body, Caller c) {
        return wf.review().act(T, id, Flow.body(body), c);
    }

    WorkflowError refused(String id, String body, Caller c) {
        WorkflowError e = catchThrowableOfType(WorkflowError.class, () -> act(id, body, c));
        assertThat(e).as("expected a refusal of %s", body).isNotNull();
        return e;
    }

    WorkflowItem item(String id) {
        return wf.store().item(T, id).orElseThrow();
    }

    List<StoredEvent> approvals(String tenant) {
        return log.listEvents(tenant, EventQuery.ALL.withEventType("ApprovalRecorded"));
    }

    List<AuditEntry> audit(String tenant, String workflowId) {
        return new AccessStore(db).queryAudit(new AuditQuery(tenant, null, null, null, "workflow", workflowId, null, null, null, 1000));
    }

    // --- import -----------------------------------------------------------------------------------

    @Test
    void exceptionRequestedBecomesAnInboxItemWithSlaAndAssignment() {
        Flow.exceptionRequested(log, T, "t1", T0, "Discount 32% over the 25% cap");
        assertThat(wf.store().item(T, Flow.itemId("t1"))).as("reads do not import").isEmpty();
        wf.catchUp(T);
        WorkflowItem it = item(Flow.itemId("t1"));
        assertThat(it.status()).isEqualTo("requested");
        assertThat(it.workflowKind()).isEqualTo("exception_review");
        assertThat(it.workflowName()).isEqualTo("discount_approval");
        assertThat(it.title()).isEqualTo("Discount for t1");
        assertThat(it.priority()).isEqualTo("high");
        assertThat(it.assignedRole()).isEqualTo("admin");
        assertThat(it.slaDueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
        assertThat(it.policyId()).isEqualTo("discount-cap");
        assertThat(txt(it.metadata().get("sla_hours"))).isEqualTo("4");
        assertThat(wf.store().actions(T, it.workflowId())).extracting(WorkflowAction::actionType).containsExactly("requested");
        assertThat(wf.store().notifications(T, it.workflowId(), null)).extracting(WorkflowNotification::message)
                .containsExactly("Workflow " + it.workflowId() + " assigned to admin");
        // re-running the import changes nothing
        assertThat(wf.catchUp(T)).isEqualTo(3);
        assertThat(wf.store().actions(T, it.workflowId())).hasSize(1);
        Flow.exceptionRequested(log, T, "t2", T0, "URGENT renewal");
        wf.catchUp(T);
        assertThat(item(Flow.itemId("t2")).priority()).isEqualTo("urgent");
    }

    @Test
    void poisonEventIsQuarantinedAndTheImportGoesOn() {
        Flow.append(log, T, "t9", 0, "TraceStarted", T0, "{\"workflow\":\"w\",\"title\":\"x\",\"primary_entity\":{\"entity_type\":\"a\",\"entity_id\":\"b\"}}");
        // passes the log (occurred_at is stored verbatim, as in the reference) but has no instant to start an SLA from
        Flow.append(log, T, "t9", 1, "WorkflowReviewRequested", "not a timestamp", "{\"template_id\":\"incident_triage\",\"priority\":\"high\","
                + "\"workflow_kind\":\"incident_review\",\"title\":\"x\",\"reason\":\"r\",\"assignee\":{},\"subject\":{\"subject_type\":"
                + "\"trace_review\",\"subject_id\":\"incident_triage\"},\"simulation\":{},\"sla_hours\":2}");
        Flow.exceptionRequested(log, T, "t10", T0, "ok");
        assertThat(wf.catchUp(T)).isEqualTo(5);
        assertThat(wf.store().item(T, "t9:trace_review:incident_triage")).isEmpty();
        assertThat(item(Flow.itemId("t10")).status()).isEqualTo("requested");
        assertThat(wf.store().write(T, tx -> Long.valueOf(tx.openFailures())).longValue()).isEqualTo(1L);
    }

    // --- actions ----------------------------------------------------------------------------------

    @Test
    void claimThenApproveRecordsAnApprovalEventAndRetriesAreIdempotent() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        ActionResult claimed = act(id, "{\"action\":\"claim\"}", caller("alice", "r-1"));
        assertThat(claimed.workflow().status()).isEqualTo("in_review");
        assertThat(claimed.workflow().assignedAccountId()).isEqualTo("alice");
        assertThat(act(id, "{\"action\":\"claim\"}", caller("alice", "r-2")).workflow().status()).isEqualTo("in_review");
        WorkflowError taken = refused(id, "{\"action\":\"claim\"}", caller("bob", "r-3"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.message()).isEqualTo("Workflow " + id + " is already claimed by alice");

        assertThat(refused(id, "{\"action\":\"approve\"}", caller("alice", "r-4")).message()).isEqualTo("approve requires a reason");
        assertThat(refused(id, "{\"action\":\"approve\",\"reason\":\"ok\",\"evidence\":\"x\"}", caller("alice", "r-4")).message())
                .isEqualTo("evidence must be a list when present");
        ActionResult ok = act(id, "{\"action\":\"approve\",\"reason\":\"margin ok\",\"evidence\":[\"deal memo\"]}", caller("alice", "r-5"));
        assertThat(ok.replay()).isFalse();
        assertThat(ok.workflow().status()).isEqualTo("approved");
        assertThat(ok.workflow().currentDecision()).isEqualTo("approved");
        String eventId = ok.action().getString("appended_event_id");
        String h = ReviewService.sha16(T + "\n" + id + "\napprove\nr-5");
        assertThat(eventId).isEqualTo("t1-approval-recorded-3-" + h);
        List<StoredEvent> events = approvals(T);
        assertThat(events).hasSize(1);
        JsonObject payload = (JsonObject) events.getFirst().payload();
        assertThat(payload.getString("approval_id")).isEqualTo("approval:" + id + ":" + h);
        assertThat(payload.getObject("approver").getString("actor_id")).isEqualTo("alice");
        assertThat(events.getFirst().idempotencyKey()).isEqualTo("workflow:" + id + ":approve:r-5");
        assertThat(wf.store().actions(T, id)).filteredOn(a -> a.actionType().equals("approve")).singleElement()
                .satisfies(a -> assertThat(a.actorAccountId()).isEqualTo("alice"));

        ActionResult again = act(id, "{\"action\":\"approve\",\"reason\":\"margin ok\",\"evidence\":[\"deal memo\"]}", caller("alice", "r-5"));
        assertThat(again.replay()).isTrue();
        assertThat(again.action().getString("appended_event_id")).isEqualTo(eventId);
        assertThat(approvals(T)).hasSize(1);
        WorkflowError different = refused(id, "{\"action\":\"approve\",\"reason\":\"other\"}", caller("alice", "r-5"));
        assertThat(different.code()).isEqualTo("idempotency_conflict");
        assertThat(different.message()).isEqualTo("Idempotency key 'workflow:" + id + ":approve:r-5' already used with different payload");
        assertThat(refused(id, "{\"action\":\"reject\",\"reason\":\"no\"}", caller("alice", "r-6")).message())
                .isEqualTo("Workflow " + id + " is already approved");
        assertThat(act(id, "{\"action\":\"comment\",\"note\":\"closed fine\"}", caller("alice", "r-7")).workflow().status())
                .isEqualTo("approved");

        List<AuditEntry> rows = audit(T, id);
        assertThat(rows).extracting(e -> e.record().action() + "/" + e.record().outcome())
                .contains("claim/accepted", "claim/rejected", "approve/rejected", "approve/accepted", "reject/rejected",
                        "comment/accepted");
        assertThat(new AccessStore(db).firstBrokenAuditLink()).isEmpty();
    }

    @Test
    void operationalActionsAndTheirRules() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        WorkflowError denied = refused(id, "{\"action\":\"escalate\",\"reason\":\"x\"}", limited("carol", "r-0", "workflow_review"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.message()).isEqualTo("Service account lacks workflow_escalate permission");
        assertThat(refused(id, "{\"action\":\"dance\"}", caller("a", "r")).message()).isEqualTo("Unsupported workflow action \"dance\"");
        assertThat(refused("nope", "{\"action\":\"comment\",\"note\":\"x\"}", caller("a", "r")).message()).isEqualTo("Workflow not found: nope");
        assertThat(refused(id, "{\"action\":\"comment\"}", caller("a", "r-1")).message()).isEqualTo("Comment note is required");
        assertThat(refused(id, "{\"action\":\"reassign\"}", caller("a", "r-2")).message())
                .isEqualTo("Reassign requires assigned_account_id or assigned_role");
        ActionResult re = act(id, "{\"action\":\"reassign\",\"assigned_role\":\"finance\"}", caller("a", "r-3"));
        assertThat(re.workflow().assignedRole()).isEqualTo("finance");
        assertThat(re.workflow().assignedAccountId()).isNull();
        ActionResult rc = act(id, "{\"action\":\"request_change\",\"reason\":\"need memo\"}", caller("a", "r-4"));
        assertThat(rc.workflow().status()).isEqualTo("changes_requested");
        ActionResult esc = act(id, "{\"action\":\"escalate\",\"reason\":\"stuck\"}", caller("a", "r-5"));
        assertThat(esc.workflow().status()).isEqualTo("escalated");
        assertThat(esc.action().getString("escalated_to")).isEqualTo("admin");
        assertThat(esc.workflow().escalationCount()).isEqualTo(1);
        assertThat(esc.workflow().slaDueAt()).isEqualTo(clock.instant().plus(Duration.ofHours(4)));
        assertThat(refused(id, "{\"action\":\"escalate\",\"reason\":\"again\"}", caller("a", "r-6")).message())
                .isEqualTo("Workflow " + id + " is already escalated");
        // the same request id replays without writing
        int before = wf.store().actions(T, id).size();
        ActionResult replay = act(id, "{\"action\":\"escalate\",\"reason\":\"stuck\"}", caller("a", "r-5"));
        assertThat(replay.replay()).isTrue();
        assertThat(wf.store().actions(T, id)).hasSize(before);
        assertThat(refused(id, "{\"action\":\"override\",\"reason\":\"x\",\"confirm_text\":\"override\"}", caller("a", "r-7")).message())
                .isEqualTo("Override confirmation phrase must match OVERRIDE " + id.toUpperCase(java.util.Locale.ROOT));
        ActionResult ov = act(id, "{\"action\":\"override\",\"reason\":\"ceo\",\"confirm_text\":\"OVERRIDE "
                + id.toUpperCase(java.util.Locale.ROOT) + "\"}", caller("a", "r-8"));
        assertThat(ov.workflow().status()).isEqualTo("overridden");
        assertThat(ov.workflow().currentDecision()).isEqualTo("override_approved");
        JsonObject export = act(id, "{\"action\":\"export\"}", caller("a", "r-9")).action().getObject("export");
        assertThat(txt(export.get("export_version"))).isEqualTo("1");
        assertThat(export.getArray("workflow_actions").size()).isEqualTo(wf.store().actions(T, id).size());
        assertThat(export.getArray("source_events").size()).isEqualTo(2);
        assertThat(txt(export.getObject("audit_summary").get("closed?"))).isEqualTo("true");
        assertThat(export.getArray("audit_entries").size()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void concurrentClaimsAndDecisionsHaveExactlyOneWinner() throws Exception {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        Flow.exceptionRequested(log, T, "t2", T0, "over cap");
        wf.catchUp(T);
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String who = "rev-" + i;
            claims.add(() -> tryAct(Flow.itemId("t1"), "{\"action\":\"claim\"}", caller(who, "c-" + who)));
        }
        assertThat(runAll(claims)).isEqualTo(1);
        List<Callable<Boolean>> decisions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String who = "rev-" + i;
            String body = i % 2 == 0 ? "{\"action\":\"approve\",\"reason\":\"ok\"}" : "{\"action\":\"reject\",\"reason\":\"no\"}";
            decisions.add(() -> tryAct(Flow.itemId("t2"), body, caller(who, "d-" + who)));
        }
        assertThat(runAll(decisions)).isEqualTo(1);
        assertThat(approvals(T)).hasSize(1);
        assertThat(item(Flow.itemId("t2")).status()).isIn("approved", "rejected");
    }

    private boolean tryAct(String id, String body, Caller c) {
        try {
            act(id, body, c);
            return true;
        } catch (WorkflowError e) {
            return false;
        }
    }

    private static int runAll(List<Callable<Boolean>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> fs = new ArrayList<>();
            for (Callable<Boolean> t : tasks) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return t.call();
                }));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> f : fs) {
                wins += f.get() ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void decisionOnAFinishedTraceGoesToTheLinkedReviewTrace() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        Flow.finish(log, T, "t1", 3, T0);
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        ActionResult ok = act(id, "{\"action\":\"approve\",\"reason\":\"after the fact\"}", caller("alice", "r-1"));
        assertThat(ok.workflow().status()).isEqualTo("approved");
        assertThat(ok.workflow().traceId()).isEqualTo("t1");
        assertThat(ok.workflow().reviewTraceId()).isEqualTo("t1:review");
        List<StoredEvent> review = log.traceEvents(T, "t1:review");
        assertThat(review).extracting(StoredEvent::eventType).containsExactly("TraceStarted", "ApprovalRecorded");
        assertThat(review.getFirst().eventId()).isEqualTo("t1:review-trace-started-0");
        JsonObject p = (JsonObject) review.get(1).payload();
        assertThat(p.getString("workflow_id")).isEqualTo(id);
        assertThat(p.getObject("subject").getString("trace_id")).isEqualTo("t1");
        assertThat(log.traceEvents(T, "t1")).hasSize(5);
        // the review trace is an ordinary trace for the projections, and digests verify
        Projections projections = Projections.open(db, T, clock);
        projections.catchUp();
        assertThat(projections.verify().clean()).isTrue();
    }

    @Test
    void conflictingExternalDecisionIsKeptButDoesNotOverwrite() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        act(id, "{\"action\":\"approve\",\"reason\":\"ok\"}", caller("alice", "r-1"));
        Flow.append(log, T, "t1", 4, "ApprovalRecorded", T0, "{\"approval_id\":\"ext-1\",\"subject\":{\"subject_type\":\"exception\","
                + "\"subject_id\":\"ex-t1\"},\"approver\":{\"actor_type\":\"person\",\"actor_id\":\"cfo\"},\"decision\":\"rejected\"}");
        wf.catchUp(T);
        assertThat(item(id).status()).isEqualTo("approved");
        assertThat(wf.store().actions(T, id)).extracting(WorkflowAction::actionType).contains("conflicting_decision");
        assertThat(wf.store().notifications(T, id, null)).extracting(WorkflowNotification::category).contains("failure");
        assertThat(audit(T, id)).extracting(e -> e.record().action()).contains("conflicting_decision");
    }

    // --- SLA ------------------------------------------------------------------------------------

    @Test
    void slaWarningEscalationAndExpiryAreFiredOnceAcrossRestartsAndNodes() throws Exception {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        Instant due = T0.plus(Duration.ofHours(4));
        assertThat(wf.sweep().tick(due.minus(Duration.ofHours(1)))).isEqualTo(new SlaSweep.TickResult(0, 0, 0));
        assertThat(wf.sweep().tick(due.minus(Duration.ofMinutes(20))).warned()).isEqualTo(1);
        assertThat(wf.sweep().tick(due.minus(Duration.ofMinutes(10))).warned()).isZero();
        assertThat(wf.sweep().tick(due).escalated()).as("not before the deadline has passed").isZero();

        Instant late = due.plusSeconds(1);
        // a second node (another runtime on the same database) and a restart of the first
        Workflows node2 = new Workflows(db, log, clock, WorkflowConfig.DEFAULTS);
        List<Callable<Boolean>> sweeps = List.of(() -> wf.sweep().tick(late).escalated() == 1,
                () -> node2.sweep().tick(late).escalated() == 1, () -> node2.sweep().tick(late).escalated() == 1);
        assertThat(runAll(sweeps)).isEqualTo(1);
        WorkflowItem it = item(id);
        assertThat(it.status()).isEqualTo("escalated");
        assertThat(it.escalationCount()).isEqualTo(1);
        assertThat(it.slaDueAt()).isEqualTo(late.plus(Duration.ofHours(4)));
        assertThat(it.metadata().getString("previous_sla_due_at")).isEqualTo("2026-03-07T14:00:00Z");
        assertThat(wf.store().action(T, "wfa:sla:" + id + ":1")).isPresent();
        Workflows restarted = new Workflows(db, log, clock, WorkflowConfig.DEFAULTS);
        assertThat(restarted.sweep().tick(late.plusSeconds(5)).escalated()).isZero();

        // an escalated item is not escalated again; after request_change it is, once its new deadline passed
        act(id, "{\"action\":\"request_change\",\"reason\":\"memo\"}", caller("alice", "r-1"));
        assertThat(restarted.sweep().tick(late.plus(Duration.ofHours(3))).escalated()).isZero();
        assertThat(restarted.sweep().tick(late.plus(Duration.ofHours(4)).plusSeconds(1)).escalated()).isEqualTo(1);
        assertThat(item(id).escalationCount()).isEqualTo(2);
        assertThat(wf.store().notifications(T, id, null)).extracting(WorkflowNotification::category)
                .filteredOn(c -> c.equals("escalation")).hasSize(2);
        assertThat(audit(T, id)).filteredOn(e -> e.record().actorId() != null && e.record().actorId().equals("workflow-sla")).hasSize(2);
        node2.close();
        restarted.close();
    }

    // --- inbox, tenants -------------------------------------------------------------------------

    @Test
    void inboxOrderFiltersPaginationAndCounts() {
        for (int i = 0; i < 7; i++) {
            Flow.exceptionRequested(log, T, "t" + i, T0.plusSeconds(i), i == 3 ? "urgent one" : "normal");
        }
        Flow.exceptionRequested(log, T, "late", T0.minus(Duration.ofHours(10)), "old");
        wf.catchUp(T);
        clock.set(T0.plus(Duration.ofHours(1)));
        JsonObject page = wf.inbox().list(T, Inbox.Params.of(Map.of("limit", "3")));
        List<String> ids = page.getArray("items").items().stream().map(j -> ((JsonObject) j).getString("workflow_id")).toList();
        assertThat(ids).containsExactly(Flow.itemId("late"), Flow.itemId("t3"), Flow.itemId("t0"));
        List<String> all = new ArrayList<>(ids);
        String cursor = page.getString("next_cursor");
        while (cursor != null) {
            JsonObject next = wf.inbox().list(T, Inbox.Params.of(Map.of("limit", "3", "cursor", cursor)));
            next.getArray("items").items().forEach(j -> all.add(((JsonObject) j).getString("workflow_id")));
            cursor = next.getString("next_cursor");
        }
        assertThat(all).hasSize(8).doesNotHaveDuplicates();
        assertThat(all.subList(3, 8)).containsExactly(Flow.itemId("t1"), Flow.itemId("t2"), Flow.itemId("t4"), Flow.itemId("t5"),
                Flow.itemId("t6"));
        JsonObject summary = page.getObject("summary");
        assertThat(txt(summary.get("open_count"))).isEqualTo("8");
        assertThat(txt(summary.get("overdue_count"))).isEqualTo("1");
        assertThat(txt(summary.get("pending_source_events"))).isEqualTo("0");
        JsonObject overdue = wf.inbox().list(T, Inbox.Params.of(Map.of("only_overdue", "true")));
        assertThat(overdue.getArray("items").size()).isEqualTo(1);
        JsonObject urgent = wf.inbox().list(T, Inbox.Params.of(Map.of("priority", "URGENT")));
        assertThat(urgent.getArray("items").size()).isEqualTo(1);
        WorkflowError bad = catchThrowableOfType(WorkflowError.class, () -> wf.inbox().list(T, Inbox.Params.of(Map.of("priority", "critical"))));
        assertThat(bad.message()).isEqualTo("Unsupported priority \"critical\"");
        JsonObject none = wf.inbox().list(T, Inbox.Params.of(Map.of("status", "approved")));
        assertThat(none.getArray("items").size()).isZero();
    }

    @Test
    void tenantsAreIsolated() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        Flow.exceptionRequested(log, "tenant-b", "t1", T0, "other tenant");
        wf.catchUp(T);
        assertThat(wf.store().item("tenant-b", Flow.itemId("t1"))).isEmpty();
        wf.catchUp("tenant-b");
        act(Flow.itemId("t1"), "{\"action\":\"approve\",\"reason\":\"ok\"}", caller("alice", "r-1"));
        assertThat(wf.store().item("tenant-b", Flow.itemId("t1")).orElseThrow().status()).isEqualTo("requested");
        assertThat(item(Flow.itemId("t1")).status()).isEqualTo("approved");
        JsonObject inboxB = wf.inbox().list("tenant-b", Inbox.Params.of(Map.of()));
        assertThat(inboxB.getArray("items").size()).isEqualTo(1);
        assertThat(txt(inboxB.getObject("summary").get("approved_count"))).isEqualTo("0");
        JsonObject exportB = wf.export().document("tenant-b", Flow.itemId("t1"));
        assertThat(exportB.getArray("workflow_actions").size()).isEqualTo(1);
        assertThat(exportB.getArray("audit_entries").size()).isZero();
        assertThat(approvals("tenant-b")).isEmpty();
    }

    @Test
    void studioStartsAReviewOnceAndOnAFinishedTraceInTheReviewTrace() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        Flow.finish(log, T, "t1", 3, T0);
        JsonObject doc = wf.studio().document(T, "t1", null);
        assertThat(doc.getObject("template").getString("template_id")).isEqualTo("exception_follow_up");
        assertThat(wf.store().cursor(T)).as("the studio read writes nothing").isZero();
        Studio.Started s = wf.studio().startReview(T, "t1", Flow.body("{\"reason\":\"look again\"}"), caller("alice", "s-1"));
        assertThat(s.created()).isTrue();
        assertThat(s.workflow().workflowId()).isEqualTo("t1:trace_review:exception_follow_up");
        assertThat(s.workflow().priority()).isEqualTo("urgent");
        assertThat(s.workflow().slaDueAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plus(Duration.ofHours(1)));
        assertThat(s.appendedEventId()).isEqualTo("t1:review-workflow-review-requested-1");
        Studio.Started again = wf.studio().startReview(T, "t1", Flow.body("{\"reason\":\"look again\"}"), caller("alice", "s-2"));
        assertThat(again.created()).isFalse();
        WorkflowError e = catchThrowableOfType(WorkflowError.class,
                () -> wf.studio().startReview(T, "t1", Flow.body("{}"), caller("alice", "s-3")));
        assertThat(e.message()).isEqualTo("start_review requires a reason");
    }

    // --- webhooks ---------------------------------------------------------------------------------

    @Test
    void notificationsAreDeliveredAsSignedWebhooksWithRetries() throws Exception {
        java.util.List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failFirst = new java.util.concurrent.atomic.AtomicInteger(1);
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            received.add(new String[] {ex.getRequestHeaders().getFirst("x-dg-timestamp"), ex.getRequestHeaders().getFirst("x-dg-signature"),
                    ex.getRequestHeaders().getFirst("x-dg-delivery-id"), body});
            int status = failFirst.getAndDecrement() > 0 ? 500 : 204;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        try {
            org.decisiongraph.workflow.notify.Webhooks hooks = new org.decisiongraph.workflow.notify.Webhooks(db,
                    new org.decisiongraph.workflow.notify.SecretBox("test-key-base-0123456789"), clock, true);
            WorkflowError https = catchThrowableOfType(WorkflowError.class, () -> new org.decisiongraph.workflow.notify.Webhooks(db,
                    new org.decisiongraph.workflow.notify.SecretBox("test-key-base-0123456789"), clock, false)
                    .create(T, Flow.body("{\"url\":\"http://127.0.0.1:1/x\",\"topics\":[\"workflow_notification\"]}"), "admin"));
            assertThat(https.message()).isEqualTo("url must use https");
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            org.decisiongraph.workflow.notify.Webhooks.Created created = hooks.create(T,
                    Flow.body("{\"url\":\"" + url + "\",\"topics\":[\"workflow_notification\"]}"), "admin");
            assertThat(created.secret()).hasSize(43);
            assertThat(created.webhook().secretCiphertext()).doesNotContain(created.secret());
            org.decisiongraph.workflow.notify.WebhookDispatcher dispatcher = new org.decisiongraph.workflow.notify.WebhookDispatcher(
                    hooks, new AccessStore(db), clock, org.decisiongraph.workflow.notify.WebhookDispatcher.Policy.DEFAULTS);

            Flow.exceptionRequested(log, T, "t1", T0, "over cap");
            wf.catchUp(T);
            Flow.exceptionRequested(log, "tenant-b", "t1", T0, "other tenant");
            wf.catchUp("tenant-b");
            Instant now = clock.instant();
            assertThat(dispatcher.runDue(now)).isEqualTo(1);
            assertThat(received).hasSize(1);
            assertThat(dispatcher.runDue(now.plusSeconds(5))).as("not due before the backoff").isZero();
            assertThat(dispatcher.runDue(now.plusSeconds(10))).isEqualTo(1);
            assertThat(received).hasSize(2);
            assertThat(dispatcher.runDue(now.plusSeconds(60))).as("delivered once").isZero();
            String[] last = received.get(1);
            assertThat(last[1]).isEqualTo("sha256=" + org.decisiongraph.workflow.notify.WebhookDispatcher.sign(created.secret(),
                    last[0] + "." + last[3]));
            assertThat(last[2]).isEqualTo(received.get(0)[2]);
            JsonObject body = Flow.body(last[3]);
            assertThat(body.getString("topic")).isEqualTo("workflow_notification");
            assertThat(body.getString("tenant_id")).isEqualTo(T);
            assertThat(body.getObject("data").getString("category")).isEqualTo("assignment");
            var log1 = hooks.store().deliveries(T, created.webhook().webhookId(), 0, 10);
            assertThat(log1).singleElement().satisfies(d -> {
                assertThat(d.status()).isEqualTo("delivered");
                assertThat(d.attempts()).isEqualTo(2);
                assertThat(d.lastStatusCode()).isEqualTo(204);
            });
            assertThat(hooks.list("tenant-b")).isEmpty();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aSubscriptionIsDisabledAfterRepeatedFailedDeliveries() {
        org.decisiongraph.workflow.notify.Webhooks hooks = new org.decisiongraph.workflow.notify.Webhooks(db,
                new org.decisiongraph.workflow.notify.SecretBox("test-key-base-0123456789"), clock, true);
        var created = hooks.create(T, Flow.body("{\"url\":\"http://127.0.0.1:9/unreachable\",\"topics\":[\"workflow_notification\"]}"), "a");
        var dispatcher = new org.decisiongraph.workflow.notify.WebhookDispatcher(hooks, new AccessStore(db), clock,
                new org.decisiongraph.workflow.notify.WebhookDispatcher.Policy(Duration.ofSeconds(1), 2, 2, Duration.ofSeconds(2)));
        Flow.exceptionRequested(log, T, "t1", T0, "a");
        Flow.exceptionRequested(log, T, "t2", T0, "b");
        wf.catchUp(T);
        Instant now = clock.instant();
        assertThat(dispatcher.runDue(now)).isEqualTo(2);
        assertThat(dispatcher.runDue(now.plusSeconds(1))).isEqualTo(2);
        assertThat(hooks.get(T, created.webhook().webhookId()).status()).isEqualTo("disabled");
        assertThat(hooks.store().deliveries(T, created.webhook().webhookId(), 0, 10)).extracting(d -> d.status())
                .containsExactly("failed", "failed");
        assertThat(new AccessStore(db).queryAudit(new AuditQuery(T, "webhook_disable", null, null, null, null, null, null, null, 10)))
                .hasSize(1);
    }

    @Test
    void tenantTemplatesAreValidatedVersionedAndTenantScoped() {
        TenantTemplates tt = wf.tenantTemplates();
        String body = "{\"template_id\":\"vendor_risk\",\"title\":\"Vendor Risk Review\",\"reviewer_role\":\"finance\","
                + "\"default_priority\":\"high\",\"default_sla_hours\":8,\"tags\":[\"vendor\"],\"description\":\"d\"}";
        assertThat(tt.save(T, Flow.body(body), caller("admin", "t-1")).version()).isEqualTo(1);
        assertThat(tt.save(T, Flow.body(body.replace("\"default_sla_hours\":8", "\"default_sla_hours\":12")), caller("admin", "t-2"))
                .version()).isEqualTo(2);
        assertThat(tt.byId(T, "vendor_risk").orElseThrow().defaultSlaHours()).isEqualTo(12);
        assertThat(tt.byId("tenant-b", "vendor_risk")).isEmpty();
        assertThat(tt.all(T)).hasSize(4);
        assertThat(tt.all("tenant-b")).hasSize(3);
        WorkflowError builtIn = catchThrowableOfType(WorkflowError.class, () -> tt.save(T,
                Flow.body(body.replace("vendor_risk", "incident_triage")), caller("admin", "t-3")));
        assertThat(builtIn.message()).isEqualTo("Template incident_triage is built in and cannot be redefined");
        WorkflowError badPriority = catchThrowableOfType(WorkflowError.class, () -> tt.save(T,
                Flow.body(body.replace("\"high\"", "\"critical\"")), caller("admin", "t-4")));
        assertThat(badPriority.message()).isEqualTo("default_priority must be one of urgent, high, normal, low");
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        Studio.Started s = wf.studio().startReview(T, "t1", Flow.body("{\"reason\":\"vendor check\",\"template_id\":\"vendor_risk\"}"),
                caller("alice", "s-1"));
        assertThat(s.workflow().workflowId()).isEqualTo("t1:trace_review:vendor_risk");
        assertThat(s.workflow().assignedRole()).isEqualTo("finance");
        assertThat(s.workflow().slaDueAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plus(Duration.ofHours(12)));
    }

    @Test
    void theRunnerImportsRegisteredTenantsAndSweepsThem() {
        new AccessStore(db).registerImplicitTenant("tenant-c", T0);
        Flow.exceptionRequested(log, "tenant-c", "t1", T0, "imported without the append hook");
        clock.set(T0.plus(Duration.ofHours(4)).plusSeconds(1));
        org.decisiongraph.workflow.sla.SlaRunner runner = new org.decisiongraph.workflow.sla.SlaRunner(wf.store(), wf.projection(),
                wf.sweep(), clock);
        try {
            SlaSweep.TickResult r = runner.round();
            assertThat(r.escalated()).isEqualTo(1);
            WorkflowItem it = wf.store().item("tenant-c", Flow.itemId("t1")).orElseThrow();
            assertThat(it.status()).isEqualTo("escalated");
            assertThat(runner.round().escalated()).isZero();
        } finally {
            runner.close();
        }
    }

    // --- decision audit rows ----------------------------------------------------------------------

    @Test
    void aDecisionWritesExactlyOneAuditRowWithTheCallersDetails() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        act(id, "{\"action\":\"approve\",\"reason\":\"margin ok\"}", caller("alice", "r-1"));
        wf.catchUp(T);
        assertThat(audit(T, id)).filteredOn(e -> e.record().action().equals("approve")).singleElement().satisfies(e -> {
            assertThat(e.record().outcome()).isEqualTo("accepted");
            assertThat(e.record().actorId()).isEqualTo("alice");
            assertThat(e.record().actorRoles()).containsExactly("writer");
            assertThat(e.record().requestId()).isEqualTo("r-1");
            assertThat(e.record().clientAddress()).isEqualTo("127.0.0.1");
            assertThat(txt(e.record().details().get("derived_from_event"))).isEqualTo("false");
        });
    }

    @Test
    void aCrashBetweenTheDecisionAppendAndItsImportCannotLoseTheAuditRow() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        // what a service that died right after the append leaves behind: the event, no item change, no audit row
        String h = ReviewService.sha16(T + "\n" + id + "\napprove\nr-crash");
        org.decisiongraph.core.event.EventEnvelope env = new org.decisiongraph.core.event.EventEnvelope(
                "t1-approval-recorded-3-" + h, "t1", 3, "ApprovalRecorded", org.decisiongraph.core.event.Timestamps.toRfc3339(T0),
                ReviewService.SOURCE, new org.decisiongraph.core.event.Actor("role", "alice"), "workflow:" + id + ":approve:r-crash",
                Flow.body("{\"approval_id\":\"approval:" + id + ":" + h + "\",\"approver\":{\"actor_id\":\"alice\",\"actor_type\":\"role\"},"
                        + "\"decision\":\"approved\",\"evidence\":[],\"reason\":\"margin ok\",\"subject\":{\"subject_id\":\"ex-t1\","
                        + "\"subject_type\":\"exception\"}}"), null, null, 1, List.of());
        StoredEvent appended = log.append(T, env).eventOrNull();
        assertThat(audit(T, id)).noneMatch(e -> e.record().action().equals("approve"));
        // the restarted node catches up
        try (Workflows restarted = new Workflows(db, log, clock, WorkflowConfig.DEFAULTS)) {
            restarted.catchUp(T);
            restarted.catchUp(T);
            restarted.projection().reapply(T, appended);
        }
        assertThat(item(id).status()).isEqualTo("approved");
        assertThat(audit(T, id)).filteredOn(e -> e.record().action().equals("approve")).singleElement().satisfies(e -> {
            assertThat(e.record().actorId()).isEqualTo("alice");
            assertThat(e.record().actorKind()).isEqualTo("service_account");
            assertThat(e.record().requestId()).isEqualTo("r-crash");
            assertThat(e.record().details().getString("appended_event_id")).isEqualTo(appended.eventId());
            assertThat(txt(e.record().details().get("derived_from_event"))).isEqualTo("true");
        });
        assertThat(new AccessStore(db).firstBrokenAuditLink()).isEmpty();
    }

    // --- the workflow projection as a projection-runtime worker ---------------------------------------

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    void sql(String statement) {
        db.tx().write(h -> h.prepare(statement).execute());
    }

    /** Makes every insert into {@code dg_workflow_actions} fail with a database error (a real one), or repairs it. */
    abstract void breakActionInserts(boolean broken);

    @Test
    void theRuntimeRunsTheWorkflowProjectionWithRetriesFailureRowsAndQuarantineRetries() throws Exception {
        org.decisiongraph.projection.runtime.RuntimeSettings settings = new org.decisiongraph.projection.runtime.RuntimeSettings(
                100, 60_000, 20, 2, 8, 15_000, 2, 200, 0);
        try (org.decisiongraph.projection.runtime.ProjectionRuntime runtime = org.decisiongraph.projection.runtime.ProjectionRuntime
                .create(db, settings, java.time.Clock.systemUTC(), org.decisiongraph.core.event.IdGenerator.RANDOM_UUID).start()) {
            runtime.register(wf.projection());
            String id = Flow.itemId("t1");
            Flow.exceptionRequested(log, T, "t1", T0, "over cap");
            runtime.eventsAppended(T);
            await("the worker imports t1", () -> wf.store().item(T, id).isPresent());
            await("the workflow cursor reaches 3", () -> runtime.workerStatus(T, "workflow").cursor() == 3);
            assertThat(runtime.workerStatuses(T)).extracting(org.decisiongraph.projection.runtime.WorkerStatus::projection)
                    .containsExactly("context_graph", "trace_summary", "precedent_index", "workflow");
            JsonObject health = runtime.health(T).getObject("workflow_runtime");
            assertThat(txt(health.get("last_log_seq"))).isEqualTo("3");
            assertThat(txt(health.get("pending_events"))).isEqualTo("0");
            assertThat(txt(health.get("is_stale"))).isEqualTo("false");
            assertThat(health.getString("updated_at")).isNotNull();
            assertThat(runtime.health(T).getArray("projections").size()).as("the digested three only").isEqualTo(3);

            // a poisoned event is quarantined (failure row, skipped); its retry re-applies it and it still fails
            Flow.append(log, T, "t9", 0, "TraceStarted", T0, "{\"workflow\":\"w\",\"title\":\"x\",\"primary_entity\":{\"entity_type\":\"a\",\"entity_id\":\"b\"}}");
            Flow.append(log, T, "t9", 1, "WorkflowReviewRequested", "not a timestamp", "{\"template_id\":\"incident_triage\",\"priority\":\"high\","
                    + "\"workflow_kind\":\"incident_review\",\"title\":\"x\",\"reason\":\"r\",\"assignee\":{},\"subject\":{\"subject_type\":\"trace_review\",\"subject_id\":"
                    + "\"incident_triage\"},\"simulation\":{},\"sla_hours\":2}");
            runtime.eventsAppended(T);
            await("the cursor passes the poisoned event", () -> runtime.workerStatus(T, "workflow").cursor() == 5);
            List<org.decisiongraph.store.runtime.RuntimeStore.Failure> open = runtime.store().failures(T, "workflow", "open");
            assertThat(open).singleElement().satisfies(f -> {
                assertThat(f.logSeq()).isEqualTo(5L);
                assertThat(f.eventId()).isEqualTo("t9-1");
            });
            assertThat(txt(runtime.health(T).getObject("workflow_runtime").get("open_failures"))).isEqualTo("1");
            runtime.retryFailure(open.getFirst());
            assertThat(runtime.store().failure(open.getFirst().id()).orElseThrow().status()).isEqualTo("open");
            assertThat(runtime.workerStatus(T, "workflow").status()).isNotEqualTo("failed");

            // storage errors: retried with backoff, then a failure row for the event it stopped at; the worker stops there
            breakActionInserts(true);
            Flow.exceptionRequested(log, T, "t2", T0, "storage is down");
            runtime.eventsAppended(T);
            await("the worker gives up", () -> runtime.workerStatus(T, "workflow").status().equals("failed"));
            assertThat(runtime.workerStatus(T, "workflow").cursor()).as("stopped before the ExceptionRequested at 8").isBetween(5L, 7L);
            assertThat(runtime.workerStatus(T, "workflow").retryCount()).isEqualTo(3);
            await("the failure row of the stopped-at event", () -> runtime.store().failures(T, "workflow", "open").size() == 2);
            org.decisiongraph.store.runtime.RuntimeStore.Failure stopped = runtime.store().failures(T, "workflow", "open").stream()
                    .filter(f -> f.logSeq() == 8L).findFirst().orElseThrow();
            assertThat(stopped.eventId()).isEqualTo("t2-2");
            assertThat(stopped.recoverable()).isTrue();
            assertThat(wf.store().item(T, Flow.itemId("t2"))).isEmpty();
            // repaired: the retry resumes the worker from its durable cursor and the passed failure row is resolved
            breakActionInserts(false);
            runtime.retryFailure(stopped);
            await("the worker resumes", () -> wf.store().item(T, Flow.itemId("t2")).isPresent());
            await("the stopped-at row is resolved", () -> runtime.store().failure(stopped.id()).orElseThrow().status().equals("resolved"));
            assertThat(runtime.store().failure(open.getFirst().id()).orElseThrow().status()).as("the quarantined row stays open")
                    .isEqualTo("open");
            assertThat(runtime.workerStatus(T, "workflow").status()).isEqualTo("idle");

            // replay jobs: catch_up only (the worker is not signalled, so the job does the import)
            Flow.exceptionRequested(log, T, "t3", T0, "imported by a replay job");
            org.decisiongraph.store.runtime.RuntimeStore.Run run = runtime.startReplay(T, "workflow", "catch_up", 0, null,
                    JsonObject.empty());
            await("the catch_up job completes", () -> runtime.store().run(run.jobId()).orElseThrow().status().equals("completed"));
            assertThat(wf.store().item(T, Flow.itemId("t3"))).isPresent();
            assertThat(runtime.store().run(run.jobId()).orElseThrow().lastLogSeq()).isEqualTo(log.lastLogSeq(T));
            org.decisiongraph.core.error.DgException rebuild = catchThrowableOfType(org.decisiongraph.core.error.DgException.class,
                    () -> runtime.startReplay(T, "workflow", "rebuild", 0, null, JsonObject.empty()));
            assertThat(rebuild.code()).isEqualTo(org.decisiongraph.core.error.ErrorCode.DG_ERR_INVALID_ARGUMENT);
            assertThat(rebuild.message()).isEqualTo("The workflow projection cannot be rebuilt");
        }
    }

    @Test
    void eventAppendedWebhooksHonourTheSubscriptionsEventTypes() throws Exception {
        Map<String, List<JsonObject>> received = new java.util.concurrent.ConcurrentHashMap<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            received.computeIfAbsent(ex.getRequestURI().getPath(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(Flow.body(body));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            org.decisiongraph.workflow.notify.Webhooks hooks = new org.decisiongraph.workflow.notify.Webhooks(db,
                    new org.decisiongraph.workflow.notify.SecretBox("test-key-base-0123456789"), clock, true);
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort();
            hooks.create(T, Flow.body("{\"url\":\"" + url + "/exceptions\",\"topics\":[\"event_appended\"],"
                    + "\"event_types\":[\"ExceptionRequested\",\"ApprovalRecorded\"]}"), "admin");
            hooks.create(T, Flow.body("{\"url\":\"" + url + "/all\",\"topics\":[\"event_appended\"]}"), "admin");
            hooks.create(T, Flow.body("{\"url\":\"" + url + "/notifications\",\"topics\":[\"workflow_notification\"],"
                    + "\"event_types\":[\"ExceptionRequested\"]}"), "admin");
            Flow.exceptionRequested(log, T, "t1", T0, "over cap");
            List<StoredEvent> events = log.listEvents(T, EventQuery.ALL);
            hooks.eventsAppended(T, events);
            hooks.eventsAppended(T, events); // a repeated hook call enqueues nothing new
            org.decisiongraph.workflow.notify.WebhookDispatcher dispatcher = new org.decisiongraph.workflow.notify.WebhookDispatcher(
                    hooks, new AccessStore(db), clock, org.decisiongraph.workflow.notify.WebhookDispatcher.Policy.DEFAULTS);
            assertThat(dispatcher.runDue(clock.instant())).isEqualTo(4);
            assertThat(received.get("/exceptions")).singleElement().satisfies(b -> {
                assertThat(b.getString("topic")).isEqualTo("event_appended");
                assertThat(b.getObject("data").getString("event_type")).isEqualTo("ExceptionRequested");
                assertThat(b.getObject("data").getObject("payload").getString("exception_id")).isEqualTo("ex-t1");
            });
            assertThat(received.get("/all")).extracting(b -> b.getObject("data").getString("event_type"))
                    .containsExactlyInAnyOrder("TraceStarted", "PolicyEvaluated", "ExceptionRequested");
            assertThat(received.get("/notifications")).as("event_types narrows event_appended only").isNull();
        } finally {
            receiver.stop(0);
        }
    }

    // --- policy simulation (studio dry run) ---------------------------------------------------------

    void precedent(String trace, String account, String policy, String version, String decision, String code, String outcome) {
        Flow.append(log, T, trace, 0, "TraceStarted", T0, "{\"workflow\":\"discount_approval\",\"title\":\"Deal " + trace
                + "\",\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"" + account + "\"}}");
        Flow.append(log, T, trace, 1, "PolicyEvaluated", T0, "{\"policy\":{\"policy_id\":\"" + policy + "\",\"policy_version\":\""
                + version + "\"},\"inputs\":[],\"decision\":\"" + decision + "\",\"violations\":["
                + (code == null ? "" : "{\"code\":\"" + code + "\",\"message\":\"m\",\"details\":null}") + "]}");
        Flow.append(log, T, trace, 2, "TraceFinished", T0, "{\"outcome\":\"" + outcome + "\"}");
    }

    Map<String, Long> rowCounts() {
        return db.tx().read(h -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            for (String table : List.of("dg_event_log", "dg_workflow_items", "dg_workflow_actions", "dg_workflow_notifications",
                    "dg_workflow_runtime", "dg_workflow_counts", "audit_log", "dg_projection_cursors", "dg_projection_failures",
                    "dg_webhook_deliveries", "dg_trace_summary", "dg_precedent_index")) {
                try (java.sql.ResultSet rs = h.prepare("SELECT COUNT(*) FROM " + table).executeQuery()) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
            return out;
        });
    }

    @Test
    void theStudioPreviewsPrecedentsOfTheTracesEntityPolicyAndOutcome() {
        precedent("p1", "acct-1", "discount-cap", "v3", "require_exception", "OVER_CAP", "success");
        precedent("p2", "acct-1", "discount-cap", "v3", "allow", null, "failure");
        precedent("p3", "acct-2", "discount-cap", "v3", "allow", null, "success");
        precedent("p4", "acct-1", "discount-cap", "v2", "allow", null, "success");
        precedent("t-done", "acct-1", "discount-cap", "v3", "allow", null, "success");
        Flow.append(log, T, "t-open", 0, "TraceStarted", T0, "{\"workflow\":\"discount_approval\",\"title\":\"Deal open\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-1\"}}");
        Flow.append(log, T, "t-open", 1, "PolicyEvaluated", T0, "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":"
                + "\"v3\"},\"inputs\":[],\"decision\":\"allow\",\"violations\":[]}");
        Projections.open(db, T, clock).catchUp();

        JsonObject done = wf.studio().document(T, "t-done", null);
        assertThat(done.getArray("precedent_preview").items()).extracting(j -> ((JsonObject) j).getString("trace_id"))
                .as("same entity, policy id and version, and outcome; the trace itself included")
                .containsExactlyInAnyOrder("p1", "t-done");
        assertThat(txt(done.getObject("simulation").get("risk_signals"))).isEqualTo("[]");
        assertThat(done.getObject("simulation").getString("priority")).isEqualTo("normal");

        JsonObject open = wf.studio().document(T, "t-open", null);
        assertThat(open.getArray("precedent_preview").items()).extracting(j -> ((JsonObject) j).getString("trace_id"))
                .as("no outcome yet: the outcome key is dropped")
                .containsExactlyInAnyOrder("p1", "p2", "t-done");
        assertThat(txt(open.getObject("simulation").get("risk_signals")))
                .isEqualTo("[\"trace still active\",\"precedent divergence\"]");
        assertThat(open.getObject("simulation").getString("priority")).isEqualTo("high");

        precedent("lonely", "acct-7", "other-policy", "v1", "allow", null, "success");
        Projections.open(db, T, clock).catchUp();
        JsonObject lonely = wf.studio().document(T, "lonely", null);
        assertThat(lonely.getArray("precedent_preview").items()).extracting(j -> ((JsonObject) j).getString("trace_id"))
                .containsExactly("lonely");
        for (int i = 0; i < 6; i++) {
            precedent("m" + i, "acct-8", "many", "v1", "allow", null, "success");
        }
        Projections.open(db, T, clock).catchUp();
        assertThat(wf.studio().document(T, "m0", null).getArray("precedent_preview").size()).as("limit 6, first 4 kept").isEqualTo(4);
        assertThat(txt(wf.studio().reviewContext(T, "m0", null).get("precedent_preview")))
                .isEqualTo(txt(wf.studio().document(T, "m0", null).get("precedent_preview")));
    }

    @Test
    void theDryRunRanksPrecedentsPredictsTheDecisionAndRoutesTheReviewWithoutWriting() {
        precedent("p1", "acct-1", "discount-cap", "v3", "require_exception", "OVER_CAP", "success");
        precedent("p2", "acct-2", "discount-cap", "v3", "require_exception", "OVER_CAP", "failure");
        precedent("p3", "acct-1", "discount-cap", "v2", "allow", null, "success");
        precedent("p4", "acct-3", "discount-cap", "v3", "allow", null, "success");
        precedent("p5", "acct-1", "credit-limit", "v1", "deny", "LIMIT", "success");
        Flow.append(log, T, "t-new", 0, "TraceStarted", T0, "{\"workflow\":\"discount_approval\",\"title\":\"Deal new\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-1\"}}");
        Flow.append(log, T, "t-new", 1, "PolicyEvaluated", T0, "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":"
                + "\"v3\"},\"inputs\":[],\"decision\":\"require_exception\",\"violations\":[{\"code\":\"OVER_CAP\",\"message\":"
                + "\"m\",\"details\":null}]}");
        Flow.append(log, T, "t-new", 2, "ExceptionRequested", T0, "{\"exception_id\":\"ex-t-new\",\"policy\":{\"policy_id\":"
                + "\"discount-cap\",\"policy_version\":\"v3\"},\"reason\":\"over cap\"}");
        Projections.open(db, T, clock).catchUp();
        wf.catchUp(T);
        Map<String, Long> before = rowCounts();
        long lastSeq = log.lastLogSeq(T);

        JsonObject sim = wf.simulation().simulate(T, "t-new", null, null);
        assertThat(rowCounts()).as("a dry run writes nothing").isEqualTo(before);
        assertThat(log.lastLogSeq(T)).isEqualTo(lastSeq);
        assertThat(txt(sim.get("dry_run"))).isEqualTo("true");
        List<JsonObject> precedents = sim.getArray("precedents").items().stream().map(j -> (JsonObject) j).toList();
        assertThat(precedents).extracting(p -> p.getString("trace_id") + "=" + txt(p.get("score")))
                .containsExactly("p1=12", "p2=9", "p3=6", "p4=5", "p5=4");
        assertThat(txt(precedents.get(0).get("matched_fields")))
                .isEqualTo("[\"policy_id\",\"policy_version\",\"entity\",\"reason_codes\",\"decision\",\"workflow\"]");
        assertThat(precedents.get(0).getString("why")).isEqualTo("same policy discount-cap v3; same entity account/acct-1; "
                + "shared reason codes OVER_CAP; same decision require_exception; same workflow discount_approval");
        assertThat(txt(precedents.get(2).get("matched_fields"))).isEqualTo("[\"policy_id\",\"entity\",\"workflow\"]");
        assertThat(precedents.get(4).getString("policy_id")).as("found through the entity only").isNull();
        JsonObject likely = sim.getObject("likely_outcome");
        assertThat(likely.getString("decision")).isEqualTo("require_exception");
        assertThat(txt(likely.get("evaluations"))).isEqualTo("3");
        assertThat(txt(likely.get("share_percent"))).isEqualTo("67");
        assertThat(txt(likely.get("distribution"))).isEqualTo("{\"allow\":1,\"require_exception\":2}");
        assertThat(txt(likely.get("trace_outcomes"))).isEqualTo("{\"failure\":1,\"success\":2}");
        List<JsonObject> reviews = sim.getArray("reviews").items().stream().map(j -> (JsonObject) j).toList();
        assertThat(reviews).hasSize(2);
        assertThat(reviews.get(0).getString("workflow_id")).isEqualTo("t-new:exception:ex-t-new");
        assertThat(reviews.get(0).getString("sla_due_at")).isEqualTo("2026-03-07T14:00:00Z");
        assertThat(reviews.get(0).getObject("route").getString("assigned_role")).isEqualTo("admin");
        assertThat(reviews.get(0).getString("existing_status")).isEqualTo("requested");
        assertThat(reviews.get(1).getString("workflow_id")).isEqualTo("t-new:trace_review:exception_follow_up");
        assertThat(reviews.get(1).getString("priority")).isEqualTo("urgent");
        assertThat(txt(reviews.get(1).get("sla_hours"))).isEqualTo("1");
        assertThat(reviews.get(1).getString("sla_due_at")).isEqualTo("2026-03-07T11:01:00Z");
        assertThat(reviews.get(1).get("existing_status")).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        assertThat(wf.simulation().simulate(T, "t-new", null, "2").getArray("precedents").size()).isEqualTo(2);
        assertThat(catchThrowableOfType(WorkflowError.class, () -> wf.simulation().simulate(T, "t-new", null, "0")).message())
                .isEqualTo("limit must be between 1 and 20");
        assertThat(catchThrowableOfType(WorkflowError.class, () -> wf.simulation().simulate(T, "nope", null, null)).status())
                .isEqualTo(404);

        // a stale precedent projection: 409 projection_out_of_date, the projection queries' rule and message
        Flow.append(log, T, "t-late", 0, "TraceStarted", T0, "{\"workflow\":\"w\",\"title\":\"late\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-9\"}}");
        org.decisiongraph.core.error.DgException stale = catchThrowableOfType(org.decisiongraph.core.error.DgException.class,
                () -> wf.simulation().simulate(T, "t-new", null, null));
        assertThat(stale.code()).isEqualTo(org.decisiongraph.core.error.ErrorCode.DG_ERR_PROJECTION_OUT_OF_DATE);
        assertThat(stale.code().httpStatus()).isEqualTo(409);
        assertThat(stale.message()).isEqualTo("Projections at log_seq=" + lastSeq + ", events at " + (lastSeq + 1));
    }

    // --- the export as hash-chain evidence -----------------------------------------------------------

    org.decisiongraph.store.audit.Checkpoint signCheckpoint(org.decisiongraph.store.audit.SigningKeys.Keys keys) {
        Projections p = Projections.open(db, T, clock);
        p.catchUp();
        org.decisiongraph.projection.digest.ProjectionDigests d = p.checkpoint();
        org.decisiongraph.store.audit.Checkpoints checkpoints = new org.decisiongraph.store.audit.Checkpoints(db);
        long seq = p.projectedLastSeq();
        org.decisiongraph.store.audit.Checkpoint c = org.decisiongraph.store.audit.Checkpoint.sign(keys, T, seq,
                checkpoints.chain().storedChainAt(T, seq), Map.of("context_graph", d.contextGraph(), "trace_summary",
                        d.traceSummary(), "precedent_index", d.precedentIndex(), "full_projection", d.fullProjection()),
                org.decisiongraph.core.event.Timestamps.toRfc3339(clock.instant()));
        checkpoints.save(c);
        return c;
    }

    static JsonObject replaceFirstEvent(JsonObject bundle, String member, String key, org.decisiongraph.core.json.Json value) {
        org.decisiongraph.core.json.JsonArray events = bundle.getArray(member);
        List<org.decisiongraph.core.json.Json> copy = new ArrayList<>(events.items());
        copy.set(0, ((JsonObject) copy.get(0)).with(key, value));
        return bundle.with(member, org.decisiongraph.core.json.JsonArray.of(copy));
    }

    @Test
    void theExportCarriesChainLinksAndAVerifiableEvidenceBundleWhoseTamperingFails() {
        Flow.exceptionRequested(log, T, "t1", T0, "over cap");
        wf.catchUp(T);
        String id = Flow.itemId("t1");
        act(id, "{\"action\":\"approve\",\"reason\":\"margin ok\"}", caller("alice", "r-1"));
        JsonObject unsigned = wf.export().document(T, id).getObject("chain");
        assertThat(unsigned.get("checkpoint")).as("no checkpoint yet").isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        assertThat(unsigned.getArray("links").size()).isEqualTo(2);
        JsonObject link = (JsonObject) unsigned.getArray("links").get(0);
        assertThat(link.getString("event_id")).isEqualTo("t1-2");
        assertThat(link.getString("chain_hash")).startsWith("sha256:");
        assertThat(link.getString("prev_chain_hash")).isEqualTo(new org.decisiongraph.store.audit.Checkpoints(db).chain().storedChainAt(T, 2));

        org.decisiongraph.store.audit.SigningKeys.Keys keys = org.decisiongraph.store.audit.SigningKeys.generate();
        org.decisiongraph.store.audit.Checkpoint cp = signCheckpoint(keys);
        JsonObject chain = wf.export().document(T, id).getObject("chain");
        assertThat(txt(chain.getObject("checkpoint").get("log_seq"))).isEqualTo(String.valueOf(cp.logSeq()));
        JsonObject bundle = chain.getObject("evidence_bundle");
        assertThat(bundle.getString("format")).isEqualTo("dg.evidence.v1");
        assertThat(txt(bundle.get("selection"))).isEqualTo("{\"workflow_id\":\"" + id + "\"}");
        assertThat(bundle.getArray("events").items()).extracting(e -> ((JsonObject) e).getString("event_type"))
                .containsExactly("ExceptionRequested", "ApprovalRecorded");
        var verified = org.decisiongraph.store.audit.EvidenceVerifier.verify(bundle, keys.publicKey());
        assertThat(verified.failure()).isNull();
        assertThat(verified.events()).isEqualTo(2);

        // the review bundle of dg export --review: the export document rides along; its source events are the chained ones
        ReviewEvidence evidence = new ReviewEvidence(db);
        JsonObject review = evidence.bundle(T, id, cp, wf.export().document(T, id));
        assertThat(review.getObject("review").has("chain")).isFalse();
        assertThat(review.getObject("review").getArray("audit_entries").size()).isGreaterThan(0);
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(review, keys.publicKey()).failure()).isNull();

        // tampering: an event's payload, an event's chain hash, a review source event
        JsonObject otherPayload = replaceFirstEvent(review, "events", "payload", Flow.body("{\"exception_id\":\"ex-t1\","
                + "\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},\"reason\":\"within cap\"}"));
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(otherPayload, keys.publicKey()).failure())
                .startsWith("event t1-2 (log_seq=3): payload_hash mismatch");
        JsonObject otherChain = replaceFirstEvent(review, "events", "chain_hash", new org.decisiongraph.core.json.JsonString(
                "sha256:" + "0".repeat(64)));
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(otherChain, keys.publicKey()).ok()).isFalse();
        JsonObject doc = review.getObject("review");
        JsonObject forged = review.with("review", replaceFirstEvent(doc, "source_events", "occurred_at",
                new org.decisiongraph.core.json.JsonString("2020-01-01T00:00:00Z")));
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(forged, keys.publicKey()).failure())
                .isEqualTo("review source event t1-2 differs from the bundle's event in 'occurred_at'");
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(review, org.decisiongraph.store.audit.SigningKeys.generate()
                .publicKey()).ok()).as("another key").isFalse();
    }

    @Test
    void theSummaryCountersMatchARecountAfterEveryKindOfChange() {
        for (int i = 0; i < 6; i++) {
            Flow.exceptionRequested(log, T, "c" + i, T0, "case " + i);
        }
        wf.catchUp(T);
        act(Flow.itemId("c0"), "{\"action\":\"claim\"}", caller("alice", "k-1"));
        act(Flow.itemId("c0"), "{\"action\":\"approve\",\"reason\":\"ok\"}", caller("alice", "k-2"));
        act(Flow.itemId("c1"), "{\"action\":\"reject\",\"reason\":\"no\"}", caller("alice", "k-3"));
        act(Flow.itemId("c2"), "{\"action\":\"request_change\",\"reason\":\"more\"}", caller("alice", "k-4"));
        act(Flow.itemId("c3"), "{\"action\":\"escalate\",\"reason\":\"slow\"}", caller("alice", "k-5"));
        act(Flow.itemId("c4"), "{\"action\":\"override\",\"reason\":\"ceo\",\"confirm_text\":\"OVERRIDE "
                + Flow.itemId("c4").toUpperCase(java.util.Locale.ROOT) + "\"}", caller("alice", "k-6"));
        refused(Flow.itemId("c0"), "{\"action\":\"reject\",\"reason\":\"late\"}", caller("alice", "k-7"));
        clock.set(T0.plus(Duration.ofHours(5)));
        wf.sweep().tick(T, clock.instant());
        wf.catchUp(T);
        JsonObject summary = wf.inbox().counts(T);
        long total = 0;
        for (String status : List.of("requested", "in_review", "changes_requested", "escalated", "approved", "rejected", "overridden")) {
            int n = wf.inbox().list(T, Inbox.Params.of(Map.of("status", status, "only_open", "false", "limit", "50")))
                    .getArray("items").size();
            total += n;
            if (!status.equals("in_review")) {
                assertThat(txt(summary.get(status + "_count"))).as(status).isEqualTo(String.valueOf(n));
            }
        }
        assertThat(txt(summary.get("in_review_count"))).isEqualTo("0");
        assertThat(txt(summary.get("total_count"))).isEqualTo(String.valueOf(total)).isEqualTo("6");
        assertThat(txt(summary.get("escalated_count"))).as("c3 by hand, c2 and c5 by the sweep").isEqualTo("3");
        long notifications = 0;
        for (int i = 0; i < 6; i++) {
            notifications += wf.store().notifications(T, Flow.itemId("c" + i), null).size();
        }
        assertThat(txt(summary.get("notification_count"))).isEqualTo(String.valueOf(notifications));
    }

    // --- V9 back-fill ---------------------------------------------------------------------------------

    /** A raw JDBC connection to a new, empty database migrated only up to {@code version}; its location for {@link #openAt}. */
    abstract String newDatabaseAtVersion(String version) throws Exception;

    abstract java.sql.Connection raw(String location) throws Exception;

    abstract Database openAt(String location);

    @Test
    void migrationV9BackFillsTheCountersFromExistingItemsAndNotifications() throws Exception {
        for (int i = 0; i < 4; i++) {
            Flow.exceptionRequested(log, T, "b" + i, T0, "case " + i);
        }
        Flow.exceptionRequested(log, "tenant-b", "b9", T0, "other tenant");
        wf.catchUp(T);
        wf.catchUp("tenant-b");
        act(Flow.itemId("b0"), "{\"action\":\"approve\",\"reason\":\"ok\"}", caller("alice", "m-1"));
        act(Flow.itemId("b1"), "{\"action\":\"reassign\",\"assigned_role\":\"finance\"}", caller("alice", "m-2"));
        act(Flow.itemId("b2"), "{\"action\":\"claim\"}", caller("alice", "m-3"));
        String target = newDatabaseAtVersion("6");
        // the rows as a pre-V9 database holds them
        try (java.sql.Connection to = raw(target)) {
            for (String table : List.of("dg_workflow_items", "dg_workflow_notifications")) {
                List<Map<String, Object>> rows = db.tx().read(h -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    try (java.sql.ResultSet rs = h.prepare("SELECT * FROM " + table).executeQuery()) {
                        java.sql.ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, Object> row = new java.util.LinkedHashMap<>();
                            for (int c = 1; c <= md.getColumnCount(); c++) {
                                row.put(md.getColumnName(c), rs.getObject(c));
                            }
                            out.add(row);
                        }
                    }
                    return out;
                });
                for (Map<String, Object> row : rows) {
                    String cols = String.join(", ", row.keySet());
                    try (java.sql.PreparedStatement ps = to.prepareStatement("INSERT INTO " + table + " (" + cols + ") VALUES ("
                            + "?, ".repeat(row.size() - 1) + "?)")) {
                        int c = 1;
                        for (Object v : row.values()) {
                            ps.setObject(c++, v);
                        }
                        ps.executeUpdate();
                    }
                }
            }
        }
        try (Database migrated = openAt(target); Workflows other = new Workflows(migrated,
                EventLog.open(migrated, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS)) {
            for (String tenant : List.of(T, "tenant-b")) {
                JsonObject expected = wf.inbox().counts(tenant);
                JsonObject actual = other.inbox().counts(tenant);
                for (String key : List.of("requested_count", "in_review_count", "approved_count", "open_count", "total_count",
                        "notification_count", "overdue_count")) {
                    assertThat(txt(actual.get(key))).as(tenant + " " + key).isEqualTo(txt(expected.get(key)));
                }
            }
            assertThat(txt(other.inbox().counts(T).get("total_count"))).isEqualTo("4");
        }
    }
}
