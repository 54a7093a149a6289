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
}
