package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
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
    private final Map<String, Projections> projections = new ConcurrentHashMap<>();
    private static final int PREVIEW_LIMIT = 6;
    private static final int PREVIEW_KEPT = 4;

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
        List<PrecedentHit> preview = precedentPreview(tenant, f);
        JsonObject simulation = simulation(f, t, preview);
        return JsonObject.builder().put("trace_id", traceId).put("template", t.toJson())
                .put("templates", JsonArray.of(Templates.BUILT_IN.stream().map(x -> (Json) x.toJson()).toList()))
                .put("draft", draft(f, t, simulation))
                .put("simulation", simulation)
                .put("precedent_preview", previewJson(preview))
                .put("replay_suggestion", replay(f, simulation))
                .put("existing_workflows", existing(tenant, traceId))
                .build();
    }

    /** The detail's {@code review_context}. */
    public JsonObject reviewContext(String tenant, String traceId, String templateId) {
        TraceFacts f = facts(tenant, traceId);
        Template t = template(tenant, f, templateId);
        List<PrecedentHit> preview = precedentPreview(tenant, f);
        JsonObject simulation = simulation(f, t, preview);
        return JsonObject.builder().put("existing_workflows", existing(tenant, traceId))
                .put("precedent_preview", previewJson(preview))
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

    /**
     * The precedent preview of spec 3.8: precedents for the trace's {entity_type, entity_id, outcome, policy_id,
     * policy_version} (blank keys dropped, policy from the latest PolicyEvaluated), limit 6, first 4 kept; the trace
     * itself may be among them. Read from the precedent projection as projected now (a hint, never a 409: the
     * policy dry run, {@link PolicySimulation}, is the staleness-checked view).
     */
    private List<PrecedentHit> precedentPreview(String tenant, TraceFacts f) {
        JsonObject entity = f.primaryEntity() instanceof JsonObject o ? o : JsonObject.empty();
        PrecedentQuery query = new PrecedentQuery(blankToNull(f.policyId()), blankToNull(f.policyVersion()),
                blankToNull(entity.getString("entity_type")), blankToNull(entity.getString("entity_id")),
                blankToNull(f.outcome()), PREVIEW_LIMIT);
        String t = EventLog.normalizeTenant(tenant);
        Projections p = projections(t);
        List<PrecedentHit> hits;
        synchronized (p) {
            try {
                hits = p.queries().findPrecedents(query);
            } catch (DgException e) {
                if (e.code() != ErrorCode.DG_ERR_PROJECTION_OUT_OF_DATE) {
                    throw e;
                }
                // refresh (spec 3.8), then ask again: still stale (a stopped projection) answers the 409
                refresh(p);
                hits = p.queries().findPrecedents(query);
            }
        }
        return hits.size() > PREVIEW_KEPT ? List.copyOf(hits.subList(0, PREVIEW_KEPT)) : hits;
    }

    /** The tenant's ({@link EventLog#normalizeTenant normalized}) projections, opened once; shared with the dry run. */
    Projections projections(String tenant) {
        return projections.computeIfAbsent(tenant, x -> Projections.open(store.database(), x, clock));
    }

    /**
     * Catches the tenant's projections up from this thread; a concurrent runtime worker is safe (the projector
     * continues from the cursors stored by whichever writer committed first). A projection stopped at a failed event
     * stays behind and the caller's query answers 409; the runtime has recorded that failure.
     */
    private static void refresh(Projections p) {
        try {
            p.catchUp();
        } catch (DgException stopped) {
            // left to the staleness check of the next query
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static JsonArray previewJson(List<PrecedentHit> preview) {
        return JsonArray.of(preview.stream().map(h -> (Json) h.toJson()).toList());
    }

    /** Divergence: the precedents' outcomes disagree among themselves or with the current outcome. */
    private static boolean divergent(TraceFacts f, List<PrecedentHit> preview) {
        Set<String> outcomes = new HashSet<>();
        for (PrecedentHit h : preview) {
            outcomes.add(String.valueOf(h.outcome()));
        }
        if (f.outcome() != null && !preview.isEmpty()) {
            outcomes.add(f.outcome());
        }
        return outcomes.size() > 1;
    }

    private static JsonObject simulation(TraceFacts f, Template t, List<PrecedentHit> preview) {
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
        if (preview.isEmpty()) {
            signals.add("no close precedents");
        }
        boolean divergence = divergent(f, preview);
        if (divergence) {
            signals.add("precedent divergence");
        }
        String priority = f.hasException() || unfavorable ? "urgent" : divergence || !f.finished() ? "high" : "normal";
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
            JsonObject simulation = simulation(f, t, precedentPreview(tenant, f));
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
