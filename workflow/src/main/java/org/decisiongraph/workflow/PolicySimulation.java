package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.TraceSummaryRow;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * The studio's dry run of a trace ({@code GET /api/v1/workflow-studio/traces/:trace_id/simulation}): the closest
 * precedents from the precedent index and why they match, the likely policy decision from the evaluations that
 * finished traces recorded for the same policy id/version, and the review(s) the trace would get (SLA deadline and
 * route). It re-evaluates no policy and writes nothing.
 *
 * <p>Staleness: the precedent index and the trace summaries must have reached the end of the tenant's log (the rule
 * of the projection queries); otherwise PROJECTION_OUT_OF_DATE (409) {@code Projections at log_seq=<cursor>, events
 * at <last>}.
 *
 * <p>Candidates: finished traces found by up to three precedent searches (same policy id and version, same policy
 * id, same primary entity; at most {@value #CANDIDATES} each, newest first), the trace itself and its review trace
 * excluded. Each candidate's events are read from the log to compare. Matching fields and weights (sum = score):
 * {@code policy_version} (same policy id and version) 4, else {@code policy_id} 2; {@code entity} (same primary
 * entity type and id) 3; {@code reason_codes} (a shared violation code of that policy's evaluation) 2;
 * {@code decision} (same decision of that policy) 2; {@code outcome} (same TraceFinished outcome) 1;
 * {@code workflow} (same workflow name) 1. Order: score desc, finished_at desc, trace_id asc.
 *
 * <p>Likely outcome: the most frequent {@code decision} among the {@code PolicyEvaluated} events for the same policy
 * id and version in those candidates (ties: {@code require_exception} before {@code deny} before {@code allow}),
 * with the distribution, the number of evaluations and the share in whole percent; plus the distribution of the
 * candidates' trace outcomes.
 */
public final class PolicySimulation {
    public static final int DEFAULT_LIMIT = 5;
    public static final int MAX_LIMIT = 20;
    static final int CANDIDATES = 50;
    private static final List<String> DECISION_ORDER = List.of("require_exception", "deny", "allow");

    private final EventLog log;
    private final WorkflowStore store;
    private final Studio studio;
    private final Clock clock;
    private final WorkflowConfig config;

    PolicySimulation(EventLog log, WorkflowStore store, Studio studio, Clock clock, WorkflowConfig config) {
        this.log = Objects.requireNonNull(log, "log");
        this.store = Objects.requireNonNull(store, "store");
        this.studio = Objects.requireNonNull(studio, "studio");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** What one trace says about a policy, read from its events. */
    record TraceView(String traceId, String workflow, String entityType, String entityId, String outcome, String policyId,
                     String policyVersion, String decision, Set<String> reasonCodes, List<String> decisionsOfPolicy,
                     StoredEvent exception) {
    }

    /** The dry run document; {@code limit} as given (null: 5; 1..20 else 400). */
    public JsonObject simulate(String tenant, String traceId, String templateId, String limit) {
        int n = limit(limit);
        String t = EventLog.normalizeTenant(tenant);
        List<StoredEvent> events = log.traceEvents(t, traceId);
        if (events.isEmpty()) {
            throw WorkflowError.notFound("Trace not found: " + traceId);
        }
        ProjectionQueries q = studio.projections(t).queries();
        q.requireFresh(ProjectionName.PRECEDENT_INDEX, ProjectionName.TRACE_SUMMARY);
        TraceView self = view(traceId, events, null, null);

        Map<String, PrecedentHit> candidates = new LinkedHashMap<>();
        if (self.policyId() != null) {
            search(q, new PrecedentQuery(self.policyId(), self.policyVersion(), null, null, null, CANDIDATES), candidates, traceId);
            search(q, new PrecedentQuery(self.policyId(), null, null, null, null, CANDIDATES), candidates, traceId);
        }
        if (self.entityType() != null && self.entityId() != null) {
            search(q, new PrecedentQuery(null, null, self.entityType(), self.entityId(), null, CANDIDATES), candidates, traceId);
        }

        List<JsonObject> scored = new ArrayList<>();
        List<Long> scores = new ArrayList<>();
        Map<String, Long> decisions = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        long evaluations = 0;
        for (PrecedentHit hit : candidates.values()) {
            TraceSummaryRow row = q.traceSummary(hit.traceId());
            TraceView other = view(hit.traceId(), log.traceEvents(t, hit.traceId()), self.policyId(), self.policyVersion());
            if (self.policyId() != null && self.policyId().equals(other.policyId())
                    && Objects.equals(self.policyVersion(), other.policyVersion())) {
                for (String d : other.decisionsOfPolicy()) {
                    decisions.merge(d, 1L, Long::sum);
                    evaluations++;
                }
                outcomes.merge(String.valueOf(row.outcome()), 1L, Long::sum);
            }
            long score = 0;
            List<String> matched = new ArrayList<>();
            List<String> why = new ArrayList<>();
            if (self.policyId() != null && self.policyId().equals(other.policyId())) {
                if (Objects.equals(self.policyVersion(), other.policyVersion())) {
                    score += 4;
                    matched.add("policy_id");
                    matched.add("policy_version");
                    why.add("same policy " + self.policyId() + " " + self.policyVersion());
                } else {
                    score += 2;
                    matched.add("policy_id");
                    why.add("same policy " + self.policyId() + " (version " + other.policyVersion() + ")");
                }
            }
            if (self.entityType() != null && self.entityType().equals(row.primaryEntityType())
                    && Objects.equals(self.entityId(), row.primaryEntityId())) {
                score += 3;
                matched.add("entity");
                why.add("same entity " + self.entityType() + "/" + self.entityId());
            }
            Set<String> shared = new LinkedHashSet<>(self.reasonCodes());
            shared.retainAll(other.reasonCodes());
            if (!shared.isEmpty()) {
                score += 2;
                matched.add("reason_codes");
                why.add("shared reason codes " + String.join(", ", shared));
            }
            if (self.decision() != null && self.decision().equals(other.decision())) {
                score += 2;
                matched.add("decision");
                why.add("same decision " + self.decision());
            }
            if (self.outcome() != null && self.outcome().equals(row.outcome())) {
                score += 1;
                matched.add("outcome");
                why.add("same outcome " + self.outcome());
            }
            if (self.workflow() != null && self.workflow().equals(row.workflow())) {
                score += 1;
                matched.add("workflow");
                why.add("same workflow " + self.workflow());
            }
            scores.add(score);
            scored.add(JsonObject.builder()
                    .put("trace_id", hit.traceId()).put("title", row.title()).put("workflow", row.workflow())
                    .put("outcome", Js.str(row.outcome())).put("finished_at", Js.str(row.finishedAt()))
                    .put("policy_id", Js.str(other.policyId())).put("policy_version", Js.str(other.policyVersion()))
                    .put("decision", Js.str(other.decision()))
                    .put("reason_codes", strings(other.reasonCodes()))
                    .put("entity", JsonObject.builder().put("entity_type", Js.str(row.primaryEntityType()))
                            .put("entity_id", Js.str(row.primaryEntityId())).build())
                    .put("score", score)
                    .put("matched_fields", strings(matched))
                    .put("shared_reason_codes", strings(shared))
                    .put("why", why.isEmpty() ? "same policy id only at another version" : String.join("; ", why))
                    .build());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingLong(i -> -scores.get(i))
                .thenComparing(i -> scored.get(i).getString("finished_at") == null ? "" : scored.get(i).getString("finished_at"),
                        Comparator.reverseOrder())
                .thenComparing(i -> scored.get(i).getString("trace_id")));
        List<Json> top = order.stream().limit(n).map(i -> (Json) scored.get(i)).toList();

        return JsonObject.builder()
                .put("trace_id", traceId)
                .put("dry_run", true)
                .put("policy", JsonObject.builder().put("policy_id", Js.str(self.policyId()))
                        .put("policy_version", Js.str(self.policyVersion())).put("decision", Js.str(self.decision()))
                        .put("reason_codes", strings(self.reasonCodes())).build())
                .put("trace", JsonObject.builder().put("workflow", Js.str(self.workflow()))
                        .put("entity", JsonObject.builder().put("entity_type", Js.str(self.entityType()))
                                .put("entity_id", Js.str(self.entityId())).build())
                        .put("outcome", Js.str(self.outcome())).put("finished", self.outcome() != null).build())
                .put("precedents", JsonArray.of(top))
                .put("candidates_considered", candidates.size())
                .put("likely_outcome", likely(self, decisions, outcomes, evaluations))
                .put("reviews", reviews(t, traceId, self, templateId))
                .build();
    }

    private static void search(ProjectionQueries q, PrecedentQuery query, Map<String, PrecedentHit> into, String self) {
        for (PrecedentHit h : q.findPrecedents(query)) {
            if (!h.traceId().equals(self) && !h.traceId().equals(self + ":review")) {
                into.putIfAbsent(h.traceId(), h);
            }
        }
    }

    /** The trace's workflow, entity, outcome, latest evaluation (or that of the given policy) and exception request. */
    static TraceView view(String traceId, List<StoredEvent> events, String policyId, String policyVersion) {
        String workflow = null;
        String entityType = null;
        String entityId = null;
        String outcome = null;
        String pid = null;
        String pver = null;
        String decision = null;
        Set<String> codes = new LinkedHashSet<>();
        List<String> decisionsOfPolicy = new ArrayList<>();
        StoredEvent exception = null;
        for (StoredEvent e : events) {
            JsonObject p = e.payload() instanceof JsonObject o ? o : JsonObject.empty();
            switch (e.eventType()) {
                case "TraceStarted" -> {
                    workflow = p.getString("workflow");
                    JsonObject entity = Js.obj(p.getObject("primary_entity"));
                    entityType = entity.getString("entity_type");
                    entityId = entity.getString("entity_id");
                }
                case "PolicyEvaluated" -> {
                    JsonObject pol = Js.obj(p.getObject("policy"));
                    String id = pol.getString("policy_id");
                    String version = pol.getString("policy_version");
                    boolean wanted = policyId == null || (policyId.equals(id));
                    if (policyId != null && policyId.equals(id) && Objects.equals(policyVersion, version)) {
                        decisionsOfPolicy.add(String.valueOf(p.getString("decision")));
                    }
                    if (wanted) {
                        pid = id;
                        pver = version;
                        decision = p.getString("decision");
                        codes.clear();
                        if (p.get("violations") instanceof JsonArray vs) {
                            for (Json v : vs.items()) {
                                if (v instanceof JsonObject vo && vo.getString("code") != null) {
                                    codes.add(vo.getString("code"));
                                }
                            }
                        }
                    }
                }
                case "ExceptionRequested" -> exception = e;
                case "TraceFinished" -> outcome = p.getString("outcome");
                default -> {
                }
            }
        }
        return new TraceView(traceId, workflow, entityType, entityId, outcome, pid, pver, decision, codes, decisionsOfPolicy,
                exception);
    }

    private static JsonObject likely(TraceView self, Map<String, Long> decisions, Map<String, Long> outcomes, long evaluations) {
        String best = null;
        long bestCount = 0;
        for (String d : DECISION_ORDER) {
            long c = decisions.getOrDefault(d, 0L);
            if (c > bestCount) {
                best = d;
                bestCount = c;
            }
        }
        for (Map.Entry<String, Long> e : decisions.entrySet()) { // decisions outside the schema's domain, if any
            if (!DECISION_ORDER.contains(e.getKey()) && e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        JsonObject.Builder dist = JsonObject.builder();
        decisions.forEach(dist::put);
        JsonObject.Builder outs = JsonObject.builder();
        outcomes.forEach(outs::put);
        String basis = self.policyId() == null ? "the trace has no policy evaluation"
                : evaluations == 0 ? "no finished trace evaluated " + self.policyId() + " " + self.policyVersion()
                : evaluations + " evaluations of " + self.policyId() + " " + self.policyVersion() + " in "
                + outcomes.values().stream().mapToLong(Long::longValue).sum() + " finished traces (newest " + CANDIDATES + " at most)";
        return JsonObject.builder()
                .put("decision", Js.str(best))
                .put("share_percent", evaluations == 0 ? 0 : Math.round(bestCount * 100.0 / evaluations))
                .put("evaluations", evaluations)
                .put("distribution", dist.build())
                .put("trace_outcomes", outs.build())
                .put("basis", basis)
                .build();
    }

    /** The review(s) the trace would get now: its exception review (import rules) and the studio's trace review. */
    private JsonArray reviews(String tenant, String traceId, TraceView self, String templateId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Json> out = new ArrayList<>();
        if (self.exception() != null) {
            JsonObject p = (JsonObject) self.exception().payload();
            String id = p.getString("workflow_id") != null ? p.getString("workflow_id") : traceId + ":exception:" + p.getString("exception_id");
            String reason = p.getString("reason");
            String priority = p.getString("priority") != null ? p.getString("priority")
                    : reason != null && reason.toLowerCase(Locale.ROOT).contains("urgent") ? "urgent" : "high";
            Instant occurred = WorkflowProjection.occurred(self.exception());
            out.add(review(tenant, id, Statuses.EXCEPTION_REVIEW, null, priority, config.defaultAssignedRole(),
                    config.defaultAssignedAccountId(), config.exceptionReviewSlaHours(),
                    occurred.plus(Duration.ofHours(config.exceptionReviewSlaHours())), "ExceptionRequested occurred_at + "
                            + config.exceptionReviewSlaHours() + " h"));
        }
        JsonObject draft = studio.document(tenant, traceId, templateId).getObject("draft");
        long hours = Js.longOr(draft.get("sla_hours"), config.incidentReviewSlaHours());
        out.add(review(tenant, draft.getString("workflow_id"), draft.getString("workflow_kind"), draft.getString("workflow_name"),
                draft.getString("priority"), draft.getString("assigned_role"), null, hours, now.plus(Duration.ofHours(hours)),
                "start review now + " + hours + " h"));
        return JsonArray.of(out);
    }

    private JsonObject review(String tenant, String workflowId, String kind, String templateId, String priority, String role,
                              String account, long slaHours, Instant due, String slaRule) {
        WorkflowItem existing = store.item(tenant, workflowId).orElse(null);
        return JsonObject.builder()
                .put("workflow_id", workflowId).put("workflow_kind", kind).put("template_id", Js.str(templateId))
                .put("priority", priority)
                .put("route", JsonObject.builder().put("assigned_role", Js.str(role)).put("assigned_account_id", Js.str(account)).build())
                .put("sla_hours", slaHours).put("sla_due_at", Js.time(due)).put("sla_rule", slaRule)
                .put("existing_status", Js.str(existing == null ? null : existing.status()))
                .build();
    }

    private static JsonArray strings(java.util.Collection<String> values) {
        return JsonArray.of(values.stream().map(s -> (Json) new JsonString(s)).toList());
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw WorkflowError.invalid("limit must be between 1 and " + MAX_LIMIT);
    }
}
