package org.decisiongraph.workflow;

import java.time.Instant;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowNotification;

/** The API shapes of items, action rows and notifications (platform spec 3.5). */
public final class WorkflowDocs {
    private WorkflowDocs() {
    }

    public static boolean overdue(WorkflowItem it, Instant now) {
        return Statuses.isOpen(it.status()) && it.slaDueAt() != null && it.slaDueAt().isBefore(now);
    }

    public static JsonObject item(WorkflowItem it, Instant now) {
        return JsonObject.builder()
                .put("approval_event_id", Js.str(it.approvalEventId()))
                .put("assigned_account_id", Js.str(it.assignedAccountId()))
                .put("assigned_role", Js.str(it.assignedRole()))
                .put("created_from_event_id", it.createdFromEventId())
                .put("current_decision", Js.str(it.currentDecision()))
                .put("current_reason", Js.str(it.currentReason()))
                .put("escalation_count", it.escalationCount())
                .put("last_action_at", Js.time(it.lastActionAt()))
                .put("last_action_type", Js.str(it.lastActionType()))
                .put("last_source_log_seq", it.lastSourceLogSeq())
                .put("metadata", it.metadata())
                .put("overdue", overdue(it, now))
                .put("policy_id", Js.str(it.policyId()))
                .put("policy_version", Js.str(it.policyVersion()))
                .put("priority", it.priority())
                .put("requested_at", Js.time(it.requestedAt()))
                .put("requested_by_actor", JsonObject.builder().put("actor_id", Js.str(it.requestedByActorId()))
                        .put("actor_type", Js.str(it.requestedByActorType())).build())
                .put("resolved_at", Js.time(it.resolvedAt()))
                .put("review_trace_id", Js.str(it.reviewTraceId()))
                .put("sla_due_at", Js.time(it.slaDueAt()))
                .put("status", it.status())
                .put("subject", JsonObject.builder().put("subject_id", it.subjectId()).put("subject_type", it.subjectType()).build())
                .put("tenant_id", it.tenantId())
                .put("title", it.title())
                .put("trace_id", it.traceId())
                .put("updated_at", Js.time(it.updatedAt()))
                .put("workflow_id", it.workflowId())
                .put("workflow_kind", it.workflowKind())
                .put("workflow_name", Js.str(it.workflowName()))
                .build();
    }

    /**
     * The {@code workflow_changed} SSE frame's data (platform spec 1.15.8): {@code {workflow_id, status, priority,
     * assigned_account_id, assigned_role, overdue, last_action_type, updated_at}}.
     */
    public static JsonObject changed(WorkflowItem it, Instant now) {
        return JsonObject.builder()
                .put("workflow_id", it.workflowId())
                .put("status", it.status())
                .put("priority", it.priority())
                .put("assigned_account_id", Js.str(it.assignedAccountId()))
                .put("assigned_role", Js.str(it.assignedRole()))
                .put("overdue", overdue(it, now))
                .put("last_action_type", Js.str(it.lastActionType()))
                .put("updated_at", Js.time(it.updatedAt()))
                .build();
    }

    public static JsonObject action(WorkflowAction a) {
        return JsonObject.builder()
                .put("action_id", a.actionId())
                .put("action_type", a.actionType())
                .put("actor", JsonObject.builder().put("account_id", Js.str(a.actorAccountId())).put("actor_id", Js.str(a.actorId()))
                        .put("actor_type", Js.str(a.actorType())).build())
                .put("created_at", Js.time(a.createdAt()))
                .put("note", Js.str(a.note()))
                .put("payload", a.payload())
                .put("resulting_status", Js.str(a.resultingStatus()))
                .put("source_event_id", Js.str(a.sourceEventId()))
                .put("trace_id", a.traceId())
                .put("workflow_id", a.workflowId())
                .build();
    }

    public static JsonObject notification(WorkflowNotification n) {
        return JsonObject.builder()
                .put("category", n.category())
                .put("channel", n.channel())
                .put("created_at", Js.time(n.createdAt()))
                .put("delivered_at", Js.time(n.deliveredAt()))
                .put("message", n.message())
                .put("notification_id", n.notificationId())
                .put("payload", n.payload())
                .put("recipient_account_id", Js.str(n.recipientAccountId()))
                .put("recipient_role", Js.str(n.recipientRole()))
                .put("status", n.status())
                .put("trace_id", n.traceId())
                .put("workflow_id", n.workflowId())
                .build();
    }
}
