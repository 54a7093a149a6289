package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.workflow.Studio;
import org.decisiongraph.workflow.WorkflowError;
import org.decisiongraph.workflow.Workflows;

/**
 * The workflow studio (platform spec 3.8): the review templates of the tenant, a dry run of the review recommendation
 * for a trace (the studio document: draft, simulation signals, existing items; writes nothing), and starting a trace
 * review ({@code WorkflowReviewRequested}, permission {@code workflow_assign}, audited like the API's).
 */
public final class StudioPages implements ConsolePages {
    static final String PATH = "/console/studio";

    /** One template. */
    public record TemplateRow(String templateId, String title, String kind, String priority, long slaHours, String role,
                              String description) {
    }

    /** One key/value line of a JSON object. */
    public record Field(String key, String value) {
    }

    /** The studio page model. */
    public record View(List<TemplateRow> templates, String traceId, String templateId, List<Field> draft, List<Field> simulation,
                       List<String> existing, String recommendedReason, String error, boolean canStart, String flash,
                       String flashHref) {
    }

    @Override
    public void register(Console console) {
        console.nav("Studio", PATH, Requirement.READER);
        console.page(PATH, Requirement.READER, r -> r.page("wf/studio.jte", "Workflow studio", view(r, r.query("flash"), r.query("href"))));
        console.action(PATH + "/start", Requirement.writer(Permissions.WORKFLOW_ASSIGN), this::start);
    }

    static View view(PageRequest r, String flash, String flashHref) {
        Workflows w = r.console().workflows();
        List<TemplateRow> templates = new ArrayList<>();
        String trace = r.query("trace_id");
        String template = r.query("template_id");
        if (w == null) {
            return new View(templates, trace, template, List.of(), List.of(), List.of(), null, "the workflow runtime is not running",
                    false, flash, flashHref);
        }
        for (Json j : w.templates(r.tenant()).getArray("templates").items()) {
            JsonObject t = (JsonObject) j;
            templates.add(new TemplateRow(t.getString("template_id"), t.getString("title"), t.getString("workflow_kind"),
                    t.getString("default_priority"), number(t.get("default_sla_hours")), t.getString("reviewer_role"),
                    t.getString("description")));
        }
        List<Field> draft = List.of();
        List<Field> simulation = List.of();
        List<String> existing = new ArrayList<>();
        String reason = null;
        String error = null;
        if (trace != null) {
            try {
                if (r.services().log().nextTraceSeq(r.tenant(), trace) == 0) {
                    throw WorkflowError.notFound("Trace not found: " + trace);
                }
                JsonObject doc = w.studio().document(r.tenant(), trace, template);
                draft = fields(doc.getObject("draft"));
                simulation = fields(doc.getObject("simulation"));
                reason = doc.getObject("simulation").getString("recommended_reason");
                for (Json e : doc.getArray("existing_workflows").items()) {
                    JsonObject it = (JsonObject) e;
                    existing.add(it.getString("workflow_id") + " (" + it.getString("status") + ")");
                }
            } catch (WorkflowError e) {
                error = e.message();
            } catch (DgException e) {
                error = e.message();
            }
        }
        return new View(templates, trace, template, draft, simulation, existing, reason, error,
                r.can(Requirement.writer(Permissions.WORKFLOW_ASSIGN)), flash, flashHref);
    }

    private static long number(Json j) {
        return j instanceof org.decisiongraph.core.json.JsonInt n ? n.longValue() : 0;
    }

    static List<Field> fields(JsonObject o) {
        List<Field> out = new ArrayList<>();
        for (Map.Entry<String, Json> e : o.members().entrySet()) {
            Json v = e.getValue();
            out.add(new Field(e.getKey(), v instanceof JsonString s ? s.value() : JsonWriter.canonicalLenient(v)));
        }
        return out;
    }

    private String start(PageRequest r) {
        Workflows w = r.console().workflows();
        String trace = r.form("trace_id");
        String template = r.form("template_id");
        JsonObject.Builder body = JsonObject.builder();
        if (r.form("reason") != null) {
            body.put("reason", r.form("reason"));
        }
        if (template != null) {
            body.put("template_id", template);
        }
        try {
            if (trace == null || r.services().log().nextTraceSeq(r.tenant(), trace) == 0) {
                throw WorkflowError.notFound("Trace not found: " + (trace == null ? "" : trace));
            }
            Studio.Started s = w.studio().startReview(r.tenant(), trace, body.build(), WorkflowPages.caller(r));
            if (s.appendedEventId() != null) {
                WorkflowPages.notifyAppended(r, s.workflow(), s.appendedEventId());
            }
            WorkflowPages.changed(r, s.workflow());
            String id = s.workflow().workflowId();
            r.redirect(Urls.of(PATH, "tenant", r.tenant(), "trace_id", trace, "template_id", template,
                    "flash", (s.created() ? "Review started: " : "Review already open: ") + id,
                    "href", WorkflowPages.itemHref(r.tenant(), id)));
            return null;
        } catch (WorkflowError e) {
            WorkflowPages.status(r, e.status());
            return r.page("wf/studio.jte", "Workflow studio", withError(view(r, null, null), e.message()));
        } catch (DgException e) {
            WorkflowPages.status(r, e.code().httpStatus());
            return r.page("wf/studio.jte", "Workflow studio", withError(view(r, null, null), e.message()));
        }
    }

    private static View withError(View v, String error) {
        return new View(v.templates(), v.traceId(), v.templateId(), v.draft(), v.simulation(), v.existing(), v.recommendedReason(),
                error, v.canStart(), null, null);
    }
}
