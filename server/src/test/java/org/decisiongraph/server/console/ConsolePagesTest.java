package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.AppendHook;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionHealthSource;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every console page over plain HTTP with the golden data: content, empty, stale and unavailable states, actions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePagesTest {
    static final String TRACE = "dddddddd-dddd-dddd-dddd-dddddddddddd";
    private ConsoleHarness h;
    private ConsoleHarness.Browser admin;
    private ConsoleHarness.Browser reader;

    @BeforeAll
    void start() throws Exception {
        h = new ConsoleHarness(Clock.systemUTC());
        h.seed(ConsoleHarness.TENANT_A);
        admin = h.loggedIn("admin-a");
        reader = h.loggedIn("reader-a");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private String page(ConsoleHarness.Browser b, String path) throws Exception {
        HttpResponse<String> r = b.get(path);
        assertThat(r.statusCode()).as(path + "\n" + r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("data-state=\"unavailable\"");
        return r.body();
    }

    @Test
    void overviewShowsHealthDigestsAndNoAlertsWhenCaughtUp() throws Exception {
        String html = page(admin, "/?tenant=tenant-a");
        assertThat(html).contains("data-projection=\"context_graph\"").contains("data-projection=\"trace_summary\"")
                .contains("data-projection=\"precedent_index\"").contains("healthy").contains("sha256:");
        assertThat(html).doesNotContain("Replay actions disabled");
        assertThat(page(reader, "/?tenant=tenant-a")).contains("Replay actions disabled");
    }

    @Test
    void traceIndexFiltersAndPages() throws Exception {
        String all = page(admin, "/traces?tenant=tenant-a");
        assertThat(all.split("class=\"trace-row\"").length - 1).isEqualTo(5);
        String filtered = page(admin, "/traces?tenant=tenant-a&event_type=ExceptionRequested");
        int n = filtered.split("class=\"trace-row\"").length - 1;
        assertThat(n).isBetween(1, 4);
        String none = new String(admin.get("/traces?tenant=tenant-a&workflow=no-such-workflow").body());
        assertThat(none).contains("No trace matches the filters.");
        String byPolicy = page(admin, "/traces?tenant=tenant-a&policy_id=no_such_policy");
        assertThat(byPolicy).contains("No trace matches the filters.");
    }

    @Test
    void traceIndexPagesByCursorAndBoundsFilteredScans() {
        var index = new org.decisiongraph.store.readmodel.TraceIndex(h.db);
        var none = org.decisiongraph.store.readmodel.TraceIndex.Filter.NONE;
        java.util.List<String> seen = new java.util.ArrayList<>();
        Long seq = null;
        String id = null;
        do {
            var p = index.page("tenant-a", none, seq, id, 2, 100);
            p.rows().forEach(r -> seen.add(r.traceId()));
            seq = p.nextLogSeq();
            id = p.nextTraceId();
        } while (seq != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        var all = index.page("tenant-a", none, null, null, 10, 100).rows();
        assertThat(all).extracting(org.decisiongraph.store.readmodel.TraceIndex.Row::lastLogSeq).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // a filter that matches only the oldest trace, with a window of 2: the first page is empty but continues
        String oldest = all.getLast().workflow();
        var filter = new org.decisiongraph.store.readmodel.TraceIndex.Filter(oldest, null, null, null, null, null, null, null);
        var first = index.page("tenant-a", filter, null, null, 10, 2);
        assertThat(first.rows()).isEmpty();
        assertThat(first.examined()).isEqualTo(2);
        assertThat(first.nextLogSeq()).isNotNull();
        java.util.List<String> found = new java.util.ArrayList<>();
        var p = first;
        while (p.nextLogSeq() != null) {
            p = index.page("tenant-a", filter, p.nextLogSeq(), p.nextTraceId(), 10, 2);
            p.rows().forEach(r -> found.add(r.traceId()));
        }
        assertThat(found).containsExactly(all.getLast().traceId());
    }

    @Test
    void traceExplorerShowsTimelineHandoffAndReview() throws Exception {
        String html = page(admin, "/trace?tenant=tenant-a&trace_id=" + TRACE);
        assertThat(html).contains("id=\"timeline\"").contains("TraceStarted").contains("trace=" + TRACE).contains("sha256:")
                .contains("id=\"review\"");
        HttpResponse<String> missing = admin.get("/trace?tenant=tenant-a&trace_id=nope");
        assertThat(missing.statusCode()).isEqualTo(200);
        assertThat(missing.body()).contains("data-state=\"empty\"").contains("Trace not found");
        HttpResponse<String> deepLink = admin.get("/?tenant=tenant-a&trace_id=" + TRACE);
        assertThat(deepLink.statusCode()).isEqualTo(302);
        assertThat(deepLink.headers().firstValue("Location").orElseThrow()).isEqualTo("/trace?tenant=tenant-a&trace_id=" + TRACE);
    }

    @Test
    void graphIsDrawnAsSvgWithClickableNodes() throws Exception {
        String html = page(admin, "/graph?tenant=tenant-a&trace_id=" + TRACE + "&depth=2");
        assertThat(html).contains("<svg").contains("id=\"graph-svg\"").contains("data-node=\"trace:" + TRACE + "\"")
                .contains("class=\"edge\"");
        String filtered = page(admin, "/graph?tenant=tenant-a&node=trace:" + TRACE + "&node_types=policy&depth=1");
        assertThat(filtered).contains("<svg");
        assertThat(page(admin, "/graph?tenant=tenant-a")).contains("Pick a trace for graph context");
    }

    @Test
    void precedentsAndComparison() throws Exception {
        String html = page(admin, "/precedents?tenant=tenant-a&trace_id=" + TRACE);
        assertThat(html).contains("id=\"precedents\"");
        String cmp = page(admin, "/precedents/compare?tenant=tenant-a&a=" + TRACE + "&b=aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(cmp).contains("data-diff=\"workflow\"").contains("data-diff=\"outcome\"");
    }

    @Test
    void projectionsAndStreamPages() throws Exception {
        assertThat(page(admin, "/projections?tenant=tenant-a")).contains("Lag over time").contains("<svg class=\"spark\"");
        assertThat(page(reader, "/projections?tenant=tenant-a")).contains("need the admin role");
        String stream = page(reader, "/stream?tenant=tenant-a");
        assertThat(stream).contains("data-log-seq=\"40\"").contains("TraceFinished");
    }

    @Test
    void replayConsoleChecksTheTypedConfirmationAndAudits() throws Exception {
        String html = page(admin, "/replay?tenant=tenant-a");
        String csrf = ConsoleHarness.Browser.csrf(html);
        HttpResponse<String> noReason = admin.post("/replay", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "trace_summary",
                "mode", "catch_up", "confirm_text", "CATCH_UP TRACE_SUMMARY"), null);
        assertThat(noReason.statusCode()).isEqualTo(200);
        assertThat(noReason.body()).contains("Replay reason is required.");
        HttpResponse<String> wrongPhrase = admin.post("/replay", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "trace_summary",
                "mode", "catch_up", "reason", "check", "confirm_text", "catch_up trace"), null);
        assertThat(wrongPhrase.body()).contains("Type the exact confirmation phrase before queueing the replay.");
        HttpResponse<String> ok = admin.post("/replay", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "trace_summary",
                "mode", "catch_up", "reason", "console test", "confirm_text", "CATCH_UP TRACE_SUMMARY", "request_id", "replay-console-t1"), null);
        assertThat(ok.body()).contains("Replay queued: ");
        HttpResponse<String> again = admin.post("/replay", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "trace_summary",
                "mode", "catch_up", "reason", "console test", "confirm_text", "CATCH_UP TRACE_SUMMARY", "request_id", "replay-console-t1"), null);
        assertThat(again.body()).contains("already submitted");
        List<AuditEntry> audit = h.server.services().access().queryAudit(
                new AuditQuery("tenant-a", "start_replay", null, "admin-a", null, null, null, null, null, 100));
        assertThat(audit).extracting(e -> e.record().outcome()).contains("accepted", "rejected");
        assertThat(audit).allSatisfy(e -> assertThat(e.record().actorKind()).isEqualTo("user"));
    }

    @Test
    void digestVerificationFromTheConsoleMatchesAllFourDigests() throws Exception {
        String csrf = ConsoleHarness.Browser.csrf(page(admin, "/replay?tenant=tenant-a"));
        HttpResponse<String> started = admin.post("/replay/verify", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "all",
                "reason", "console check"), null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("Digest verification started: verify-");
        long deadline = System.nanoTime() + 30_000_000_000L;
        String html = "";
        while (System.nanoTime() < deadline) {
            html = page(admin, "/replay?tenant=tenant-a");
            if (html.contains(">passed<") || html.contains(">failed<")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(html).contains(">passed<");
        assertThat(html.split("<tr data-digest=").length - 1).isEqualTo(4);
        assertThat(html).doesNotContain(">mismatch<");
    }

    @Test
    void failureActionsNeedAReasonAndAnOpenFailureAndAreAudited() throws Exception {
        String csrf = ConsoleHarness.Browser.csrf(page(admin, "/projections?tenant=tenant-a"));
        HttpResponse<String> noReason = admin.post("/projections/failures/resolve", Map.of("_csrf", csrf, "tenant", "tenant-a",
                "failure_id", "f-1"), null);
        assertThat(noReason.body()).contains("A reason is required for projection failure actions.");
        HttpResponse<String> unknown = admin.post("/projections/failures/retry", Map.of("_csrf", csrf, "tenant", "tenant-a",
                "failure_id", "f-unknown", "reason", "try again"), null);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).contains("Projection failure not found: f-unknown");
        assertThat(h.server.services().access().queryAudit(new AuditQuery("tenant-a", "projection_failure_retry", "rejected",
                "admin-a", null, null, null, null, null, 10))).hasSize(1);
        String readerCsrf = ConsoleHarness.Browser.csrf(page(reader, "/projections?tenant=tenant-a"));
        assertThat(reader.post("/projections/failures/retry", Map.of("_csrf", readerCsrf, "tenant", "tenant-a",
                "failure_id", "f-unknown", "reason", "x"), null).statusCode()).isEqualTo(403);
    }

    @Test
    void aReaderCannotAct() throws Exception {
        String csrf = ConsoleHarness.Browser.csrf(page(reader, "/replay?tenant=tenant-a"));
        HttpResponse<String> r = reader.post("/replay", Map.of("_csrf", csrf, "tenant", "tenant-a", "projection", "all",
                "mode", "catch_up", "reason", "x", "confirm_text", "CATCH_UP ALL"), null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("User role is not allowed");
        assertThat(page(reader, "/replay?tenant=tenant-a")).doesNotContain("id=\"replay-form\"");
    }

    @Test
    void anEmptyTenantShowsEmptyStates() throws Exception {
        ConsoleHarness.Browser b = h.loggedIn("admin-b");
        assertThat(page(b, "/?tenant=tenant-b")).contains("No events yet for tenant tenant-b");
        assertThat(page(b, "/traces?tenant=tenant-b")).contains("No traces yet for tenant tenant-b.");
        assertThat(page(b, "/stream?tenant=tenant-b")).contains("data-state=\"empty\"");
        assertThat(page(b, "/replay?tenant=tenant-b")).contains("No replay runs yet.");
    }

    @Test
    void staleProjectionsAndAMissingRuntimeShowTheirStates() throws Exception {
        Database db = Database.sqlite(TestDatabases.newSqlitePath());
        ProjectionRuntime idle = ProjectionRuntime.create(db, RuntimeSettings.DEFAULTS, Clock.systemUTC(),
                org.decisiongraph.core.event.IdGenerator.RANDOM_UUID); // never started: nothing projects
        Console stale = new Console(ConsoleConfig.defaults(false), idle, null, null,
                ConsoleExtension.standardPages(new Samples(null, Clock.systemUTC(), java.time.Duration.ofSeconds(5)), false));
        try (DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test"), Clock.systemUTC(),
                new DgServer.Extensions(List.of(stale), List.<AppendHook>of(), ProjectionHealthSource.NONE)).start()) {
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            for (var e : ConsoleHarness.goldenEvents().subList(0, 3)) {
                log.append("tenant-a", org.decisiongraph.core.event.EnvelopeJson.fromJson(e));
            }
            new ConsoleAccounts(db, new PasswordHasher(1024, 1, 1), Clock.systemUTC())
                    .create("ops", null, ConsoleHarness.PASSWORD, "tenant-a", List.of("admin"), List.of());
            ConsoleHarness.Browser b = new ConsoleHarness.Browser(java.net.URI.create("http://127.0.0.1:" + server.port()));
            assertThat(b.login("ops", ConsoleHarness.PASSWORD).statusCode()).isEqualTo(303);
            String overview = b.get("/?tenant=tenant-a").body();
            assertThat(overview).contains("Projection lag detected").contains("catching up");
            String trace = b.get("/trace?tenant=tenant-a&trace_id=" + TRACE).body();
            assertThat(trace).contains("data-state=\"stale\"").contains("Projections at log_seq=0, events at 3");
            assertThat(b.get("/traces?tenant=tenant-a").body()).contains("data-state=\"stale\"");
            assertThat(b.get("/graph?tenant=tenant-a&trace_id=" + TRACE).body()).contains("data-state=\"stale\"");
            assertThat(b.get("/?tenant=tenant-a").body()).contains("Reviews").contains("data-state=\"unavailable\"")
                    .contains("The workflow runtime is not running on this server.");
        } finally {
            idle.close();
            db.close();
        }
    }
}
