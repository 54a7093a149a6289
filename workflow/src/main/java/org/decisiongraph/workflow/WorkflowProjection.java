package org.decisiongraph.workflow;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.runtime.ExternalProjection;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowNotification;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.store.workflow.WorkflowTx;

/**
 * The {@code workflow} projection (platform spec 3.3, 3.12): imports the managed events
 * ({@code ExceptionRequested}, {@code ApprovalRecorded}, {@code WorkflowReviewRequested}) of a tenant into
 * the workflow tables, batch by batch, each batch in one transaction under the tenant's workflow lock that
 * also advances the durable cursor {@code dg_workflow_runtime.last_log_seq}. Application is idempotent by
 * {@code (tenant_id, source_event_id)}. An event that cannot be applied is quarantined
 * ({@code dg_projection_failures}) and skipped. Thread-safe; any number of nodes may run it.
 */
public final class WorkflowProjection implements ExternalProjection {
    public static final String NAME = "workflow";
    public static final List<String> MANAGED = List.of("ExceptionRequested", "ApprovalRecorded", "WorkflowReviewRequested");
    public static final String SERVICE_PRODUCER = "workflow-service";

    private final WorkflowStore store;
    private final EventLog log;
    private final Clock clock;
    private final WorkflowConfig config;
    /** Caller details of decisions being appended by this node's {@link ReviewService}, by tenant and event id. */
    private final Map<String, Caller> decisionCallers = new java.util.concurrent.ConcurrentHashMap<>();

    public WorkflowProjection(WorkflowStore store, EventLog log, Clock clock, WorkflowConfig config) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.config = config;
    }

    /** Imports every managed event after the cursor; returns the new cursor. */
    public long catchUp(String tenant) {
        long cursor = store.cursor(tenant);
        for (List<StoredEvent> batch : log.batches(tenant, cursor, null, config.batchSize())) {
            if (batch.isEmpty()) {
                break;
            }
            cursor = store.write(tenant, tx -> applyBatch(tx, batch));
        }
        return cursor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long cursor(String tenant) {
        return store.cursor(tenant);
    }

    /** One batch of at most {@code batchSize} log events after the cursor, in one transaction (the runtime worker's step). */
    @Override
    public long catchUpBatch(String tenant, int batchSize) {
        long cursor = store.cursor(tenant);
        for (List<StoredEvent> batch : log.batches(tenant, cursor, null, batchSize)) {
            return batch.isEmpty() ? cursor : store.write(tenant, tx -> applyBatch(tx, batch));
        }
        return cursor;
    }

    @Override
    public Optional<StoredEvent> nextEvent(String tenant) {
        for (List<StoredEvent> batch : log.batches(tenant, store.cursor(tenant), null, config.batchSize())) {
            for (StoredEvent e : batch) {
                if (MANAGED.contains(e.eventType())) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void reapply(String tenant, long logSeq) {
        for (List<StoredEvent> batch : log.batches(tenant, logSeq - 1, logSeq, 1)) {
            for (StoredEvent e : batch) {
                if (e.logSeq() == logSeq) {
                    reapply(tenant, e);
                    return;
                }
            }
        }
        throw WorkflowError.notFound("Event not found at log_seq " + logSeq);
    }

    /** {@code workflow_runtime} (platform spec 1.8): cursor, managed events after it, staleness, last move, open failures. */
    @Override
    public JsonObject health(String tenant, long openFailures) {
        long pending = pending(tenant);
        return JsonObject.builder().put("last_log_seq", store.cursor(tenant)).put("pending_events", pending)
                .put("is_stale", pending > 0)
                .put("updated_at", Js.str(store.cursorUpdatedAt(tenant).map(i -> java.time.format.DateTimeFormatter.ISO_INSTANT.format(i))
                        .orElse(null)))
                .put("open_failures", openFailures).build();
    }

    /** The number of managed events after the cursor (what a read may still be missing). */
    public long pending(String tenant) {
        long cursor = store.cursor(tenant);
        long n = 0;
        for (List<StoredEvent> batch : log.batches(tenant, cursor, null, config.batchSize())) {
            n += batch.stream().filter(e -> MANAGED.contains(e.eventType())).count();
        }
        return n;
    }

    private long applyBatch(WorkflowTx tx, List<StoredEvent> batch) {
        long cursor = tx.cursor();
        Instant now = now();
        Map<String, JsonObject> traceStarts = new HashMap<>();
        long last = cursor;
        for (StoredEvent e : batch) {
            if (e.logSeq() <= cursor) {
                continue; // another node imported it meanwhile
            }
            last = e.logSeq();
            if (!MANAGED.contains(e.eventType())) {
                continue;
            }
            try {
                tx.savepoint(() -> {
                    apply(tx, e, now, traceStarts);
                    return null;
                });
            } catch (WorkflowError | DgException | IllegalArgumentException | ClassCastException | NullPointerException err) {
                String code = err instanceof WorkflowError we ? we.code()
                        : err instanceof DgException de ? de.code().apiCode() : "invalid_argument";
                String message = err instanceof DgException de ? de.message() : String.valueOf(err.getMessage());
                tx.quarantine("wff:" + nameUuid(tx.tenant() + "\n" + e.eventId()), e.logSeq(), e.traceId(), e.eventId(),
                        code, message, now);
            }
        }
        tx.setCursor(last, now);
        return last;
    }

    /**
     * Registers the caller of a decision about to be appended as {@code eventId}, so that the import of that
     * event writes the decision's audit row with the caller's roles, request id and address. Without it (another
     * node, or a crash between the append and the import) the row is derived from the event alone.
     */
    void expectDecision(String tenant, String eventId, Caller caller) {
        decisionCallers.put(tenant + "\n" + eventId, caller);
    }

    void forgetDecision(String tenant, String eventId) {
        decisionCallers.remove(tenant + "\n" + eventId);
    }

    /** Re-applies one stored event (used by quarantine retries); idempotent. */
    public void reapply(String tenant, StoredEvent e) {
        store.write(tenant, tx -> {
            apply(tx, e, now(), new HashMap<>());
            return null;
        });
    }

    private void apply(WorkflowTx tx, StoredEvent e, Instant now, Map<String, JsonObject> traceStarts) {
        JsonObject p = (JsonObject) e.payload();
        switch (e.eventType()) {
            case "ExceptionRequested" -> exceptionRequested(tx, e, p, now, traceStarts);
            case "ApprovalRecorded" -> approvalRecorded(tx, e, p, now, traceStarts);
            case "WorkflowReviewRequested" -> reviewRequested(tx, e, p, now, traceStarts);
            default -> throw new IllegalStateException("not a managed event: " + e.eventType());
        }
    }

    // --- ExceptionRequested -----------------------------------------------------------------------

    private void exceptionRequested(WorkflowTx tx, StoredEvent e, JsonObject p, Instant now, Map<String, JsonObject> starts) {
        String id = p.getString("workflow_id") != null ? p.getString("workflow_id")
                : e.traceId() + ":exception:" + p.getString("exception_id");
        Optional<WorkflowItem> existing = tx.item(id);
        if (existing.isPresent() && tx.actionBySourceEvent(e.eventId()).isPresent()) {
            return; // already applied
        }
        Instant occurred = occurred(e);
        String decidedTrace = existing.map(WorkflowItem::traceId).orElse(e.traceId());
        JsonObject start = traceStart(tx.tenant(), decidedTrace, starts);
        WorkflowItem.Draft d = existing.map(WorkflowItem::toDraft).orElseGet(WorkflowItem.Draft::new);
        d.tenantId = tx.tenant();
        d.workflowId = id;
        d.traceId = decidedTrace;
        d.workflowKind = Statuses.EXCEPTION_REVIEW;
        d.workflowName = start.getString("workflow") != null ? start.getString("workflow") : "unknown";
        d.subjectType = existing.map(WorkflowItem::subjectType).orElse("exception");
        d.subjectId = existing.map(WorkflowItem::subjectId).orElse(p.getString("exception_id"));
        if (existing.isEmpty() || !Statuses.isTerminal(d.status)) {
            d.status = Statuses.REQUESTED;
        }
        String reason = p.getString("reason");
        if (p.getString("priority") != null) {
            d.priority = Statuses.priority(p.getString("priority"));
        } else if (existing.isEmpty()) {
            d.priority = reason != null && reason.toLowerCase(Locale.ROOT).contains("urgent") ? "urgent" : "high";
        }
        d.title = start.getString("title") != null ? start.getString("title") : "Workflow review for " + decidedTrace;
        JsonObject policy = Js.obj(p.getObject("policy"));
        d.policyId = policy.getString("policy_id");
        d.policyVersion = policy.getString("policy_version");
        d.requestedByActorId = e.actor().actorId();
        d.requestedByActorType = e.actor().actorType();
        if (existing.isEmpty()) {
            d.requestedAt = occurred;
            d.slaDueAt = occurred.plus(Duration.ofHours(config.exceptionReviewSlaHours()));
            d.assignedRole = config.defaultAssignedRole();
            d.assignedAccountId = config.defaultAssignedAccountId();
            d.createdFromEventId = e.eventId();
        }
        d.updatedAt = now;
        d.currentReason = reason;
        d.lastActionType = "requested";
        d.lastActionAt = occurred;
        d.lastSourceLogSeq = e.logSeq();
        d.reviewTraceId = reviewTrace(d, e);
        d.metadata = Js.merge(d.metadata, JsonObject.builder()
                .put("evidence", Js.arr(p.get("evidence")))
                .put("exception_reason", Js.str(reason))
                .put("policy", JsonObject.builder().put("policy_id", Js.str(d.policyId))
                        .put("policy_version", Js.str(d.policyVersion)).build())
                .put("request_event_id", e.eventId())
                .put("workflow", Js.str(d.workflowName))
                .put("sla_hours", Js.num(existing.isPresent() ? slaHours(existing.get(), config.exceptionReviewSlaHours())
                        : config.exceptionReviewSlaHours()))
                .build());
        WorkflowItem item = d.build();
        tx.saveItem(item);
        tx.insertAction(new WorkflowAction(tx.tenant(), "wfa:event:" + e.eventId(), id, item.traceId(), "requested",
                e.actor().actorId(), e.actor().actorType(), null, reason,
                JsonObject.builder().put("evidence", Js.arr(p.get("evidence")))
                        .put("exception_id", Js.str(p.getString("exception_id"))).put("policy", policy).build(),
                e.eventId(), item.status(), null, now));
        assignmentNotification(tx, item, now, false);
    }

    // --- ApprovalRecorded -------------------------------------------------------------------------

    private void approvalRecorded(WorkflowTx tx, StoredEvent e, JsonObject p, Instant now, Map<String, JsonObject> starts) {
        JsonObject subject = Js.obj(p.getObject("subject"));
        String subjectType = subject.getString("subject_type") != null ? subject.getString("subject_type") : "exception";
        boolean override = "override".equals(subjectType);
        String id = p.getString("workflow_id") != null ? p.getString("workflow_id")
                : override ? subject.getString("subject_id")
                : e.traceId() + ":" + subjectType + ":" + subject.getString("subject_id");
        if (tx.actionBySourceEvent(e.eventId()).isPresent()) {
            return;
        }
        String decision = p.getString("decision");
        String status = override ? Statuses.OVERRIDDEN : "rejected".equals(decision) ? Statuses.REJECTED : Statuses.APPROVED;
        String actionType = override ? "override" : Statuses.REJECTED.equals(status) ? "reject" : "approve";
        Optional<WorkflowItem> existing = tx.item(id);
        Instant occurred = occurred(e);
        JsonObject approver = Js.obj(p.getObject("approver"));
        String reason = p.getString("reason") != null ? p.getString("reason") : p.getString("rationale");
        boolean fromService = SERVICE_PRODUCER.equals(e.source().producerId());
        String requestKey = fromService ? p.getString("approval_id") : null;
        JsonObject actionPayload = JsonObject.builder().put("approval_event_id", e.eventId())
                .put("approval_id", Js.str(p.getString("approval_id"))).put("decision", Js.str(decision))
                .put("evidence", Js.arr(p.get("evidence"))).put("reason", Js.str(reason)).build();
        if (existing.isPresent() && Statuses.isTerminal(existing.get().status()) && !existing.get().status().equals(status)) {
            WorkflowItem it = existing.get();
            tx.insertAction(new WorkflowAction(tx.tenant(), "wfa:event:" + e.eventId(), id, it.traceId(), "conflicting_decision",
                    approver.getString("actor_id"), approver.getString("actor_type"),
                    fromService ? approver.getString("actor_id") : null, reason,
                    JsonObject.builder().put("approval_event_id", e.eventId()).put("decision", Js.str(decision)).build(),
                    e.eventId(), it.status(), requestKey, now));
            notify(tx, it, "failure", "Workflow " + id + " failed to record " + actionType,
                    "failure:" + id + ":" + actionType + ":" + e.eventId(), now,
                    JsonObject.builder().put("approval_event_id", e.eventId()).put("decision", Js.str(decision)).build());
            tx.audit(new AuditRecord(tx.tenant(), now, "system", "workflow-projection", List.of(), "conflicting_decision",
                    "workflow", id, "rejected", "Workflow " + id + " is already " + it.status(), "conflict", null, null,
                    JsonObject.builder().put("approval_event_id", e.eventId()).put("decision", Js.str(decision)).build()));
            return;
        }
        WorkflowItem.Draft d;
        if (existing.isPresent()) {
            d = existing.get().toDraft();
        } else {
            String decidedTrace = subject.getString("trace_id") != null ? subject.getString("trace_id") : e.traceId();
            JsonObject start = traceStart(tx.tenant(), decidedTrace, starts);
            d = new WorkflowItem.Draft();
            d.tenantId = tx.tenant();
            d.workflowId = id;
            d.traceId = decidedTrace;
            d.workflowKind = Statuses.EXCEPTION_REVIEW;
            d.workflowName = start.getString("workflow") != null ? start.getString("workflow") : "unknown";
            d.subjectType = subjectType;
            d.subjectId = subject.getString("subject_id");
            d.priority = "high";
            d.title = start.getString("title") != null ? start.getString("title") : "Workflow review for " + decidedTrace;
            d.requestedAt = occurred;
            d.slaDueAt = occurred.plus(Duration.ofHours(config.exceptionReviewSlaHours()));
            d.assignedRole = config.defaultAssignedRole();
            d.assignedAccountId = config.defaultAssignedAccountId();
            d.createdFromEventId = e.eventId();
            d.requestedByActorId = e.actor().actorId();
            d.requestedByActorType = e.actor().actorType();
            d.metadata = JsonObject.builder().put("sla_hours", Js.num(config.exceptionReviewSlaHours())).build();
        }
        d.status = status;
        d.currentDecision = override ? "override_" + decision : decision;
        d.currentReason = reason;
        d.resolvedAt = occurred;
        d.approvalEventId = e.eventId();
        d.lastActionType = actionType;
        d.lastActionAt = occurred;
        d.updatedAt = now;
        d.lastSourceLogSeq = e.logSeq();
        d.reviewTraceId = reviewTrace(d, e);
        d.metadata = Js.merge(d.metadata, JsonObject.builder().put("approval_event_id", e.eventId())
                .put("approval_reason", Js.str(reason)).put("approver", approver)
                .put("evidence", Js.arr(p.get("evidence"))).build());
        WorkflowItem item = d.build();
        tx.saveItem(item);
        tx.insertAction(new WorkflowAction(tx.tenant(), "wfa:event:" + e.eventId(), id, item.traceId(), actionType,
                approver.getString("actor_id"), approver.getString("actor_type"),
                fromService ? approver.getString("actor_id") : null, reason, actionPayload, e.eventId(), status, requestKey, now));
        notify(tx, item, "approval", "Workflow " + id + " recorded " + item.currentDecision(), "approval:" + id + ":" + e.eventId(),
                now, JsonObject.builder().put("approval_event_id", e.eventId()).put("decision", Js.str(decision)).build());
        if (fromService) {
            decisionAudit(tx, e, item, actionType, approver, reason, now);
        }
    }

    /**
     * The audit row of a decision made through the workflow service, written by the import of its
     * {@code ApprovalRecorded} in the transaction that writes the decision's action row. The import runs exactly
     * once per event (idempotent by source event id), so the row is written once, and a crash between the append
     * and the import cannot lose it: the next catch-up writes it. Caller details come from
     * {@link #expectDecision} when this node made the decision, else from the event (approver, request id from the
     * idempotency key {@code workflow:<id>:<action>:<request_id>}; roles and client address unknown).
     */
    private void decisionAudit(WorkflowTx tx, StoredEvent e, WorkflowItem item, String actionType, JsonObject approver,
                               String reason, Instant now) {
        Caller c = decisionCallers.get(tx.tenant() + "\n" + e.eventId());
        String prefix = "workflow:" + item.workflowId() + ":" + actionType + ":";
        String key = e.idempotencyKey();
        String requestId = c != null ? c.requestId() : key != null && key.startsWith(prefix) ? key.substring(prefix.length()) : null;
        String actorKind = c != null ? c.actorKind() : "person".equals(approver.getString("actor_type")) ? Caller.USER
                : Caller.SERVICE_ACCOUNT;
        tx.audit(new AuditRecord(tx.tenant(), now, actorKind, approver.getString("actor_id"), c != null ? c.roles() : List.of(),
                actionType, "workflow", item.workflowId(), "accepted", reason, null, requestId, c != null ? c.clientAddress() : null,
                JsonObject.builder().put("action_id", "wfa:event:" + e.eventId()).put("appended_event_id", e.eventId())
                        .put("resulting_status", item.status())
                        .put("review_trace_id", Js.str(e.traceId().equals(item.traceId()) ? null : e.traceId()))
                        .put("derived_from_event", c == null).build()));
    }

    // --- WorkflowReviewRequested ------------------------------------------------------------------

    private void reviewRequested(WorkflowTx tx, StoredEvent e, JsonObject p, Instant now, Map<String, JsonObject> starts) {
        JsonObject subject = Js.obj(p.getObject("subject"));
        String templateId = p.getString("template_id");
        String id = p.getString("workflow_id") != null ? p.getString("workflow_id")
                : e.traceId() + ":" + (subject.getString("subject_type") != null ? subject.getString("subject_type") : "trace_review")
                + ":" + (subject.getString("subject_id") != null ? subject.getString("subject_id") : templateId);
        if (tx.actionBySourceEvent(e.eventId()).isPresent()) {
            return;
        }
        String priority = p.getString("priority") == null ? "high" : p.getString("priority");
        if (!Statuses.PRIORITIES.contains(priority)) {
            throw WorkflowError.invalid("Unsupported priority");
        }
        Optional<WorkflowItem> existing = tx.item(id);
        Instant occurred = occurred(e);
        String decidedTrace = existing.map(WorkflowItem::traceId)
                .orElse(subject.getString("trace_id") != null ? subject.getString("trace_id") : e.traceId());
        JsonObject start = traceStart(tx.tenant(), decidedTrace, starts);
        long slaHours = Js.longOr(p.get("sla_hours"), config.incidentReviewSlaHours());
        JsonObject assignee = Js.obj(p.getObject("assignee"));
        WorkflowItem.Draft d = existing.map(WorkflowItem::toDraft).orElseGet(WorkflowItem.Draft::new);
        d.tenantId = tx.tenant();
        d.workflowId = id;
        d.traceId = decidedTrace;
        d.workflowKind = p.getString("workflow_kind") != null ? p.getString("workflow_kind") : Statuses.INCIDENT_REVIEW;
        d.workflowName = templateId;
        d.subjectType = subject.getString("subject_type") != null ? subject.getString("subject_type") : "trace_review";
        d.subjectId = subject.getString("subject_id") != null ? subject.getString("subject_id") : templateId;
        if (existing.isEmpty() || !Statuses.isTerminal(d.status)) {
            d.status = Statuses.REQUESTED;
        }
        d.priority = priority;
        String traceTitle = start.getString("title") != null ? start.getString("title") : decidedTrace;
        d.title = p.getString("title") != null ? p.getString("title") : "Incident review for " + traceTitle;
        d.policyId = p.getString("policy_id");
        d.policyVersion = p.getString("policy_version");
        d.requestedByActorId = e.actor().actorId();
        d.requestedByActorType = e.actor().actorType();
        d.assignedAccountId = assignee.getString("account_id") != null ? assignee.getString("account_id")
                : existing.map(WorkflowItem::assignedAccountId).orElse(config.defaultAssignedAccountId());
        d.assignedRole = assignee.getString("role") != null ? assignee.getString("role")
                : existing.map(WorkflowItem::assignedRole).orElse(config.defaultAssignedRole());
        if (existing.isEmpty()) {
            d.requestedAt = occurred;
            d.slaDueAt = occurred.plus(Duration.ofHours(slaHours));
            d.createdFromEventId = e.eventId();
        }
        d.currentReason = p.getString("reason");
        d.updatedAt = now;
        d.lastActionType = "incident_review_requested";
        d.lastActionAt = occurred;
        d.lastSourceLogSeq = e.logSeq();
        d.reviewTraceId = reviewTrace(d, e);
        Template t = Templates.byId(templateId).orElse(null);
        d.metadata = Js.merge(d.metadata, JsonObject.builder().put("entrypoint", "workflow_studio")
                .put("review_template", JsonObject.builder()
                        .put("default_priority", Js.str(t == null ? priority : t.defaultPriority()))
                        .put("default_sla_hours", Js.num(t == null ? slaHours : t.defaultSlaHours()))
                        .put("description", Js.str(p.getString("template_description") != null
                                ? p.getString("template_description") : t == null ? null : t.description()))
                        .put("reviewer_role", Js.str(d.assignedRole))
                        .put("template_id", Js.str(templateId)).build())
                .put("simulation", Js.orNull(p.get("simulation")))
                .put("source_event_id", e.eventId())
                .put("sla_hours", Js.num(slaHours)).build());
        WorkflowItem item = d.build();
        tx.saveItem(item);
        tx.insertAction(new WorkflowAction(tx.tenant(), "wfa:event:" + e.eventId(), id, item.traceId(), "incident_review_requested",
                e.actor().actorId(), e.actor().actorType(), null, p.getString("reason"),
                JsonObject.builder().put("template_id", Js.str(templateId)).put("priority", priority).build(),
                e.eventId(), item.status(), null, now));
        assignmentNotification(tx, item, now, false);
    }

    // --- shared -----------------------------------------------------------------------------------

    static void assignmentNotification(WorkflowTx tx, WorkflowItem item, Instant now, boolean reassigned) {
        String target = target(item.assignedAccountId(), item.assignedRole());
        notify(tx, item, "assignment", "Workflow " + item.workflowId() + (reassigned ? " reassigned to " : " assigned to ") + target,
                "assignment:" + item.workflowId() + ":" + target, now,
                JsonObject.builder().put("assigned_account_id", Js.str(item.assignedAccountId()))
                        .put("assigned_role", Js.str(item.assignedRole())).build());
    }

    static boolean notify(WorkflowTx tx, WorkflowItem item, String category, String message, String dedupeKey, Instant now,
                          JsonObject payload) {
        WorkflowNotification n = new WorkflowNotification(tx.tenant(), "wfn:" + nameUuid(tx.tenant() + "\n" + dedupeKey),
                item.workflowId(), item.traceId(), category, null, null, message, item.assignedAccountId(),
                item.assignedRole(), payload, dedupeKey, now, now);
        if (!tx.insertNotification(n)) {
            return false;
        }
        tx.enqueueWebhooks("workflow_notification", "notification:" + dedupeKey, WorkflowDocs.notification(n), now);
        return true;
    }

    static String target(String account, String role) {
        return account != null ? account : role != null ? role : "unassigned";
    }

    static String nameUuid(String s) {
        return UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static long slaHours(WorkflowItem item, long fallback) {
        return Js.longOr(item.metadata().get("sla_hours"), fallback);
    }

    private static String reviewTrace(WorkflowItem.Draft d, StoredEvent e) {
        if (d.reviewTraceId != null) {
            return d.reviewTraceId;
        }
        return e.traceId().equals(d.traceId) ? null : e.traceId();
    }

    private JsonObject traceStart(String tenant, String traceId, Map<String, JsonObject> cache) {
        return cache.computeIfAbsent(traceId, t -> {
            List<StoredEvent> first = log.traceEvents(tenant, t, null, 1);
            if (!first.isEmpty() && "TraceStarted".equals(first.getFirst().eventType())
                    && first.getFirst().payload() instanceof JsonObject o) {
                return o;
            }
            return JsonObject.empty();
        });
    }

    static Instant occurred(StoredEvent e) {
        return Timestamps.parse(e.occurredAt()).truncatedTo(ChronoUnit.MICROS);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static Json s(String v) {
        return v == null ? org.decisiongraph.core.json.JsonNull.INSTANCE : new JsonString(v);
    }
}
