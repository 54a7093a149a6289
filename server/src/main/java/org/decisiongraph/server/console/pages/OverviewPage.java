package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Alert;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.JsonRead;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.PanelState;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Samples;
import org.decisiongraph.server.console.Tones;
import org.decisiongraph.workflow.Workflows;

/**
 * {@code /} — the overview: alerts first, summary cards, projection health (cursor, lag, digest per projection),
 * event rate and open reviews / SLA breaches. The body is one fragment re-rendered on {@code event_appended},
 * {@code projection_health} and {@code replay_run} frames. {@code /?trace_id=} deep links of the reference's demo
 * report go to the trace explorer.
 */
public final class OverviewPage implements ConsolePages {
    private final Samples samples;

    public OverviewPage(Samples samples) {
        this.samples = samples;
    }

    /** One projection row of the health table. */
    public record HealthRow(String projection, long cursor, long pending, String digest, String fullDigest, long openFailures,
                            String status) {
    }

    /** The overview's model. */
    public record View(String tenant, String stateChip, List<Alert> alerts, PanelState healthState, List<HealthRow> rows,
                       String fullDigest, long eventLogLastSeq, int openRuns, long openFailures, long pendingEvents,
                       int staleCount, PanelState reviewState, long openReviews, long overdueReviews, String eventRate,
                       String rateSparkline, org.decisiongraph.server.console.Section<List<org.decisiongraph.store.readmodel.TraceIndex.Row>> recent) {
        public String traceHref(String traceId) {
            return org.decisiongraph.server.console.Urls.of("/trace", "tenant", tenant, "trace_id", traceId);
        }
    }

    @Override
    public void register(Console console) {
        console.nav("Overview", "/", Requirement.READER);
        console.page("/", Requirement.READER, r -> {
            String trace = r.query("trace_id");
            if (trace != null) {
                r.redirect(org.decisiongraph.server.console.Urls.of("/trace", "tenant", r.tenant(), "trace_id", trace));
                return null;
            }
            return r.page("overview.jte", "Overview", view(r));
        });
        console.fragment("/console/fragments/overview", Requirement.READER, r -> r.fragment("overview_body.jte", view(r)));
    }

    View view(PageRequest r) {
        String tenant = r.tenant();
        List<Alert> alerts = new ArrayList<>();
        ProjectionRuntime runtime = r.console().runtime();
        PanelState healthState = PanelState.READY;
        List<HealthRow> rows = new ArrayList<>();
        String full = null;
        long last = 0;
        int openRuns = 0;
        long failures = 0;
        long pending = 0;
        int stale = 0;
        if (runtime == null) {
            healthState = PanelState.unavailable("The projection runtime is not running on this server.");
        } else {
            try {
                JsonObject h = runtime.health(tenant);
                last = JsonRead.num(h, "event_log_last_seq");
                full = h.get("full_digest") instanceof org.decisiongraph.core.json.JsonString s ? s.value() : null;
                openRuns = h.getArray("open_runs").size();
                for (Json j : h.getArray("projections")) {
                    JsonObject p = (JsonObject) j;
                    long f = JsonRead.num(p, "open_failures");
                    long pend = JsonRead.num(p, "pending_events");
                    String status = f > 0 ? "failing" : JsonRead.bool(p, "is_stale") ? (pend > 0 ? "catching up" : "stale") : "ready";
                    String digest = p.get("digest") instanceof org.decisiongraph.core.json.JsonString s ? s.value() : null;
                    rows.add(new HealthRow(p.getString("projection_name"), JsonRead.num(p, "last_log_seq"), pend, Tones.shortDigest(digest),
                            digest, f, status));
                    failures += f;
                    pending += pend;
                    if (JsonRead.bool(p, "is_stale")) {
                        stale++;
                    }
                }
                if (last == 0) {
                    healthState = PanelState.empty("No events yet for tenant " + tenant + ". Append events over the API or run dg import.");
                }
            } catch (RuntimeException e) {
                healthState = PanelState.unavailable(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        if (!r.session().hasPermission(tenant, Permissions.PROJECTION_REPLAY) && !r.session().hasPermission(tenant, Permissions.PROJECTION_REBUILD)) {
            alerts.add(new Alert("info", "Replay actions disabled", "Your role in " + tenant + " cannot start replays or rebuilds."));
        }
        if (failures > 0) {
            alerts.add(new Alert("alert", "Projection failures need review", failures + " open failures need review before replaying."));
        }
        if (stale > 0) {
            alerts.add(new Alert("warn", "Projection lag detected", stale + " projections are still catching up with the event log."));
        }
        PanelState reviewState = PanelState.READY;
        long open = 0;
        long overdue = 0;
        Workflows wf = r.console().workflows();
        if (wf == null) {
            reviewState = PanelState.unavailable("The workflow runtime is not running on this server.");
        } else {
            try {
                // the item table's counts only (the inbox summary would also count the log behind the workflow cursor)
                var c = wf.store().counts(tenant, r.services().clock().instant());
                open = org.decisiongraph.workflow.Statuses.OPEN.stream().mapToLong(c::status).sum();
                overdue = c.overdueCount();
                if (overdue > 0) {
                    alerts.add(new Alert("alert", "Workflow SLA risk detected", overdue + " workflow items are overdue."));
                }
            } catch (RuntimeException e) {
                reviewState = PanelState.unavailable(e.getMessage() == null ? e.toString() : e.getMessage());
                alerts.add(new Alert("warn", "Workflow inbox degraded", reviewState.message()));
            }
        }
        String chip = runtime == null || healthState.kind().equals("unavailable") ? "unavailable"
                : failures > 0 ? "operator attention" : stale > 0 ? "catching up" : "healthy";
        Samples.Rate rate = samples.rate(tenant);
        var recent = runtime == null
                ? org.decisiongraph.server.console.Section.<List<org.decisiongraph.store.readmodel.TraceIndex.Row>>unavailable(
                        "The projection runtime is not running on this server.")
                : org.decisiongraph.server.console.Section.of(() -> {
                    runtime.queries(tenant).requireFresh(org.decisiongraph.store.readmodel.ProjectionName.TRACE_SUMMARY);
                    return new org.decisiongraph.store.readmodel.TraceIndex(r.services().db())
                            .page(tenant, org.decisiongraph.store.readmodel.TraceIndex.Filter.NONE, null, null, 8, 8).rows();
                }).emptyIf(List::isEmpty, "No traces yet.");
        return new View(tenant, chip, alerts, healthState, rows, full, last, openRuns, failures, pending, stale, reviewState,
                open, overdue, rate.label(), rate.sparkline(), recent);
    }
}
