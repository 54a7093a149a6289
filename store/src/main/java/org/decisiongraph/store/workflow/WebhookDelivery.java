package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

/** One delivery of a webhook ({@code dg_webhook_deliveries}): the exact body sent and its attempt state. */
public record WebhookDelivery(String tenantId, String deliveryId, String webhookId, String topic, String dedupeKey, String body,
                              String status, int attempts, Integer lastStatusCode, String lastError, Instant nextAttemptAt,
                              Instant createdAt, Instant deliveredAt) {
    public WebhookDelivery {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(status, "status");
    }
}
