package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.WorkerStatus;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Samples;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Svg;
import org.decisiongraph.server.console.Tones;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * {@code /projections}: projection health with a lag chart over time (in-memory samples), worker status and cursors,
 * open failures with Retry and Resolve (reason required; admin with {@code projection_replay}), and replay / rebuild jobs
 * with their progress. The body re-renders on {@code projection_health} and {@code replay_run} frames.
 */
public final class ProjectionsPage implements ConsolePages {
    static final Requirement FAILURES = Requirement.admin(Permissions.PROJECTION_REPLAY);

    private final Samples samples;

    public ProjectionsPage(Samples samples) {
        this.samples = samples;
    }

    /** One projection: cursor, lag, digest, worker, and its lag chart. */
    public record Row(String projection, long cursor, long pending, String digest, String status, String worker, long openFailures,
                      String lagChart, long maxLag) {
    }

    /** One run with its progress. */
    public record RunRow(RuntimeStore.Run run, int percent, String tone) {
    }

    /** The page's model. */
    public record View(String tenant, Section<List<Row>> rows, long eventLogLastSeq, boolean canAct, Section<List<RuntimeStore.Failure>> failures,
                       Section<List<RunRow>> runs, String flash, String flashKind) {
    }

    @Override
    public void register(Console console) {
        console.nav("Projections", "/projections", Requirement.READER);
        console.page("/projections", Requirement.READER, r -> r.page("projections.jte", "Projection health", view(r, null, null)));
        console.fragment("/console/fragments/projections", Requirement.READER, r -> r.fragment("projections_body.jte", view(r, null, null)));
        console.action("/projections/failures/retry", FAILURES, r -> failureAction(r, true));
        console.action("/projections/failures/resolve", FAILURES, r -> failureAction(r, false));
    }

    View view(PageRequest r, String flash, String flashKind) {
        ProjectionRuntime runtime = r.console().runtime();
        if (runtime == null) {
            String m = "The projection runtime is not running on this server.";
            return new View(r.tenant(), Section.unavailable(m), 0, false, Section.unavailable(m), Section.unavailable(m), flash, flashKind);
        }
        long[] last = {0};
        Section<List<Row>> rows = Section.of(() -> {
            JsonObject h = runtime.health(r.tenant());
            last[0] = org.decisiongraph.server.console.JsonRead.num(h, "event_log_last_seq");
            List<Row> out = new ArrayList<>();
            List<WorkerStatus> workers = runtime.workerStatuses(r.tenant());
            for (var j : h.getArray("projections")) {
                JsonObject p = (JsonObject) j;
                String name = p.getString("projection_name");
                long cursor = org.decisiongraph.server.console.JsonRead.num(p, "last_log_seq");
                long pending = org.decisiongraph.server.console.JsonRead.num(p, "pending_events");
                long failures = org.decisiongraph.server.console.JsonRead.num(p, "open_failures");
                String status = failures > 0 ? "failing" : pending > 0 ? "catching up" : "ready";
                Optional<WorkerStatus> w = workers.stream().filter(x -> x.projection().equals(name)).findFirst();
                List<Double> lag = samples.lag(r.tenant(), name);
                long max = lag.stream().mapToLong(Double::longValue).max().orElse(0);
                out.add(new Row(name, cursor, pending, Tones.shortDigest(org.decisiongraph.server.console.JsonRead.str(p, "digest")), status,
                        w.map(x -> x.status() + " (syncs " + x.syncCount() + ", retries " + x.retryCount() + ")").orElse("not started"),
                        failures, Svg.sparkline(lag, 240, 40), max));
            }
            return out;
        });
        boolean canAct = r.can(FAILURES);
        Section<List<RuntimeStore.Failure>> failures;
        Section<List<RunRow>> runs;
        if (!canAct) {
            String m = "Failures and jobs need the admin role with projection_replay in " + r.tenant() + ".";
            failures = Section.empty(m);
            runs = Section.empty(m);
        } else {
            failures = Section.of(() -> runtime.store().failures(r.tenant(), null, "open").stream().limit(10).toList())
                    .emptyIf(List::isEmpty, "No open projection failures.");
            long eventLast = last[0];
            runs = Section.of(() -> runtime.store().runs(r.tenant()).stream().limit(12).map(x -> runRow(x, eventLast)).toList())
                    .emptyIf(List::isEmpty, "No replay or rebuild jobs yet.");
        }
        return new View(r.tenant(), rows, last[0], canAct, failures, runs, flash, flashKind);
    }

    static RunRow runRow(RuntimeStore.Run run, long eventLast) {
        long end = run.untilLogSeq() != null ? run.untilLogSeq() : Math.max(eventLast, run.lastLogSeq());
        long span = Math.max(1, end - run.sinceLogSeq());
        int pct = "completed".equals(run.status()) ? 100
                : (int) Math.max(0, Math.min(100, (run.lastLogSeq() - run.sinceLogSeq()) * 100 / span));
        return new RunRow(run, pct, Tones.of(run.status()));
    }

    private String failureAction(PageRequest r, boolean retry) {
        String id = r.form("failure_id");
        String reason = r.form("reason");
        String action = retry ? "projection_failure_retry" : "projection_failure_resolve";
        JsonObject details = JsonObject.builder().put("failure_id", id == null ? "" : id).build();
        String flash;
        String kind = "error";
        ProjectionRuntime runtime = r.console().runtime();
        Optional<RuntimeStore.Failure> f = id == null || runtime == null ? Optional.empty()
                : runtime.store().failure(id).filter(x -> x.tenantId().equals(r.tenant()));
        if (reason == null) {
            flash = "A reason is required for projection failure actions.";
            r.audit(action, "rejected", "projection_failure", id, flash, "invalid_argument", details);
        } else if (f.isEmpty()) {
            flash = "Projection failure not found: " + id;
            r.audit(action, "rejected", "projection_failure", id, flash, "not_found", details);
        } else if (!"open".equals(f.get().status())) {
            flash = "Projection failure " + id + " is already resolved";
            r.audit(action, "rejected", "projection_failure", id, flash, "conflict", details);
        } else if (retry) {
            WorkerStatus w = runtime.sync(r.tenant(), f.get().projectionName());
            flash = "Retry started for " + id + " (worker " + w.status() + ")";
            kind = "info";
            r.audit(action, "accepted", "projection_failure", id, reason, null, details);
        } else {
            JsonObject resolution = JsonObject.builder().put("account_id", r.userId()).put("actor_kind", "user").put("reason", reason)
                    .put("request_id", r.requestId()).put("manual", true).build();
            if (runtime.resolveFailure(f.get(), resolution)) {
                flash = "Failure resolved: " + id;
                kind = "info";
                r.audit(action, "accepted", "projection_failure", id, reason, null, details);
            } else {
                flash = "Projection failure " + id + " is already resolved";
                r.audit(action, "rejected", "projection_failure", id, flash, "conflict", details);
            }
        }
        View v = view(r, flash, kind);
        return r.isHtmx() ? r.fragment("projections_body.jte", v) : r.page("projections.jte", "Projection health", v);
    }
}
