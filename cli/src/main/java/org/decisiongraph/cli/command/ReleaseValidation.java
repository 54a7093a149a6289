package org.decisiongraph.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/**
 * The release checks of platform spec 7.8 against a running service: seeds the 22 demo envelopes of spec 4.7.2
 * (idempotent: a second run reuses them), then runs {@code healthz}, {@code console_html}, {@code projection_health},
 * {@code trace_read}, {@code workflow_list}, {@code workflow_export} and {@code replay_round_trip} with the reference's
 * criteria, and builds the report with the reference's keys. A check never throws: its failure is its detail.
 */
final class ReleaseValidation {
    static final List<String> CHECKS = List.of("healthz", "console_html", "projection_health", "trace_read",
            "workflow_list", "workflow_export", "replay_round_trip");
    static final String LIVE_TRACE = "trace-live-renewal-002";
    static final String LIVE_WORKFLOW = "trace-live-renewal-002:exception:ex-live-renewal-002";
    static final String INCIDENT_WORKFLOW = "trace-incident-review-003:trace_review:incident_triage";
    static final String REPLAY_REASON = "phase10 release validation";
    static final Duration HTTP_TIMEOUT = Duration.ofMillis(5000);
    private static final List<String> OPEN_STATUSES = List.of("requested", "in_review", "escalated", "needs_info");

    private final DgClient client;
    private final URI base;
    private final String token;
    private final String tenant;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    ReleaseValidation(DgClient client, URI base, String token, String tenant, Clock clock) {
        this.client = client;
        this.base = base;
        this.token = token;
        this.tenant = tenant;
        this.clock = clock;
    }

    /** One check's outcome. */
    record Check(String name, boolean passed, String detail, JsonObject metadata) {
        JsonObject json() {
            return JsonObject.builder().put("name", name).put("status", passed ? "passed" : "failed")
                    .put("detail", detail).put("metadata", metadata).build();
        }
    }

    /** The report: its JSON with the reference's keys, and whether every check passed. */
    record Report(JsonObject json, List<JsonObject> checks, boolean success) {
        String markdown() {
            StringBuilder md = new StringBuilder("## DecisionGraph release validation\n\n| check | status | detail |\n|---|---|---|\n");
            for (JsonObject c : checks) {
                md.append("| ").append(c.getString("name")).append(" | ").append(c.getString("status")).append(" | ")
                        .append(c.getString("detail").replace("|", "\\|")).append(" |\n");
            }
            md.append("\nResult: ").append(success ? "passed" : "FAILED").append("\n");
            return md.toString();
        }
    }

    /** The 22 envelopes of the release demo (platform spec 4.7.2), in append order. */
    static List<JsonObject> demoEvents() {
        return org.decisiongraph.workflow.demo.ReleaseDemo.envelopes().stream()
                .map(org.decisiongraph.core.event.EnvelopeJson::toJson).toList();
    }

    Report run() {
        String capturedAt = Timestamps.toRfc3339(clock.instant());
        List<Check> checks = new ArrayList<>();
        Check health = guard("healthz", this::healthz);
        checks.add(health);
        String seedError;
        try {
            seedError = seed();
        } catch (RuntimeException e) {
            seedError = "seeding failed: " + describe(e);
        }
        checks.add(guard("console_html", this::consoleHtml));
        checks.add(guard("projection_health", this::projectionHealth));
        checks.add(guard("trace_read", this::traceRead));
        checks.add(guard("workflow_list", this::workflowList));
        checks.add(guard("workflow_export", this::workflowExport));
        checks.add(guard("replay_round_trip", this::replayRoundTrip));
        boolean success = checks.stream().allMatch(Check::passed);
        List<JsonObject> checkJson = checks.stream().map(Check::json).toList();
        String env = health.metadata().getString("deployment_env");
        JsonObject json = JsonObject.builder()
                .put("captured_at", capturedAt)
                .put("checks", Json.array(checkJson))
                .put("endpoint", base.toString().replaceAll("/$", ""))
                .put("release_candidate", releaseVersion())
                .put("seeded_demo", seedError == null)
                .put("seed_error", Json.ofNullable(seedError))
                .put("success?", success)
                .put("topology", JsonObject.builder()
                        .put("database", Json.ofNullable(health.metadata().getString("database")))
                        .put("mix_env", Json.ofNullable(env))
                        .put("port", base.getPort() < 0 ? Json.ofNullable(null) : Json.of(base.getPort()))
                        .put("seed_mode", "reuse")
                        .put("skip_rebuild", true)
                        .put("tenant_id", tenant)
                        .build())
                .build();
        return new Report(json, checkJson, success);
    }

    static String releaseVersion() {
        String v = ReleaseValidation.class.getPackage().getImplementationVersion();
        return "v" + (v == null ? "0.1.0" : v);
    }

    // --- seeding ----------------------------------------------------------------------------------

    /** Appends the demo events (idempotent); null when every event was appended or reused, else why not. */
    private String seed() {
        try {
            List<JsonObject> results = client.appendAll(demoEvents());
            for (JsonObject r : results) {
                if ("rejected".equals(r.getString("outcome")) || "skipped".equals(r.getString("outcome"))) {
                    return "demo event " + r.get("index") + " was " + r.getString("outcome") + ": " + r.get("error");
                }
            }
            return null;
        } catch (DgApiException e) {
            return "seeding failed: HTTP " + e.status() + " " + e.apiMessage();
        }
    }

    // --- the seven checks -------------------------------------------------------------------------

    private Check healthz() {
        JsonObject.Builder meta = JsonObject.builder();
        try {
            HttpResponse<String> r = get("/api/healthz", Map.of("Authorization", "Bearer " + token));
            meta.put("status_code", r.statusCode());
            JsonObject body = parse(r.body());
            String env = body.getString("deployment_env");
            meta.put("deployment_env", Json.ofNullable(env));
            JsonObject store = body.get("store") instanceof JsonObject s ? s : JsonObject.empty();
            meta.put("database", Json.ofNullable(store.get("database") instanceof Json d && !(d instanceof org.decisiongraph.core.json.JsonNull)
                    ? store.getString("database") : null));
            boolean repo = Json.of(true).equals(store.get("repo_started?"));
            if (r.statusCode() != 200) {
                return new Check("healthz", false, "GET /api/healthz answered " + r.statusCode(), meta.build());
            }
            if (!repo) {
                return new Check("healthz", false, "healthz does not report repo_started? = true", meta.build());
            }
            return new Check("healthz", true, "healthz 200, repo started (" + env + ")", meta.build());
        } catch (RuntimeException e) {
            return new Check("healthz", false, "GET /api/healthz failed: " + e.getMessage(), meta.build());
        }
    }

    /** The console page: {@code GET /} (following redirects to the login page) renders HTML. */
    private Check consoleHtml() {
        JsonObject.Builder meta = JsonObject.builder();
        try {
            String path = "/";
            for (int hop = 0; hop < 5; hop++) {
                HttpResponse<String> r = get(path, Map.of("Accept", "text/html"));
                meta.put("status_code", r.statusCode()).put("path", path);
                if (r.statusCode() / 100 == 3 && r.headers().firstValue("Location").isPresent()) {
                    path = URI.create(path).resolve(r.headers().firstValue("Location").get()).toString();
                    continue;
                }
                String type = r.headers().firstValue("Content-Type").orElse("");
                boolean html = type.toLowerCase(Locale.ROOT).startsWith("text/html")
                        && r.body().toLowerCase(Locale.ROOT).contains("<html");
                if (r.statusCode() == 200 && html) {
                    return new Check("console_html", true, "console page " + path + " renders HTML", meta.build());
                }
                return new Check("console_html", false, "GET " + path + " answered " + r.statusCode() + " (" + type
                        + "), not the console HTML", meta.build());
            }
            return new Check("console_html", false, "too many redirects from /", meta.build());
        } catch (RuntimeException e) {
            return new Check("console_html", false, "GET / failed: " + e.getMessage(), meta.build());
        }
    }

    /** All projections caught up ({@code pending_events == 0}, not stale); waits up to 150 × 20 ms for the workers. */
    private Check projectionHealth() {
        JsonObject last = null;
        try {
            for (int attempt = 0; attempt < 150; attempt++) {
                last = client.projectionHealth().data();
                if (caughtUp(last)) {
                    return new Check("projection_health", true, "all projections caught up at log_seq "
                            + last.get("event_log_last_seq"), JsonObject.builder().put("health", last).build());
                }
                sleep(20);
            }
            return new Check("projection_health", false, "projections still pending or stale",
                    JsonObject.builder().put("health", last).build());
        } catch (DgApiException e) {
            return failed("projection_health", "GET /api/v1/projections/health", e);
        }
    }

    private static boolean caughtUp(JsonObject health) {
        JsonArray ps = health.getArray("projections");
        if (ps == null || ps.isEmpty()) {
            return false;
        }
        for (Json p : ps) {
            JsonObject o = (JsonObject) p;
            if (!Json.of(0).equals(o.get("pending_events")) || !Json.of(false).equals(o.get("is_stale"))) {
                return false;
            }
        }
        return true;
    }

    /** The live trace reads back with as many events as were seeded for it. */
    private Check traceRead() {
        long expected = demoEvents().stream().filter(e -> LIVE_TRACE.equals(e.getString("trace_id"))).count();
        try {
            JsonObject data = client.trace(LIVE_TRACE).data();
            int events = data.getArray("events").size();
            Json summaryCount = data.getObject("summary") == null ? null : data.getObject("summary").get("event_count");
            JsonObject meta = JsonObject.builder().put("trace_id", LIVE_TRACE).put("expected_events", expected)
                    .put("events", events).put("summary_event_count", summaryCount == null ? Json.ofNullable(null) : summaryCount)
                    .build();
            // summary.event_count counts TraceStarted/TraceFinished only (projections spec), so the events are compared
            boolean ok = events == expected && data.getObject("summary") != null;
            return new Check("trace_read", ok, ok ? "trace " + LIVE_TRACE + " has " + events + " events"
                    : "trace " + LIVE_TRACE + " has " + events + " events, expected " + expected + " and a summary", meta);
        } catch (DgApiException e) {
            return failed("trace_read", "GET /api/v1/traces/" + LIVE_TRACE, e);
        }
    }

    /** Both seeded open items are in the inbox with an open status. */
    private Check workflowList() {
        try {
            JsonArray items = client.workflowInbox(Map.of("limit", "200")).data().getArray("items");
            List<String> open = new ArrayList<>();
            for (Json i : items) {
                JsonObject o = (JsonObject) i;
                if (OPEN_STATUSES.contains(o.getString("status"))) {
                    open.add(o.getString("workflow_id"));
                }
            }
            List<String> missing = new ArrayList<>();
            for (String id : List.of(LIVE_WORKFLOW, INCIDENT_WORKFLOW)) {
                if (!open.contains(id)) {
                    missing.add(id);
                }
            }
            JsonObject meta = JsonObject.builder().put("open_workflow_ids", Json.strings(open))
                    .put("expected", Json.strings(List.of(LIVE_WORKFLOW, INCIDENT_WORKFLOW))).build();
            return missing.isEmpty() ? new Check("workflow_list", true, "both seeded open items listed", meta)
                    : new Check("workflow_list", false, "open items missing from the inbox: " + String.join(", ", missing), meta);
        } catch (DgApiException e) {
            return failed("workflow_list", "GET /api/v1/workflows", e);
        }
    }

    /** The incident review item exports. */
    private Check workflowExport() {
        try {
            JsonObject data = client.workflowExport(INCIDENT_WORKFLOW).data();
            String text = data.toString();
            boolean ok = text.contains(INCIDENT_WORKFLOW);
            return new Check("workflow_export", ok, ok ? "export of " + INCIDENT_WORKFLOW + " returned"
                    : "export does not name " + INCIDENT_WORKFLOW, JsonObject.builder().put("workflow_id", INCIDENT_WORKFLOW)
                    .put("keys", Json.strings(new ArrayList<>(data.keys()))).build());
        } catch (DgApiException e) {
            return failed("workflow_export", "GET /api/v1/admin/workflows/" + INCIDENT_WORKFLOW + "/export", e);
        }
    }

    /** A {@code catch_up} of {@code trace_summary} is admitted and completes (polled 150 × 20 ms). */
    private Check replayRoundTrip() {
        try {
            JsonObject run = client.startReplay("catch_up", "trace_summary", REPLAY_REASON).data().getObject("run");
            String jobId = run.getString("job_id");
            String status = run.getString("status");
            for (int attempt = 0; attempt < 150 && !terminal(status); attempt++) {
                sleep(20);
                run = client.replay(jobId).data().getObject("run");
                status = run.getString("status");
            }
            JsonObject meta = JsonObject.builder().put("job_id", jobId).put("status", status).put("run", run).build();
            return "completed".equals(status)
                    ? new Check("replay_round_trip", true, "catch_up trace_summary " + jobId + " completed", meta)
                    : new Check("replay_round_trip", false, "catch_up trace_summary " + jobId + " ended " + status, meta);
        } catch (DgApiException e) {
            return failed("replay_round_trip", "catch_up trace_summary", e);
        }
    }

    private static boolean terminal(String status) {
        return List.of("completed", "failed", "cancelled").contains(status);
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** Runs one check; an unexpected answer shape or transport error fails that check (with its cause), never the run. */
    private static Check guard(String name, java.util.function.Supplier<Check> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return new Check(name, false, name + " failed unexpectedly: " + describe(e),
                    JsonObject.builder().put("exception", e.getClass().getName()).build());
        }
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        StackTraceElement[] at = e.getStackTrace();
        if (at.length > 0) {
            s.append(" at ").append(at[0]);
        }
        return s.toString();
    }

    private static Check failed(String name, String what, DgApiException e) {
        return new Check(name, false, what + " failed: HTTP " + e.status() + " " + e.apiCode() + " " + e.apiMessage(),
                JsonObject.builder().put("status_code", e.status()).put("code", Json.ofNullable(e.apiCode())).build());
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(HTTP_TIMEOUT).GET();
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonObject parse(String body) {
        try {
            return JsonParser.parse(body) instanceof JsonObject o ? o : JsonObject.empty();
        } catch (RuntimeException e) {
            return JsonObject.empty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
