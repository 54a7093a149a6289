package org.decisiongraph.workflow;

import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/** A review template (platform spec 3.7), validated on construction. */
public record Template(String templateId, String title, String workflowKind, String reviewerRole, String defaultPriority,
                       int defaultSlaHours, List<String> tags, String description) {
    public Template {
        Objects.requireNonNull(templateId, "templateId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(workflowKind, "workflowKind");
        Objects.requireNonNull(reviewerRole, "reviewerRole");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
        if (templateId.isBlank() || title.isBlank()) {
            throw new IllegalArgumentException("template id and title must not be blank");
        }
        if (!Statuses.PRIORITIES.contains(defaultPriority)) {
            throw new IllegalArgumentException("template " + templateId + ": unsupported priority " + defaultPriority);
        }
        if (defaultSlaHours < 1) {
            throw new IllegalArgumentException("template " + templateId + ": default_sla_hours must be positive");
        }
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("default_priority", defaultPriority).put("default_sla_hours", defaultSlaHours)
                .put("description", description).put("reviewer_role", reviewerRole)
                .put("tags", JsonArray.of(tags.stream().map(JsonString::new).toList()))
                .put("template_id", templateId).put("title", title).put("workflow_kind", workflowKind).build();
    }

    /** A template from its JSON form; invalid fields → 400 with the field named. */
    public static Template fromJson(JsonObject o) {
        String id = o.getString("template_id");
        if (id == null || !id.matches("[a-z0-9_]{1,64}")) {
            throw WorkflowError.invalid("template_id must be 1-64 characters of a-z, 0-9 and _");
        }
        String title = o.getString("title");
        if (title == null || title.isBlank()) {
            throw WorkflowError.invalid("title is required");
        }
        String kind = o.getString("workflow_kind") == null ? Statuses.INCIDENT_REVIEW : o.getString("workflow_kind");
        if (!List.of(Statuses.INCIDENT_REVIEW, Statuses.EXCEPTION_REVIEW).contains(kind)) {
            throw WorkflowError.invalid("workflow_kind must be incident_review or exception_review");
        }
        String role = o.getString("reviewer_role");
        if (role == null || role.isBlank()) {
            throw WorkflowError.invalid("reviewer_role is required");
        }
        String priority = o.getString("default_priority");
        if (priority == null || !Statuses.PRIORITIES.contains(priority)) {
            throw WorkflowError.invalid("default_priority must be one of urgent, high, normal, low");
        }
        long sla = o.get("default_sla_hours") instanceof org.decisiongraph.core.json.JsonInt n && n.fitsLong() ? n.longValue() : -1;
        if (sla < 1 || sla > 720) {
            throw WorkflowError.invalid("default_sla_hours must be an integer from 1 to 720");
        }
        List<String> tags = new java.util.ArrayList<>();
        if (o.get("tags") instanceof JsonArray a) {
            for (var t : a) {
                if (!(t instanceof JsonString s)) {
                    throw WorkflowError.invalid("tags must be a list of strings");
                }
                tags.add(s.value());
            }
        }
        String description = o.getString("description") == null ? "" : o.getString("description");
        return new Template(id, title.strip(), kind, role.strip(), priority, (int) sla, tags, description);
    }
}
