package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/** One durable notification ({@code dg_workflow_notifications}), unique per {@code (tenant_id, dedupe_key)}. */
public record WorkflowNotification(String tenantId, String notificationId, String workflowId, String traceId,
                                   String category, String channel, String status, String message,
                                   String recipientAccountId, String recipientRole, JsonObject payload, String dedupeKey,
                                   Instant createdAt, Instant deliveredAt) {
    public static final String CHANNEL = "operator_console";
    public static final String DELIVERED = "delivered";

    public WorkflowNotification {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(createdAt, "createdAt");
        channel = channel == null ? CHANNEL : channel;
        status = status == null ? DELIVERED : status;
        deliveredAt = deliveredAt == null ? createdAt : deliveredAt;
        payload = payload == null ? JsonObject.empty() : payload;
    }
}
