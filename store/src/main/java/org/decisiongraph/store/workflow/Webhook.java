package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A webhook subscription of a tenant ({@code dg_webhooks}); the signing secret is stored encrypted. */
public record Webhook(String tenantId, String webhookId, String url, List<String> topics, List<String> eventTypes, String status,
                      String secretCiphertext, Instant createdAt, String createdBy, Instant lastDeliveryAt,
                      int consecutiveFailures) {
    public Webhook {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(url, "url");
        topics = List.copyOf(topics);
        eventTypes = List.copyOf(eventTypes);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(secretCiphertext, "secretCiphertext");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
