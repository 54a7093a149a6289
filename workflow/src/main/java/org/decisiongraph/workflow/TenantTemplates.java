package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.workflow.TemplateRow;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * Tenant review templates next to the three built-in ones: validated on save, versioned (each save of an id
 * is a new version; the highest is current), audited. Built-in ids cannot be redefined. Thread-safe.
 */
public final class TenantTemplates {
    private final WorkflowStore store;
    private final AccessStore access;
    private final Clock clock;

    public TenantTemplates(WorkflowStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.access = new AccessStore(store.database());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public TemplateRow save(String tenant, JsonObject body, Caller caller) {
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            Template t = Template.fromJson(body);
            if (Templates.byId(t.templateId()).isPresent()) {
                throw WorkflowError.invalid("Template " + t.templateId() + " is built in and cannot be redefined");
            }
            TemplateRow row = store.saveTemplate(tenant, t.templateId(), t.toJson(), now, caller.accountId());
            access.appendAudit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "template_save",
                    "workflow_template", t.templateId(), "accepted", null, null, caller.requestId(), caller.clientAddress(),
                    JsonObject.builder().put("version", row.version()).build()));
            return row;
        } catch (WorkflowError e) {
            access.appendAudit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "template_save",
                    "workflow_template", body.getString("template_id"), "rejected", e.message(), e.code(), caller.requestId(),
                    caller.clientAddress(), JsonObject.empty()));
            throw e;
        }
    }

    /** The built-in templates and the tenant's current versions. */
    public List<Template> all(String tenant) {
        List<Template> out = new ArrayList<>(Templates.BUILT_IN);
        store.currentTemplates(tenant).forEach(r -> out.add(Template.fromJson(r.body())));
        return out;
    }

    /** A template by id: built-in, else the tenant's current version. */
    public Optional<Template> byId(String tenant, String templateId) {
        Optional<Template> builtIn = Templates.byId(templateId);
        if (builtIn.isPresent() || templateId == null) {
            return builtIn;
        }
        List<TemplateRow> versions = store.templateVersions(tenant, templateId);
        return versions.isEmpty() ? Optional.empty() : Optional.of(Template.fromJson(versions.getLast().body()));
    }

    public JsonObject versionsJson(String tenant, String templateId) {
        List<TemplateRow> versions = store.templateVersions(tenant, templateId);
        if (versions.isEmpty()) {
            throw WorkflowError.notFound("Template not found: " + templateId);
        }
        return JsonObject.builder().put("template_id", templateId).put("versions", JsonArray.of(versions.stream()
                .map(r -> (Json) rowJson(r)).toList())).build();
    }

    public static JsonObject rowJson(TemplateRow r) {
        return JsonObject.builder().put("created_at", Js.time(r.createdAt())).put("created_by", Js.str(r.createdBy()))
                .put("template", r.body()).put("version", r.version()).build();
    }
}
