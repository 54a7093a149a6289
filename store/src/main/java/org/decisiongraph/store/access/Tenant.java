package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.Objects;

/** A registered tenant; {@code origin} is {@code api}, {@code implicit} or {@code config}. */
public record Tenant(String tenantId, String displayName, String origin, Instant createdAt, String createdBy) {
    public Tenant {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
