package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/** One version of a tenant review template ({@code dg_workflow_templates}). */
public record TemplateRow(String tenantId, String templateId, int version, JsonObject body, Instant createdAt, String createdBy) {
    public TemplateRow {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(templateId, "templateId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
