package org.decisiongraph.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg demo [--db <db>] [--tenant release-demo] [--reuse] [--output <file>] [--traffic <n>]}: seeds the
 * release demo of platform spec 4.7 into a database — by default the one {@code dg serve} uses, so
 * {@code ./dg serve} in one terminal and {@code ./dg demo} in another is the whole setup (a running server
 * picks the events up with its projection workers' safety timer). Prints the report of §4.7.3 (JSON) on
 * stdout and the URLs to open on stderr. The log is append-only, so there is no tenant reset: every run is
 * idempotent ({@code --reuse} is accepted for the reference's command line and is always in effect).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Seed the release demo (22 events of the revenue exception scenario) and print where to look.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_USER = "demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "<db>",
            description = "SQLite file or jdbc:postgresql:// URL (default: DG_DATABASE_URL or " + ServeCommand.DEFAULT_DB + ")")
    String db;

    @Option(names = "--tenant", defaultValue = ReleaseDemo.TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--reuse", description = "Keep existing data (always the case: the log is append-only; a re-run appends nothing).")
    boolean reuse;

    @Option(names = {"--output", "-o"}, paramLabel = "<file>", description = "Also write the report to this file.")
    Path output;

    @Option(names = "--traffic", paramLabel = "<traces>", defaultValue = "0",
            description = "Also append this many generated background traces (fixed seed) for the charts (default: 0).")
    int traffic;

    @Option(names = "--user", paramLabel = "<user>", defaultValue = DEMO_USER,
            description = "Console user created (or given a new password) for the demo: admin of the demo tenant (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", paramLabel = "<password>",
            description = "Password of the demo user (at least 12 characters; default: a new random one, printed).")
    String password;

    @Option(names = "--no-user", description = "Do not create or update the demo console user.")
    boolean noUser;

    @Option(names = "--console-url", paramLabel = "<url>",
            description = "Base URL printed for the console (default: http://DG_BIND:DG_PORT, i.e. http://127.0.0.1:8080).")
    String consoleUrl;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = System.getenv();
        if (traffic < 0) {
            err.println("Error: --traffic must be >= 0");
            return 2;
        }
        String base = consoleUrl;
        if (base == null) {
            try {
                ServerConfig config = ServerConfig.fromEnv(env, ServerConfig.DEFAULTS);
                String host = "0.0.0.0".equals(config.bind()) ? "127.0.0.1" : config.bind();
                base = "http://" + host + ":" + config.port();
            } catch (IllegalArgumentException e) {
                base = "http://127.0.0.1:8080";
            }
        }
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String target = db != null ? db : env.getOrDefault("DG_DATABASE_URL", ServeCommand.DEFAULT_DB);
        ReleaseDemo.Result result;
        String[] login = null;
        try {
            DbLocation location = DbLocation.parse(target, env.get("DG_DB_USER"), env.get("DG_DB_PASSWORD"));
            if (location instanceof DbLocation.SqliteFile file) {
                Path parent = file.path().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            }
            try (Database database = Database.open(location, StoreConfig.DEFAULTS)) {
                result = ReleaseDemo.seed(database, tenant, traffic, Clock.systemUTC(), WorkflowConfig.DEFAULTS);
                if (!noUser) {
                    login = demoUser(database, result.tenant());
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 2;
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        } catch (IOException e) {
            err.println("Error: cannot create the database directory: " + e.getMessage());
            return 1;
        }
        JsonObject report = result.report();
        if (login != null) {
            // additive key: who to log in as (the password is printed on stderr only, never written to the report)
            report = report.with("console_login", JsonObject.builder().put("username", login[0]).put("tenant_id", result.tenant())
                    .put("roles", org.decisiongraph.core.json.Json.strings(java.util.List.of("admin"))).put("created", "created".equals(login[2]))
                    .build());
        }
        String text = JsonWriter.pretty(report);
        out.println(text);
        out.flush();
        if (output != null) {
            try {
                Path parent = output.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("Error: cannot write '" + output + "': " + e.getMessage());
                return 1;
            }
        }
        summary(err, result, base);
        if (login != null) {
            err.println("Console login (" + login[2] + "; admin of " + result.tenant() + "): user '" + login[0] + "', password '" + login[1] + "'");
            err.println("  log in at " + base + "/login");
        }
        err.flush();
        return 0;
    }

    /**
     * Creates the demo console user (admin with every permission in the demo tenant), or, when it exists, grants the
     * membership again and sets the new password. Returns {user, password, "created"|"updated"}.
     */
    private String[] demoUser(Database database, String tenant) {
        String pw = password != null ? password : randomPassword();
        org.decisiongraph.server.console.ConsoleAccounts accounts = new org.decisiongraph.server.console.ConsoleAccounts(database,
                org.decisiongraph.server.console.PasswordHasher.DEFAULT, Clock.systemUTC());
        java.util.List<String> roles = java.util.List.of("admin");
        java.util.List<String> permissions = org.decisiongraph.server.console.ConsoleAccounts.defaultPermissions("admin");
        if (accounts.create(user, "Release demo operator", pw, tenant, roles, permissions)) {
            return new String[] {user, pw, "created"};
        }
        accounts.grant(user, tenant, roles, permissions);
        accounts.setPassword(user, pw);
        return new String[] {user, pw, "updated"};
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new java.security.SecureRandom().nextBytes(b);
        return "demo-" + java.util.HexFormat.of().formatHex(b);
    }

    private static void summary(PrintWriter err, ReleaseDemo.Result r, String base) {
        err.println("dg demo: tenant '" + r.tenant() + "': " + r.appended() + " appended, " + r.reused() + " reused"
                + (r.trafficAppended() > 0 ? ", " + r.trafficAppended() + " background events" : "")
                + "; demo events at log_seq " + r.firstLogSeq() + "-" + r.lastLogSeq()
                + (r.referenceComparable() ? " (digests comparable with the reference's)" : " (not 1-22: seeded into a non-empty tenant)"));
        err.println("dg demo: full_projection " + r.digests().fullProjection() + "; SLA sweep escalated " + r.sweep().escalated());
        String t = org.decisiongraph.server.console.Urls.encode(r.tenant());
        err.println("Open (after logging in):");
        err.println("  live renewal trace:              " + base
                + ReleaseDemo.consolePath(r.tenant(), ReleaseDemo.LIVE_TRACE, ReleaseDemo.LIVE_WORKFLOW));
        err.println("  its escalated exception review:  " + base + "/console/workflow?tenant=" + t + "&id="
                + org.decisiongraph.server.console.Urls.encode(ReleaseDemo.LIVE_WORKFLOW));
        err.println("  incident review:                 " + base + "/console/workflow?tenant=" + t + "&id="
                + org.decisiongraph.server.console.Urls.encode(ReleaseDemo.INCIDENT_WORKFLOW));
        err.println("  review inbox:                    " + base + "/console/workflows?tenant=" + t);
        err.println("  API: " + base + "/api/v1/traces/" + ReleaseDemo.LIVE_TRACE + " (header x-tenant-id: " + r.tenant() + ")");
        err.flush();
    }
}
