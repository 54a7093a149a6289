package org.decisiongraph.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.console.ConsoleAccounts;
import org.decisiongraph.server.console.ConsoleConfig;
import org.decisiongraph.server.console.ConsoleExtension;
import org.decisiongraph.server.console.PasswordHasher;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.TraceIndex;

/**
 * Load driver for the operator console: fills a SQLite store with N events of the seeded realistic workload (or reuses
 * an existing file), projects them, starts {@code dg serve}'s server with the console on a real port, logs in, and
 * requests each main page sequentially (warm-up, then measured rounds). Prints one Markdown row per page: p50 / p95 /
 * max request time over loopback (an upper bound of the server-side render time) and the page weight (HTML plus the
 * scripts and style sheet it loads, uncompressed, no images).
 *
 * <p>Usage: {@code java -Xmx1g -cp benchmarks.jar org.decisiongraph.bench.ConsoleLoad <events> [rounds] [db-file]}
 */
public final class ConsoleLoad {
    private ConsoleLoad() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path file = args.length > 2 ? Path.of(args[2]) : Scratch.dir("dg-console-bench-").resolve("bench.db");
        boolean fill = !Files.exists(file);
        Clock clock = Clock.systemUTC();
        try (Database db = Database.sqlite(file)) {
            if (fill) {
                fill(db, events, clock);
            }
            long n = EventLog.open(db, org.decisiongraph.core.event.EventTypeSet.PLATFORM, clock).lastLogSeq("default");
            ProjectionService projections = ProjectionService.start(db, ProjectionService.Options.defaults("test"), clock);
            org.decisiongraph.workflow.Workflows workflows = new org.decisiongraph.workflow.Workflows(db,
                    EventLog.open(db, org.decisiongraph.core.event.EventTypeSet.PLATFORM, clock), clock,
                    org.decisiongraph.workflow.WorkflowConfig.DEFAULTS);
            try (workflows; DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                            .withRateLimits(new ServerConfig.RateLimits(1_000_000, 1_000_000, 1_000_000, 1_000)), clock,
                    projections.extensions().plus(ConsoleExtension.of(ConsoleConfig.defaults(false), projections, workflows, clock))).start()) {
                new ConsoleAccounts(db, PasswordHasher.DEFAULT, clock).create("bench", null, "bench password 123", "default",
                        List.of("admin"), List.of());
                measure(db, server.port(), n, rounds);
            }
        }
    }

    private static void fill(Database db, int events, Clock clock) {
        Projections p = Projections.open(db, null, clock);
        EventLog log = p.eventLog();
        long t0 = System.nanoTime();
        RealisticAppend.append(log, events);
        long a = System.nanoTime();
        p.rebuild();
        System.out.printf(Locale.ROOT, "filled %,d events: append %.1f s, rebuild + checkpoint %.1f s%n", log.lastLogSeq(null),
                (a - t0) / 1e9, (System.nanoTime() - a) / 1e9);
    }

    private static void measure(Database db, int port, long events, int rounds) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String body = "username=bench&password=" + URLEncoder.encode("bench password 123", StandardCharsets.UTF_8) + "&next=/";
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        TraceIndex.Page newest = new TraceIndex(db).page("default", TraceIndex.Filter.NONE, null, null, 50, 50);
        String trace = newest.rows().get(newest.rows().size() / 2).traceId();
        String older = newest.rows().getLast().traceId();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/?tenant=default");
        pages.put("trace index", "/traces?tenant=default");
        pages.put("trace index, page 2", "/traces?tenant=default&after=" + newest.rows().get(24).lastLogSeq() + "~"
                + URLEncoder.encode(newest.rows().get(24).traceId(), StandardCharsets.UTF_8));
        pages.put("trace index, status=running", "/traces?tenant=default&status=running");
        pages.put("trace index, event_type=ExceptionRequested", "/traces?tenant=default&event_type=ExceptionRequested");
        pages.put("trace explorer", "/trace?tenant=default&trace_id=" + trace);
        pages.put("context graph (depth 2)", "/graph?tenant=default&trace_id=" + trace);
        pages.put("precedents", "/precedents?tenant=default&trace_id=" + trace);
        pages.put("compare two traces", "/precedents/compare?tenant=default&a=" + trace + "&b=" + older);
        pages.put("projection health", "/projections?tenant=default");
        pages.put("replay console", "/replay?tenant=default");
        pages.put("live event stream", "/stream?tenant=default");
        long assets = 0;
        Pattern ref = Pattern.compile("(?:src|href)=\"(/(?:webjars|console/static)/[^\"]+)\"");
        Map<String, Long> assetSizes = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "| page | events | p50 | p95 | max | HTML bytes | page weight (HTML + scripts + CSS) |%n|---|---|---|---|---|---|---|%n");
        for (var e : pages.entrySet()) {
            HttpRequest req = HttpRequest.newBuilder(base.resolve(e.getValue())).header("Cookie", cookie).GET().build();
            HttpResponse<String> first = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (first.statusCode() != 200) {
                throw new IllegalStateException(e.getKey() + " answered " + first.statusCode());
            }
            if (first.body().contains("data-state=\"unavailable\"") || first.body().contains("data-state=\"stale\"")) {
                System.out.println("note: " + e.getKey() + " shows a stale/unavailable panel");
            }
            Matcher m = ref.matcher(first.body());
            long weight = first.body().getBytes(StandardCharsets.UTF_8).length;
            while (m.find()) {
                String path = m.group(1);
                Long size = assetSizes.get(path);
                if (size == null) {
                    size = (long) http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
                    assetSizes.put(path, size);
                }
                weight += size;
            }
            assets = Math.max(assets, weight);
            for (int i = 0; i < Math.max(20, rounds / 5); i++) {
                http.send(req, HttpResponse.BodyHandlers.ofString());
            }
            long[] t = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                t[i] = System.nanoTime() - t0;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(e.getKey() + " answered " + r.statusCode());
                }
            }
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "| %s | %,d | %.1f ms | %.1f ms | %.1f ms | %,d | %,d bytes |%n", e.getKey(), events,
                    t[rounds / 2] / 1e6, t[(int) Math.ceil(rounds * 0.95) - 1] / 1e6, t[rounds - 1] / 1e6,
                    first.body().getBytes(StandardCharsets.UTF_8).length, weight);
        }
        System.out.println("assets: " + assetSizes);
    }
}
