package org.decisiongraph.workflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.store.workflow.WorkflowTx;

/**
 * Review actions (platform spec 3.6): {@code approve}, {@code reject}, {@code override} (decisions, recorded
 * as {@code ApprovalRecorded} events in the log), {@code request_change}, {@code comment}, {@code reassign},
 * {@code escalate}, {@code claim} (operational rows) and {@code export}. Order: action → load (404) →
 * permission (403) → idempotent-retry lookup → transition (400/409) → validation (400) → effect → workflow
 * catch-up → audit row. Every accepted or refused action writes an audit row.
 *
 * <p>Ids derive from the request id: {@code h} = the first 16 hex characters of SHA-256 over
 * {@code "<tenant>\n<workflow_id>\n<action>\n<request_id>"}; decisions use {@code approval:<id>:<h>} and the
 * idempotency key {@code workflow:<id>:<action>:<request_id>} (so a retry converges on the stored event),
 * other actions the action id {@code wfa:} + name-based UUID of the same string.
 *
 * <p>Decisions on a trace that already has {@code TraceFinished} go to its linked review trace
 * {@code <trace_id>:review} (spec 3.12 item 7), started by the service when it has no events yet.
 *
 * <p>Concurrency: operational actions run in one transaction under the tenant's workflow lock, so of two
 * concurrent claims exactly one wins. A decision reads the target trace's next {@code trace_seq} before
 * catching up and checking the item; a concurrent decision that commits in between makes the append fail
 * with {@code event_sequence_invalid}, and the retry then sees the decided item (400 already approved).
 */
public final class ReviewService {
    public static final List<String> ACTIONS = List.of("approve", "reject", "override", "request_change", "comment", "reassign",
            "escalate", "claim", "export");
    public static final Source SOURCE = new Source(WorkflowProjection.SERVICE_PRODUCER, "decisiongraph-api", "workflow");
    private static final int MAX_KEY = 190;
    private static final int SEQUENCE_ATTEMPTS = 5;

    private final WorkflowStore store;
    private final EventLog log;
    private final WorkflowProjection projection;
    private final AccessStore access;
    private final WorkflowExport export;
    private final Clock clock;
    private final WorkflowConfig config;

    public ReviewService(WorkflowStore store, EventLog log, WorkflowProjection projection, WorkflowExport export, Clock clock,
                         WorkflowConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.access = new AccessStore(store.database());
        this.export = Objects.requireNonNull(export, "export");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The permission an action needs. */
    public static String permission(String action) {
        return switch (action) {
            case "reassign" -> "workflow_assign";
            case "escalate" -> "workflow_escalate";
            case "override" -> "workflow_override";
            case "export" -> "workflow_export";
            default -> "workflow_review";
        };
    }

    /** Runs one action; refusals throw {@link WorkflowError} (or a {@code DgException} from the log) after auditing them. */
    public ActionResult act(String tenant, String workflowId, JsonObject body, Caller caller) {
        String rawAction = body.getString("action");
        String action = rawAction == null ? null : rawAction.strip().toLowerCase(Locale.ROOT);
        try {
            if (action == null || !ACTIONS.contains(action)) {
                throw WorkflowError.invalid(rawAction == null ? "Workflow action is required"
                        : "Unsupported workflow action \"" + rawAction + "\"");
            }
            projection.catchUp(tenant);
            WorkflowItem item = store.item(tenant, workflowId)
                    .orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + workflowId));
            String permission = permission(action);
            if (!caller.has(permission)) {
                throw WorkflowError.forbidden("Service account lacks " + permission + " permission");
            }
            Request req = Request.of(tenant, workflowId, action, body, caller);
            ActionResult result = switch (action) {
                case "approve", "reject", "override" -> decide(tenant, req, caller);
                case "export" -> exportAction(tenant, item, caller);
                default -> operational(tenant, req, caller);
            };
            return result;
        } catch (WorkflowError | DgException e) {
            auditRefusal(tenant, workflowId, action == null ? String.valueOf(rawAction) : action, caller, e);
            throw e;
        }
    }

    // --- requests ---------------------------------------------------------------------------------

    /** The fields of one action request that decide whether a retry is "the same request". */
    record Request(String action, String workflowId, String requestId, String h, String reason, String note, Json evidenceRaw,
                   String confirmText, String assignedAccountId, String assignedRole, JsonObject echo) {
        static Request of(String tenant, String workflowId, String action, JsonObject body, Caller caller) {
            String h = sha16(tenant + "\n" + workflowId + "\n" + action + "\n" + caller.requestId());
            String reason = text(body.get("reason"));
            String note = text(body.get("note"));
            Json evidence = body.get("evidence");
            String confirm = text(body.get("confirm_text"));
            String account = text(body.get("assigned_account_id"));
            String role = text(body.get("assigned_role"));
            JsonObject echo = JsonObject.builder().put("actor", caller.accountId()).put("action", action)
                    .put("reason", Js.str(reason)).put("note", Js.str(note)).put("evidence", Js.orNull(evidence))
                    .put("confirm_text", Js.str(confirm)).put("assigned_account_id", Js.str(account))
                    .put("assigned_role", Js.str(role)).build();
            return new Request(action, workflowId, caller.requestId(), h, reason, note, evidence, confirm, account, role, echo);
        }

        String idempotencyKey() {
            String k = "workflow:" + workflowId + ":" + action + ":" + requestId;
            return k.length() > MAX_KEY ? k.substring(0, MAX_KEY) : k;
        }

        String approvalId() {
            return "approval:" + workflowId + ":" + h;
        }

        String actionId(String tenant) {
            return "wfa:" + WorkflowProjection.nameUuid(tenant + "\n" + workflowId + "\n" + action + "\n" + requestId);
        }

        JsonArray evidence() {
            if (evidenceRaw == null || evidenceRaw == JsonNull.INSTANCE) {
                return JsonArray.empty();
            }
            if (!(evidenceRaw instanceof JsonArray a)) {
                throw WorkflowError.invalid("evidence must be a list when present");
            }
            return JsonArray.of(a.items().stream().map(j -> j instanceof JsonObject ? j
                    : (Json) JsonObject.builder().put("value", j instanceof JsonString s ? s.value()
                    : org.decisiongraph.core.json.JsonWriter.canonicalLenient(j)).build()).toList());
        }

        String requireReason() {
            if (reason == null || reason.isBlank()) {
                throw WorkflowError.invalid(action + " requires a reason");
            }
            return reason;
        }
    }

    private static String text(Json j) {
        return j instanceof JsonString s ? s.value() : null;
    }

    // --- transitions ------------------------------------------------------------------------------

    /**
     * The transition check of spec 3.2 for {@code action} on {@code item}: returns normally when allowed,
     * else throws the spec's error. {@code claim} by the current claimer is allowed (a no-op).
     */
    public static void checkTransition(WorkflowItem item, String action, String callerAccount) {
        String id = item.workflowId();
        String status = item.status();
        if (Statuses.isTerminal(status)) {
            if (action.equals("comment") || action.equals("export")) {
                return;
            }
            throw WorkflowError.invalid("Workflow " + id + " is already " + status);
        }
        switch (action) {
            case "escalate" -> {
                if (Statuses.ESCALATED.equals(status)) {
                    throw WorkflowError.invalid("Workflow " + id + " is already escalated");
                }
            }
            case "override" -> {
                if (!Statuses.EXCEPTION_REVIEW.equals(item.workflowKind())) {
                    throw WorkflowError.invalid("Override is only supported for exception review workflows");
                }
            }
            case "claim" -> {
                if (Statuses.IN_REVIEW.equals(status) && !Objects.equals(item.assignedAccountId(), callerAccount)) {
                    throw WorkflowError.conflict("Workflow " + id + " is already claimed by " + item.assignedAccountId());
                }
            }
            default -> {
            }
        }
    }

    /** The status an allowed action leads to (the item's own status for comment, reassign and export). */
    public static String resultingStatus(WorkflowItem item, String action) {
        return switch (action) {
            case "approve" -> Statuses.APPROVED;
            case "reject" -> Statuses.REJECTED;
            case "override" -> Statuses.OVERRIDDEN;
            case "request_change" -> Statuses.CHANGES_REQUESTED;
            case "escalate" -> Statuses.ESCALATED;
            case "claim" -> Statuses.IN_REVIEW;
            default -> item.status();
        };
    }

    // --- decisions --------------------------------------------------------------------------------

    private ActionResult decide(String tenant, Request req, Caller caller) {
        Optional<WorkflowAction> earlier = store.actionByRequestKey(tenant, req.approvalId());
        if (earlier.isPresent()) {
            return decisionReplay(tenant, req, caller, earlier.get());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return decideOnce(tenant, req, caller);
            } catch (DgException e) {
                if (e.code() != ErrorCode.DG_ERR_EVENT_SEQUENCE_INVALID || attempt >= SEQUENCE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ActionResult decideOnce(String tenant, Request req, Caller caller) {
        WorkflowItem before = store.item(tenant, req.workflowId()).orElseThrow();
        String decidedTrace = before.traceId();
        boolean finished = log.isTraceFinished(tenant, decidedTrace);
        String target = finished ? decidedTrace + ":review" : decidedTrace;
        Instant now = now();
        if (finished && log.nextTraceSeq(tenant, target) == 0) {
            startReviewTrace(tenant, decidedTrace, now);
        }
        long seq = log.nextTraceSeq(tenant, target);
        projection.catchUp(tenant);
        WorkflowItem item = store.item(tenant, req.workflowId()).orElseThrow();
        checkTransition(item, req.action(), caller.accountId());
        String reason = req.requireReason();
        JsonArray evidence = req.evidence();
        boolean override = req.action().equals("override");
        if (override) {
            String phrase = "OVERRIDE " + item.workflowId().toUpperCase(Locale.ROOT);
            if (!phrase.equals(req.confirmText())) {
                throw WorkflowError.invalid("Override confirmation phrase must match " + phrase);
            }
        }
        JsonObject.Builder subject = JsonObject.builder();
        if (override) {
            subject.put("subject_id", item.workflowId()).put("subject_type", "override");
        } else {
            subject.put("subject_id", item.subjectId()).put("subject_type", item.subjectType());
        }
        if (finished) {
            subject.put("trace_id", decidedTrace);
        }
        JsonObject approver = JsonObject.builder().put("actor_id", caller.accountId()).put("actor_type", caller.approverType()).build();
        JsonObject.Builder payload = JsonObject.builder().put("approval_id", req.approvalId()).put("approver", approver)
                .put("decision", req.action().equals("reject") ? "rejected" : "approved").put("evidence", evidence)
                .put("reason", reason).put("subject", subject.build());
        if (finished) {
            payload.put("workflow_id", item.workflowId());
        }
        EventEnvelope env = new EventEnvelope(target + "-approval-recorded-" + seq + "-" + req.h(), target, seq, "ApprovalRecorded",
                Timestamps.toRfc3339(now), SOURCE, new Actor(caller.approverType(), caller.accountId()), req.idempotencyKey(),
                payload.build(), finished ? decidedTrace : null, finished ? item.createdFromEventId() : null, 1, List.of());
        projection.expectDecision(tenant, env.eventId(), caller);
        StoredEvent stored;
        try {
            stored = log.append(tenant, env).eventOrNull();
            projection.catchUp(tenant); // writes the item change, the action row and the decision's audit row
        } finally {
            projection.forgetDecision(tenant, env.eventId());
        }
        WorkflowItem after = store.item(tenant, req.workflowId()).orElseThrow();
        JsonObject response = JsonObject.builder().put("appended_event_id", stored.eventId()).put("outcome", req.action()).build();
        return new ActionResult(response, after, false);
    }

    private ActionResult decisionReplay(String tenant, Request req, Caller caller, WorkflowAction earlier) {
        JsonArray evidence = req.evidence();
        boolean same = Objects.equals(earlier.actorAccountId(), caller.accountId())
                && Objects.equals(earlier.payload().get("evidence"), evidence)
                && Objects.equals(earlier.note(), req.reason())
                && (earlier.actionType().equals(req.action()) || earlier.actionType().equals("conflicting_decision"));
        if (!same) {
            throw WorkflowError.idempotencyConflict(req.idempotencyKey());
        }
        WorkflowItem item = store.item(tenant, req.workflowId()).orElseThrow();
        return new ActionResult(JsonObject.builder().put("appended_event_id", Js.str(earlier.sourceEventId()))
                .put("outcome", req.action()).build(), item, true);
    }

    private void startReviewTrace(String tenant, String decidedTrace, Instant now) {
        List<StoredEvent> first = log.traceEvents(tenant, decidedTrace, null, 1);
        JsonObject start = !first.isEmpty() && first.getFirst().payload() instanceof JsonObject o ? o : JsonObject.empty();
        String title = start.getString("title") != null ? start.getString("title") : decidedTrace;
        String key = "workflow-review-trace:" + decidedTrace;
        JsonObject payload = JsonObject.builder().put("workflow", "workflow_review").put("title", "Review of " + title)
                .put("primary_entity", Js.orNull(start.get("primary_entity")))
                .put("context", JsonObject.builder().put("review_of_trace_id", decidedTrace).build()).build();
        log.append(tenant, new EventEnvelope(decidedTrace + ":review-trace-started-0", decidedTrace + ":review", 0, "TraceStarted",
                Timestamps.toRfc3339(now), SOURCE, new Actor("system", WorkflowProjection.SERVICE_PRODUCER),
                key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key, payload, decidedTrace, null, 1, List.of()));
    }

    // --- operational actions ----------------------------------------------------------------------

    private ActionResult operational(String tenant, Request req, Caller caller) {
        String actionId = req.actionId(tenant);
        Instant now = now();
        ActionResult result = store.write(tenant, tx -> {
            WorkflowItem item = tx.item(req.workflowId()).orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + req.workflowId()));
            Optional<WorkflowAction> earlier = tx.action(actionId);
            if (earlier.isPresent()) {
                if (!req.echo().equals(earlier.get().payload().getObject("request"))) {
                    throw WorkflowError.idempotencyConflict(req.idempotencyKey());
                }
                return new ActionResult(responseOf(req, earlier.get()), item, true);
            }
            checkTransition(item, req.action(), caller.accountId());
            return applyOperational(tx, item, req, caller, actionId, now);
        });
        return result;
    }

    private ActionResult applyOperational(WorkflowTx tx, WorkflowItem item, Request req, Caller caller, String actionId, Instant now) {
        AuditRecord auditor = new AuditRecord(tx.tenant(), now, caller.actorKind(), caller.accountId(), caller.roles(), req.action(),
                "workflow", item.workflowId(), "accepted", null, null, caller.requestId(), caller.clientAddress(), null);
        if (req.action().equals("escalate")) {
            String reason = req.requireReason();
            String account = req.assignedAccountId() != null ? req.assignedAccountId() : config.escalationAssignedAccountId();
            String role = req.assignedRole() != null ? req.assignedRole() : config.escalationAssignedRole();
            Escalation.Result r = Escalation.apply(tx, item, now, reason, Escalation.MANUAL_SOURCE, account, role,
                    caller.accountId(), caller.approverType(), caller.accountId(), actionId, req.echo(), false, auditor, config);
            return new ActionResult(responseOf(req, r.action()), r.item(), false);
        }
        WorkflowItem.Draft d = item.toDraft();
        String note;
        JsonObject.Builder payload = JsonObject.builder();
        boolean reassigned = false;
        boolean noOpClaim = false;
        switch (req.action()) {
            case "request_change" -> {
                note = req.requireReason();
                payload.put("evidence", req.evidence());
                d.status = Statuses.CHANGES_REQUESTED;
                d.resolvedAt = null;
                d.currentReason = note;
            }
            case "comment" -> {
                note = req.note() != null && !req.note().isBlank() ? req.note() : req.reason();
                if (note == null || note.isBlank()) {
                    throw WorkflowError.invalid("Comment note is required");
                }
                payload.put("evidence", req.evidence());
            }
            case "reassign" -> {
                if (req.assignedAccountId() == null && req.assignedRole() == null) {
                    throw WorkflowError.invalid("Reassign requires assigned_account_id or assigned_role");
                }
                note = req.note();
                payload.put("previous_assignment", JsonObject.builder().put("assigned_account_id", Js.str(item.assignedAccountId()))
                        .put("assigned_role", Js.str(item.assignedRole())).build());
                d.assignedAccountId = req.assignedAccountId();
                d.assignedRole = req.assignedRole();
                reassigned = true;
            }
            case "claim" -> {
                note = null;
                noOpClaim = Statuses.IN_REVIEW.equals(item.status());
                d.status = Statuses.IN_REVIEW;
                d.assignedAccountId = caller.accountId();
            }
            default -> throw new IllegalStateException(req.action());
        }
        payload.put("request", req.echo());
        if (!req.action().equals("comment") && !noOpClaim) {
            d.lastActionType = req.action();
            d.lastActionAt = now;
            d.updatedAt = now;
        }
        WorkflowItem next = d.build();
        if (!noOpClaim) {
            tx.saveItem(next);
        }
        WorkflowAction row = new WorkflowAction(tx.tenant(), actionId, item.workflowId(), item.traceId(), req.action(), caller.accountId(),
                caller.approverType(), caller.accountId(), note, payload.build(), null, next.status(), null, now);
        if (!noOpClaim) {
            tx.insertAction(row);
        }
        if (reassigned) {
            WorkflowProjection.assignmentNotification(tx, next, now, true);
        } else if (req.action().equals("claim") && !noOpClaim) {
            WorkflowProjection.notify(tx, next, "assignment", "Workflow " + item.workflowId() + " assigned to " + caller.accountId(),
                    "assignment:" + item.workflowId() + ":" + caller.accountId(), now,
                    JsonObject.builder().put("assigned_account_id", caller.accountId()).put("assigned_role", Js.str(next.assignedRole())).build());
        }
        tx.audit(new AuditRecord(tx.tenant(), now, caller.actorKind(), caller.accountId(), caller.roles(), req.action(), "workflow",
                item.workflowId(), "accepted", note, null, caller.requestId(), caller.clientAddress(),
                JsonObject.builder().put("action_id", actionId).put("resulting_status", next.status()).build()));
        return new ActionResult(responseOf(req, row), next, false);
    }

    private static JsonObject responseOf(Request req, WorkflowAction row) {
        JsonObject.Builder b = JsonObject.builder().put("action_id", row.actionId()).put("outcome", req.action());
        if (req.action().equals("escalate")) {
            b.put("escalated_to", Js.str(row.payload().getString("escalated_to")));
        }
        return b.build();
    }

    // --- export -----------------------------------------------------------------------------------

    private ActionResult exportAction(String tenant, WorkflowItem item, Caller caller) {
        JsonObject doc = export.document(tenant, item.workflowId());
        Instant now = now();
        access.appendAudit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "export", "workflow",
                item.workflowId(), "accepted", null, null, caller.requestId(), caller.clientAddress(), JsonObject.empty()));
        return new ActionResult(JsonObject.builder().put("outcome", "export").put("export", doc).build(), item, false);
    }

    // --- audit of refusals --------------------------------------------------------------------------

    private void auditRefusal(String tenant, String workflowId, String action, Caller caller, RuntimeException e) {
        String code;
        String message;
        int status;
        if (e instanceof WorkflowError we) {
            code = we.code();
            message = we.message();
            status = we.status();
        } else {
            DgException de = (DgException) e;
            code = de.code().apiCode();
            message = de.message();
            status = de.code().httpStatus();
        }
        try {
            access.appendAudit(new AuditRecord(tenant, now(), caller.actorKind(), caller.accountId(), caller.roles(), action,
                    "workflow", workflowId, status == 403 ? "denied" : "rejected", message, code, caller.requestId(),
                    caller.clientAddress(), JsonObject.empty()));
        } catch (DgException ignored) {
            // the refusal itself is answered; a failing audit write must not change it
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String sha16(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
