package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * The workflow studio (platform spec 3.8): a side-effect-free review <em>recommendation</em> for a trace
 * (template choice, draft, heuristic risk signals, replay suggestion) — not a policy simulation — and
 * start-review, which appends {@code WorkflowReviewRequested} (to the linked review trace when the trace is
 * finished). The trace facts are read from the event log.
 */
public final class Studio {
    public static final Source SOURCE = new Source("workflow-studio", "decisiongraph-api", "workflow");

    private final WorkflowStore store;
    private final EventLog log;
    private final WorkflowProjection projection;
    private final AccessStore access;
    private final Clock clock;
    private volatile TenantTemplates tenantTemplates;

    Studio(WorkflowStore store, EventLog log, WorkflowProjection projection, Clock clock, WorkflowConfig config) {
        this.store = store;
        this.log = log;
        this.projection = projection;
        this.access = new AccessStore(store.database());
        this.clock = clock;
    }

    void templates(TenantTemplates value) {
        this.tenantTemplates = value;
    }

    /** Facts of a trace read from its events. */
    record TraceFacts(String traceId, String title, String workflow, Json primaryEntity, boolean hasException, String outcome,
                      boolean finished, String policyId, String policyVersion) {
    }

    TraceFacts facts(String tenant, String traceId) {
        List<StoredEvent> events = log.traceEvents(tenant, traceId);
        if (events.isEmpty()) {
            throw WorkflowError.notFound("Trace not found: " + traceId);
        }
        String title = null;
        String workflow = null;
        Json entity = JsonNull.INSTANCE;
        boolean exception = false;
        String outcome = null;
        boolean finished = false;
        String policyId = null;
        String policyVersion = null;
        for (StoredEvent e : events) {
            JsonObject p = e.payload() instanceof JsonObject o ? o : JsonObject.empty();
            switch (e.eventType()) {
                case "TraceStarted" -> {
                    title = p.getString("title");
                    workflow = p.getString("workflow");
                    entity = Js.orNull(p.get("primary_entity"));
                }
                case "ExceptionRequested" -> exception = true;
                case "PolicyEvaluated" -> {
                    JsonObject pol = Js.obj(p.getObject("policy"));
                    policyId = pol.getString("policy_id");
                    policyVersion = pol.getString("policy_version");
                }
                case "TraceFinished" -> {
                    finished = true;
                    outcome = p.getString("outcome");
                }
                default -> {
                }
            }
        }
        return new TraceFacts(traceId, title != null ? title : traceId, workflow, entity, exception, outcome, finished, policyId,
                policyVersion);
    }

    /** The studio document {@code {trace_id, template, templates, draft, simulation, precedent_preview, replay_suggestion, existing_workflows}}. */
    public JsonObject document(String tenant, String traceId, String templateId) {
        TraceFacts f = facts(tenant, traceId);
        Template t = template(tenant, f, templateId);
        JsonObject simulation = simulation(f, t);
        return JsonObject.builder().put("trace_id", traceId).put("template", t.toJson())
                .put("templates", JsonArray.of(Templates.BUILT_IN.stream().map(x -> (Json) x.toJson()).toList()))
                .put("draft", draft(f, t, simulation))
                .put("simulation", simulation)
                .put("precedent_preview", JsonArray.empty())
                .put("replay_suggestion", replay(f, simulation))
                .put("existing_workflows", existing(tenant, traceId))
                .build();
    }

    /** The detail's {@code review_context}. */
    public JsonObject reviewContext(String tenant, String traceId, String templateId) {
        TraceFacts f = facts(tenant, traceId);
        Template t = template(tenant, f, templateId);
        JsonObject simulation = simulation(f, t);
        return JsonObject.builder().put("existing_workflows", existing(tenant, traceId))
                .put("precedent_preview", JsonArray.empty())
                .put("recommended_replay", replay(f, simulation))
                .put("simulation", simulation)
                .put("templates", JsonArray.of(Templates.BUILT_IN.stream().map(x -> (Json) x.toJson()).toList()))
                .put("trace_summary", JsonObject.builder().put("finished", f.finished()).put("outcome", Js.str(f.outcome()))
                        .put("title", f.title()).put("trace_id", traceId).put("workflow", Js.str(f.workflow())).build())
                .build();
    }

    private Template template(String tenant, TraceFacts f, String templateId) {
        Optional<Template> chosen = templateId == null ? Optional.empty()
                : tenantTemplates != null ? tenantTemplates.byId(tenant, templateId) : Templates.byId(templateId);
        return chosen.orElseGet(() -> Templates.defaultFor(f.hasException(), f.outcome()));
    }

    private static JsonObject simulation(TraceFacts f, Template t) {
        List<String> signals = new ArrayList<>();
        boolean unfavorable = f.outcome() != null && Templates.UNFAVORABLE_OUTCOMES.contains(f.outcome());
        if (f.hasException()) {
            signals.add("exception requested");
        }
        if (unfavorable) {
            signals.add("unfavorable outcome");
        }
        if (!f.finished()) {
            signals.add("trace still active");
        }
        signals.add("no close precedents");
        String priority = f.hasException() || unfavorable ? "urgent" : !f.finished() ? "high" : "normal";
        String reason = t.title() + " opened for " + f.title() + ": " + String.join(", ", signals);
        return JsonObject.builder().put("policy_id", Js.str(f.policyId())).put("policy_version", Js.str(f.policyVersion()))
                .put("priority", priority).put("recommended_reason", reason)
                .put("risk_signals", JsonArray.of(signals.stream().map(s -> (Json) new JsonString(s)).toList()))
                .put("trace_outcome", Js.str(f.outcome())).build();
    }

    private static JsonObject draft(TraceFacts f, Template t, JsonObject simulation) {
        return JsonObject.builder().put("assigned_role", t.reviewerRole()).put("policy_id", Js.str(f.policyId()))
                .put("policy_version", Js.str(f.policyVersion())).put("priority", simulation.getString("priority"))
                .put("reason", simulation.getString("recommended_reason")).put("sla_hours", t.defaultSlaHours())
                .put("subject_id", t.templateId()).put("subject_type", "trace_review")
                .put("title", "Incident review for " + f.title())
                .put("workflow_id", f.traceId() + ":trace_review:" + t.templateId())
                .put("workflow_kind", t.workflowKind()).put("workflow_name", t.templateId()).build();
    }

    private static JsonObject replay(TraceFacts f, JsonObject simulation) {
        int n = simulation.getArray("risk_signals").size();
        return JsonObject.builder().put("mode", "catch_up").put("projection", n > 2 ? "all" : "trace_summary")
                .put("reason", "workflow studio review for " + f.title()).build();
    }

    private JsonArray existing(String tenant, String traceId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return JsonArray.of(store.itemsOfTrace(tenant, traceId).stream().map(i -> (Json) WorkflowDocs.item(i, now)).toList());
    }

    /** What start-review did. */
    public record Started(boolean created, String appendedEventId, WorkflowItem workflow, JsonObject reviewContext) {
    }

    /** Start review ({@code POST .../reviews}): permission {@code workflow_assign}, {@code reason} required. */
    public Started startReview(String tenant, String traceId, JsonObject body, Caller caller) {
        try {
            if (!caller.has("workflow_assign")) {
                throw WorkflowError.forbidden("Service account lacks workflow_assign permission");
            }
            String reason = body.getString("reason");
            if (reason == null || reason.isBlank()) {
                throw WorkflowError.invalid("start_review requires a reason");
            }
            projection.catchUp(tenant);
            TraceFacts f = facts(tenant, traceId);
            Template t = template(tenant, f, body.getString("template_id"));
            JsonObject simulation = simulation(f, t);
            JsonObject draft = draft(f, t, simulation);
            String workflowId = draft.getString("workflow_id");
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Optional<WorkflowItem> existing = store.item(tenant, workflowId);
            String appended = null;
            if (existing.isEmpty()) {
                String target = f.finished() ? traceId + ":review" : traceId;
                if (f.finished() && log.nextTraceSeq(tenant, target) == 0) {
                    startReviewTrace(tenant, f, now);
                }
                long seq = log.nextTraceSeq(tenant, target);
                JsonObject.Builder p = JsonObject.builder()
                        .put("assignee", JsonObject.builder().put("account_id", JsonNull.INSTANCE).put("role", t.reviewerRole()).build())
                        .put("policy_id", Js.str(f.policyId())).put("policy_version", Js.str(f.policyVersion()))
                        .put("priority", simulation.getString("priority")).put("reason", reason).put("simulation", simulation)
                        .put("sla_hours", t.defaultSlaHours())
                        .put("subject", JsonObject.builder().put("subject_id", t.templateId()).put("subject_type", "trace_review").build())
                        .put("template_description", t.description()).put("template_id", t.templateId())
                        .put("title", draft.getString("title")).put("workflow_kind", t.workflowKind());
                if (f.finished()) {
                    p.put("workflow_id", workflowId);
                }
                String key = "workflow-review-request:" + traceId + ":" + t.templateId();
                StoredEvent e = log.append(tenant, new EventEnvelope(target + "-workflow-review-requested-" + seq, target, seq,
                        "WorkflowReviewRequested", Timestamps.toRfc3339(now), SOURCE, new Actor("role", caller.accountId()),
                        key.length() > 190 ? key.substring(0, 190) : key, p.build(), f.finished() ? traceId : null, null, 1,
                        List.of())).eventOrNull();
                appended = e.eventId();
                projection.catchUp(tenant);
            }
            WorkflowItem item = store.item(tenant, workflowId).orElseThrow();
            access.appendAudit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "start_review",
                    "workflow", workflowId, "accepted", reason, null, caller.requestId(), caller.clientAddress(),
                    JsonObject.builder().put("appended_event_id", Js.str(appended)).put("created", existing.isEmpty()).build()));
            return new Started(existing.isEmpty(), appended, item, reviewContext(tenant, traceId, t.templateId()));
        } catch (WorkflowError | org.decisiongraph.core.error.DgException e) {
            String msg = e instanceof WorkflowError we ? we.message() : ((org.decisiongraph.core.error.DgException) e).message();
            String code = e instanceof WorkflowError we ? we.code() : ((org.decisiongraph.core.error.DgException) e).code().apiCode();
            try {
                access.appendAudit(new AuditRecord(tenant, clock.instant(), caller.actorKind(), caller.accountId(), caller.roles(),
                        "start_review", "trace", traceId, e instanceof WorkflowError we && we.status() == 403 ? "denied" : "rejected",
                        msg, code, caller.requestId(), caller.clientAddress(), JsonObject.empty()));
            } catch (org.decisiongraph.core.error.DgException ignored) {
                // the refusal is answered anyway
            }
            throw e;
        }
    }

    private void startReviewTrace(String tenant, TraceFacts f, Instant now) {
        String key = "workflow-review-trace:" + f.traceId();
        JsonObject payload = JsonObject.builder().put("workflow", "workflow_review").put("title", "Review of " + f.title())
                .put("primary_entity", f.primaryEntity())
                .put("context", JsonObject.builder().put("review_of_trace_id", f.traceId()).build()).build();
        log.append(tenant, new EventEnvelope(f.traceId() + ":review-trace-started-0", f.traceId() + ":review", 0, "TraceStarted",
                Timestamps.toRfc3339(now), ReviewService.SOURCE, new Actor("system", WorkflowProjection.SERVICE_PRODUCER),
                key.length() > 190 ? key.substring(0, 190) : key, payload, f.traceId(), null, 1, List.of()));
    }
}
