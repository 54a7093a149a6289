package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/**
 * One review item ({@code dg_workflow_items}, platform spec 3.1). Instants are exact; {@code metadata} is
 * the item's metadata object. Use {@link #toDraft()} to derive a changed copy.
 */
public record WorkflowItem(String tenantId, String workflowId, String traceId, String workflowKind, String workflowName,
                           String subjectType, String subjectId, String status, String priority, String title,
                           String policyId, String policyVersion, String requestedByActorId, String requestedByActorType,
                           String assignedAccountId, String assignedRole, Instant requestedAt, Instant slaDueAt,
                           Instant updatedAt, Instant resolvedAt, String lastActionType, Instant lastActionAt,
                           String currentDecision, String currentReason, String approvalEventId, String createdFromEventId,
                           long lastSourceLogSeq, JsonObject metadata, int escalationCount, String reviewTraceId) {
    public WorkflowItem {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(workflowKind, "workflowKind");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(createdFromEventId, "createdFromEventId");
        metadata = metadata == null ? JsonObject.empty() : metadata;
    }

    public Draft toDraft() {
        Draft d = new Draft();
        d.tenantId = tenantId;
        d.workflowId = workflowId;
        d.traceId = traceId;
        d.workflowKind = workflowKind;
        d.workflowName = workflowName;
        d.subjectType = subjectType;
        d.subjectId = subjectId;
        d.status = status;
        d.priority = priority;
        d.title = title;
        d.policyId = policyId;
        d.policyVersion = policyVersion;
        d.requestedByActorId = requestedByActorId;
        d.requestedByActorType = requestedByActorType;
        d.assignedAccountId = assignedAccountId;
        d.assignedRole = assignedRole;
        d.requestedAt = requestedAt;
        d.slaDueAt = slaDueAt;
        d.updatedAt = updatedAt;
        d.resolvedAt = resolvedAt;
        d.lastActionType = lastActionType;
        d.lastActionAt = lastActionAt;
        d.currentDecision = currentDecision;
        d.currentReason = currentReason;
        d.approvalEventId = approvalEventId;
        d.createdFromEventId = createdFromEventId;
        d.lastSourceLogSeq = lastSourceLogSeq;
        d.metadata = metadata;
        d.escalationCount = escalationCount;
        d.reviewTraceId = reviewTraceId;
        return d;
    }

    /** A mutable copy used while applying an event or an action; {@link #build()} validates it. */
    public static final class Draft {
        public String tenantId;
        public String workflowId;
        public String traceId;
        public String workflowKind;
        public String workflowName;
        public String subjectType;
        public String subjectId;
        public String status;
        public String priority;
        public String title;
        public String policyId;
        public String policyVersion;
        public String requestedByActorId;
        public String requestedByActorType;
        public String assignedAccountId;
        public String assignedRole;
        public Instant requestedAt;
        public Instant slaDueAt;
        public Instant updatedAt;
        public Instant resolvedAt;
        public String lastActionType;
        public Instant lastActionAt;
        public String currentDecision;
        public String currentReason;
        public String approvalEventId;
        public String createdFromEventId;
        public long lastSourceLogSeq;
        public JsonObject metadata = JsonObject.empty();
        public int escalationCount;
        public String reviewTraceId;

        public WorkflowItem build() {
            return new WorkflowItem(tenantId, workflowId, traceId, workflowKind, workflowName, subjectType, subjectId, status,
                    priority, title, policyId, policyVersion, requestedByActorId, requestedByActorType, assignedAccountId,
                    assignedRole, requestedAt, slaDueAt, updatedAt, resolvedAt, lastActionType, lastActionAt,
                    currentDecision, currentReason, approvalEventId, createdFromEventId, lastSourceLogSeq, metadata,
                    escalationCount, reviewTraceId);
        }
    }
}
