package org.decisiongraph.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowTx;

/**
 * The escalation effect shared by the manual action and the SLA sweep (platform spec 3.4): count + 1,
 * move to the escalation target, status {@code escalated}, deadline extended to {@code t + sla_hours},
 * action row, {@code escalation} notification and audit row, all in the caller's transaction.
 */
public final class Escalation {
    public static final String AUTOMATIC_SOURCE = "automatic_sla_escalation";
    public static final String MANUAL_SOURCE = "manual_escalation";
    public static final String SLA_REASON = "SLA deadline passed";
    public static final String SLA_ACTOR = "workflow-sla";

    private Escalation() {
    }

    /** What the escalation did. */
    public record Result(WorkflowItem item, WorkflowAction action, boolean applied) {
    }

    /**
     * Escalates {@code item} at {@code at}. {@code actionId} null = the deterministic SLA id
     * {@code wfa:sla:<workflow_id>:<count>}. With {@code conditional}, the change is applied only if the
     * stored item still has the escalation count and status read before (the timer claim).
     */
    public static Result apply(WorkflowTx tx, WorkflowItem item, Instant at, String reason, String source, String targetAccount,
                               String targetRole, String actorId, String actorType, String actorAccountId, String actionId,
                               JsonObject requestEcho, boolean conditional, AuditRecord auditTemplate, WorkflowConfig config) {
        int count = item.escalationCount() + 1;
        long slaHours = WorkflowProjection.slaHours(item,
                Statuses.EXCEPTION_REVIEW.equals(item.workflowKind()) ? config.exceptionReviewSlaHours() : config.incidentReviewSlaHours());
        Instant extended = at.plus(Duration.ofHours(slaHours));
        JsonObject previous = JsonObject.builder().put("assigned_account_id", Js.str(item.assignedAccountId()))
                .put("assigned_role", Js.str(item.assignedRole())).build();
        WorkflowItem.Draft d = item.toDraft();
        d.assignedAccountId = targetAccount;
        d.assignedRole = targetRole;
        d.status = Statuses.ESCALATED;
        d.currentReason = reason;
        d.lastActionType = "escalate";
        d.lastActionAt = at;
        d.updatedAt = at;
        d.escalationCount = count;
        d.slaDueAt = extended;
        d.metadata = Js.merge(d.metadata, JsonObject.builder().put("escalated_at", Js.time(at)).put("escalation_count", count)
                .put("escalation_reason", reason).put("previous_assignment", previous)
                .put("previous_sla_due_at", Js.time(item.slaDueAt())).put("sla_extended_to", Js.time(extended)).build());
        WorkflowItem next = d.build();
        if (conditional) {
            if (!tx.replaceItemIf(next, item.escalationCount(), item.status())) {
                return new Result(item, null, false);
            }
        } else {
            tx.saveItem(next);
        }
        String id = actionId != null ? actionId : "wfa:sla:" + item.workflowId() + ":" + count;
        String target = WorkflowProjection.target(targetAccount, targetRole);
        JsonObject payload = JsonObject.builder().put("escalated_to", target).put("escalation_count", count)
                .put("previous_assignment", previous).put("source", source).build();
        if (requestEcho != null) {
            payload = payload.with("request", requestEcho);
        }
        WorkflowAction action = new WorkflowAction(tx.tenant(), id, item.workflowId(), item.traceId(), "escalate", actorId, actorType,
                actorAccountId, reason, payload, null, Statuses.ESCALATED, null, at);
        tx.insertAction(action);
        WorkflowProjection.notify(tx, next, "escalation", "Workflow " + item.workflowId() + " escalated to " + target,
                "escalation:" + item.workflowId() + ":" + count, at,
                JsonObject.builder().put("escalation_count", count).put("source", source).build());
        AuditRecord a = auditTemplate;
        tx.audit(new AuditRecord(tx.tenant(), at, a.actorKind(), a.actorId(), a.actorRoles(), "escalate", "workflow",
                item.workflowId(), "accepted", reason, null, a.requestId(), a.clientAddress(),
                JsonObject.builder().put("action_id", id).put("resulting_status", Statuses.ESCALATED)
                        .put("escalation_count", count).put("source", source).build()));
        return new Result(next, action, true);
    }

    /** The audit actor of the automatic sweep. */
    public static AuditRecord systemAuditor(String tenant, Instant at) {
        return new AuditRecord(tenant, at, "system", SLA_ACTOR, List.of(), "escalate", "workflow", null, "accepted", null, null,
                null, null, null);
    }
}
