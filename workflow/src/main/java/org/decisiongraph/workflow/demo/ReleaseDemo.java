package org.decisiongraph.workflow.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventFiles;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.CatchUpResult;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.log.AppendOutcome;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.InboxQuery;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.sla.SlaSweep;

/**
 * The release demo of platform spec 4.7 ("Enterprise Revenue Exception Control Plane"): the 22 envelopes of
 * §4.7.2 (a resource copied verbatim from the specification), appended through the store's append pipeline,
 * then all projections rebuilt in batches of {@value #REBUILD_BATCH_SIZE}, the workflow projection caught up,
 * one SLA sweep run, and the report of §4.7.3 built.
 *
 * <p>The event log is append-only (no deletes), so there is no tenant reset: a second run is a series of
 * idempotent reuses and appends nothing. Digests are comparable with the reference's only when the events
 * hold {@code log_seq} 1-22, i.e. when seeded into an empty tenant; the report states {@code log_seq_range}.
 */
public final class ReleaseDemo {
    public static final String TENANT = "release-demo";
    public static final String SEED_PROFILE = "phase10_release_demo";
    public static final String PRECEDENT_TRACE = "trace-precedent-renewal-001";
    public static final String INCIDENT_TRACE = "trace-incident-review-003";
    public static final String LIVE_TRACE = "trace-live-renewal-002";
    public static final String PRECEDENT_WORKFLOW = PRECEDENT_TRACE + ":exception:ex-precedent-renewal-001";
    public static final String INCIDENT_EXCEPTION_WORKFLOW = INCIDENT_TRACE + ":exception:ex-incident-review-003";
    public static final String INCIDENT_WORKFLOW = INCIDENT_TRACE + ":trace_review:incident_triage";
    public static final String LIVE_WORKFLOW = LIVE_TRACE + ":exception:ex-live-renewal-002";
    public static final int EVENT_COUNT = 22;
    public static final int REBUILD_BATCH_SIZE = 250;
    /** Seed of the optional background traffic (fixed, so a re-run reuses the same events). */
    public static final long TRAFFIC_SEED = 4_7L;

    private static final String RESOURCE = "release-demo.jsonl";

    private ReleaseDemo() {
    }

    /** The 22 envelopes of spec §4.7.2 in append order (precedent trace, incident trace, live trace). */
    public static List<EventEnvelope> envelopes() {
        try (InputStream in = ReleaseDemo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            List<EventEnvelope> out = new ArrayList<>(EVENT_COUNT);
            try (EventFiles.Reader reader = EventFiles.open(in)) {
                while (reader.hasNext()) {
                    switch (reader.next()) {
                        case EventFiles.Parsed p -> out.add(p.envelope());
                        case EventFiles.Invalid i -> throw new IllegalStateException("invalid demo envelope " + i.location()
                                + ": " + i.error().message());
                    }
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a seeding did. {@code report} is the document of spec §4.7.3 (plus additive keys). */
    public record Result(String tenant, int appended, int reused, int trafficAppended, long firstLogSeq, long lastLogSeq,
                         ProjectionDigests digests, List<CatchUpResult> projectionResults, SlaSweep.TickResult sweep,
                         JsonObject report) {
        /** Whether the demo events hold log_seq 1-22 (digests comparable with the reference's). */
        public boolean referenceComparable() {
            return firstLogSeq == 1 && lastLogSeq == EVENT_COUNT;
        }
    }

    /**
     * Seeds {@code tenant} of {@code db}: appends the 22 envelopes (a rejection — e.g. a tenant holding other
     * events on these traces — throws its {@link DgException} and, the batch being one transaction, writes
     * nothing), then {@code trafficTraces} generated background traces (0 for none), registers the tenant,
     * rebuilds the projections, catches the workflow projection up and runs one SLA sweep at {@code clock}'s now.
     */
    public static Result seed(Database db, String tenant, int trafficTraces, Clock clock, WorkflowConfig config) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(clock, "clock");
        String t = EventLog.normalizeTenant(tenant);
        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, clock);
        List<AppendOutcome> outcomes = log.appendBatch(t, envelopes(), true);
        int appended = 0;
        int reused = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        for (AppendOutcome outcome : outcomes) {
            switch (outcome) {
                case AppendOutcome.Appended a -> appended++;
                case AppendOutcome.Reused r -> reused++;
                case AppendOutcome.Rejected r -> throw r.error();
            }
            StoredEvent e = outcome.eventOrNull();
            first = Math.min(first, e.logSeq());
            last = Math.max(last, e.logSeq());
        }
        int trafficAppended = 0;
        if (trafficTraces > 0) {
            for (AppendOutcome outcome : log.appendBatch(t, TraceGenerator.generate(TraceGenerator.Config.realistic(TRAFFIC_SEED,
                    trafficTraces)), false)) {
                if (outcome instanceof AppendOutcome.Appended) {
                    trafficAppended++;
                }
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        new AccessStore(db).registerImplicitTenant(t, now);
        Projections projections = Projections.open(db, t, clock);
        List<CatchUpResult> results = projections.rebuild(REBUILD_BATCH_SIZE);
        ProjectionDigests digests = projections.digests();
        SlaSweep.TickResult sweep;
        JsonObject inbox;
        Workflows workflows = new Workflows(db, log, clock, config);
        try (workflows) {
            workflows.catchUp(t);
            sweep = workflows.sweep().tick(t, now);
            inbox = inboxReport(workflows, t, now);
        }
        List<String> precedents = projections.queries().findPrecedents(new PrecedentQuery("discount-cap", "2026.03", "account",
                "acct-acme-platform", null, 6)).stream().map(PrecedentHit::traceId).toList();
        WorkflowItem live = workflows.store().item(t, LIVE_WORKFLOW).orElse(null);
        JsonObject report = report(t, log, results, digests, precedents, live, inbox, first, last, appended, reused,
                trafficAppended, sweep);
        return new Result(t, appended, reused, trafficAppended, first, last, digests, results, sweep, report);
    }

    private static JsonObject inboxReport(Workflows workflows, String tenant, Instant now) {
        List<WorkflowItem> items = workflows.store().inbox(tenant, new InboxQuery(null, null, null, null, null, null, null, null,
                false, now, 12, null));
        JsonObject summary = workflows.inbox().summary(tenant, now);
        return JsonObject.builder()
                .put("item_ids", Json.strings(items.stream().map(WorkflowItem::workflowId).toList()))
                .put("open_count", summary.get("open_count"))
                .put("overdue_count", summary.get("overdue_count"))
                .put("escalated_count", summary.get("escalated_count"))
                .build();
    }

    /** The console path of a trace/workflow pair: {@code /?tenant=<tenant>&trace_id=<trace>&workflow_id=<workflow>}. */
    public static String consolePath(String tenant, String traceId, String workflowId) {
        return "/?tenant=" + tenant + "&trace_id=" + traceId + "&workflow_id=" + workflowId;
    }

    private static JsonObject report(String tenant, EventLog log, List<CatchUpResult> results, ProjectionDigests digests,
                                     List<String> precedents, WorkflowItem live, JsonObject inbox, long first, long last,
                                     int appended, int reused, int traffic, SlaSweep.TickResult sweep) {
        JsonObject apiExamples = JsonObject.builder()
                .put("export_workflow_path", "/api/v1/admin/workflows/" + INCIDENT_WORKFLOW + "/export")
                .put("projection_health_path", "/api/v1/projections/health")
                .put("recent_workflows_path", "/api/v1/workflows")
                .put("selected_trace_path", "/api/v1/traces/" + LIVE_TRACE)
                .build();
        JsonObject consolePaths = JsonObject.builder()
                .put("default", consolePath(tenant, LIVE_TRACE, LIVE_WORKFLOW))
                .put("incident_review", consolePath(tenant, INCIDENT_TRACE, INCIDENT_WORKFLOW))
                .build();
        long alerts = ((org.decisiongraph.core.json.JsonInt) inbox.get("escalated_count")).longValue()
                + ((org.decisiongraph.core.json.JsonInt) inbox.get("overdue_count")).longValue();
        JsonObject snapshot = JsonObject.builder().put("alert_count", alerts)
                .put("selected_trace_id", LIVE_TRACE).put("selected_workflow_id", LIVE_WORKFLOW).build();
        JsonArray highlighted = JsonArray.of(List.of(
                highlight("Approved precedent", PRECEDENT_TRACE, PRECEDENT_WORKFLOW),
                highlight("Live exception review", LIVE_TRACE, LIVE_WORKFLOW),
                highlight("Incident review", INCIDENT_TRACE, INCIDENT_WORKFLOW)));
        JsonObject liveTrace = JsonObject.builder()
                .put("event_count", log.traceEvents(tenant, LIVE_TRACE).size())
                .put("precedent_trace_ids", Json.strings(precedents))
                .put("trace_id", LIVE_TRACE)
                .put("workflow_id", LIVE_WORKFLOW)
                .put("workflow_status", live == null ? null : live.status())
                .build();
        JsonArray projectionResults = JsonArray.of(results.stream().map(r -> (Json) JsonObject.builder()
                .put("projection", r.projection().wireName())
                .put("last_log_seq", r.lastLogSeq())
                .put("processed_events", r.processedEvents())
                .put("pending_events", r.pendingEvents())
                .build()).toList());
        JsonObject workflowInbox = JsonObject.builder().put("item_ids", inbox.get("item_ids"))
                .put("open_count", inbox.get("open_count")).put("overdue_count", inbox.get("overdue_count")).build();
        return JsonObject.builder()
                .put("api_examples", apiExamples)
                .put("appended_count", appended)
                .put("console_paths", consolePaths)
                .put("console_snapshot", snapshot)
                .put("event_count", log.eventCount(tenant))
                .put("highlighted_traces", highlighted)
                .put("live_trace", liveTrace)
                .put("log_seq_range", JsonObject.builder().put("first", first).put("last", last)
                        .put("reference_comparable", first == 1 && last == EVENT_COUNT).build())
                .put("precedent_trace_id", PRECEDENT_TRACE)
                .put("projection_digests", digests.toJson())
                .put("projection_results", projectionResults)
                .put("recent_trace_ids", Json.strings(List.of(LIVE_TRACE, INCIDENT_TRACE, PRECEDENT_TRACE)))
                .put("reused_count", reused)
                .put("review_workflow", INCIDENT_WORKFLOW)
                .put("seed_profile", SEED_PROFILE)
                .put("sla_sweep", JsonObject.builder().put("examined", sweep.examined()).put("warned", sweep.warned())
                        .put("escalated", sweep.escalated()).build())
                .put("tenant_id", tenant)
                .put("traffic_events_appended", traffic)
                .put("workflow_inbox", workflowInbox)
                .build();
    }

    private static JsonObject highlight(String label, String traceId, String workflowId) {
        return JsonObject.builder().put("label", label).put("trace_id", traceId).put("workflow_id", workflowId).build();
    }
}
