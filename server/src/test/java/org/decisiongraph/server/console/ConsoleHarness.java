package org.decisiongraph.server.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;

/**
 * A real {@code dg serve} for console tests: SQLite on a temp file, the projection runtime, workflows and the console
 * (plain-http cookie), users {@code admin-a} (admin in tenant-a), {@code reader-a} (reader in tenant-a) and
 * {@code admin-b} (admin in tenant-b), all with password {@link #PASSWORD}, plus an API token for appends.
 */
final class ConsoleHarness implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final String TENANT_A = "tenant-a";
    static final String TENANT_B = "tenant-b";

    final Database db;
    final ProjectionService projections;
    final Workflows workflows;
    final DgServer server;
    final URI base;
    final String apiToken;

    ConsoleHarness(Clock clock) {
        db = Database.sqlite(TestDatabases.newSqlitePath());
        ServerConfig config = ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 1_000));
        projections = ProjectionService.start(db, new ProjectionService.Options(true, RuntimeSettings.DEFAULTS, null), clock);
        workflows = new Workflows(db, EventLog.open(db, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS);
        server = DgServer.create(db, config, clock, projections.extensions()
                .plus(ConsoleExtension.of(ConsoleConfig.defaults(false), projections, workflows, clock))).start();
        base = URI.create("http://127.0.0.1:" + server.port());
        ConsoleAccounts users = new ConsoleAccounts(db, new PasswordHasher(1024, 1, 1), clock);
        users.create("admin-a", "Admin A", PASSWORD, TENANT_A, List.of("admin"), List.of());
        users.create("reader-a", "Reader A", PASSWORD, TENANT_A, List.of("reader"), List.of());
        users.create("admin-b", "Admin B", PASSWORD, TENANT_B, List.of("admin"), List.of());
        apiToken = server.services().accounts().create("console-feeder", null, List.of("admin", "writer", "reader"),
                Permissions.ALL, List.of("*"), null, "test").orElseThrow().key().token();
    }

    /** The golden events of the fixture bundle (five scenarios, 40 events), in order. */
    static List<org.decisiongraph.core.json.JsonObject> goldenEvents() {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("dg.fixtures.dir", "../fixtures"));
            var bundle = (org.decisiongraph.core.json.JsonObject) org.decisiongraph.core.json.JsonParser.parse(
                    java.nio.file.Files.readString(dir.resolve("reference_fixture_bundle.json")));
            List<org.decisiongraph.core.json.JsonObject> out = new java.util.ArrayList<>();
            for (var s : bundle.getArray("scenarios")) {
                for (var e : ((org.decisiongraph.core.json.JsonObject) s).getArray("events")) {
                    out.add((org.decisiongraph.core.json.JsonObject) e);
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    org.decisiongraph.client.DgClient client(String tenant) {
        return new org.decisiongraph.client.DgClient(base, apiToken, tenant, 3, Duration.ofMillis(50));
    }

    /** Appends the golden events to {@code tenant} over the API and waits until its projections caught up. */
    void seed(String tenant) {
        client(tenant).appendAll(goldenEvents());
        awaitFresh(tenant);
    }

    void awaitFresh(String tenant) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var h = projections.runtime().health(tenant);
            boolean fresh = true;
            for (var p : h.getArray("projections")) {
                fresh &= JsonRead.num((org.decisiongraph.core.json.JsonObject) p, "pending_events") == 0;
            }
            if (fresh && JsonRead.num(h, "event_log_last_seq") > 0) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("projections of " + tenant + " did not catch up");
    }

    @Override
    public void close() {
        server.stop();
        workflows.close();
        db.close();
    }

    // --- a tiny HTTP client without redirects, with one cookie jar -------------------------------------

    /** A browser signed in as {@code user} (password {@link #PASSWORD}); the login must answer 303. */
    Browser loggedIn(String user) throws IOException, InterruptedException {
        Browser b = new Browser(base);
        HttpResponse<String> r = b.login(user, PASSWORD);
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return b;
    }

    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final URI base;
        String cookie;

        Browser(URI base) {
            this.base = base;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A form post with the page's own origin unless {@code origin} is given ("" for none). */
        HttpResponse<String> post(String path, Map<String, String> form, String origin) throws IOException, InterruptedException {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            String o = origin == null ? base.getScheme() + "://" + base.getRawAuthority() : origin;
            if (!o.isEmpty()) {
                b.header("Origin", o);
            }
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(c -> {
                String pair = c.split(";", 2)[0];
                cookie = pair.endsWith("=") ? null : pair;
            });
            return r;
        }

        HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
            return post("/login", Map.of("username", user, "password", password, "next", "/"), null);
        }

        static String csrf(String html) {
            Matcher m = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">").matcher(html);
            if (!m.find()) {
                throw new AssertionError("no csrf meta tag in page");
            }
            return m.group(1);
        }
    }
}
