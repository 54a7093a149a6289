package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/**
 * One {@code dg_workflow_actions} row. {@code requestKey} identifies the request that produced it (the
 * approval id of a decision), so retries find it; null for imported rows without one.
 */
public record WorkflowAction(String tenantId, String actionId, String workflowId, String traceId, String actionType,
                             String actorId, String actorType, String actorAccountId, String note, JsonObject payload,
                             String sourceEventId, String resultingStatus, String requestKey, Instant createdAt) {
    public WorkflowAction {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(actionId, "actionId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(createdAt, "createdAt");
        payload = payload == null ? JsonObject.empty() : payload;
    }
}
