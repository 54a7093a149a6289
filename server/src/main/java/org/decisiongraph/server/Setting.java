package org.decisiongraph.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.store.StoreConfig;

/**
 * Every environment variable DecisionGraph reads: its name, its default (computed from the code's default objects
 * where there is one) and what it does. Code reads a variable through its constant ({@link #key()}, {@link #get});
 * {@code docs/CONFIGURATION.md} is generated from this list ({@link #markdown()}; regenerate it with
 * {@code ./mvnw -q -B -pl cli -am verify -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddg.regenerateDocs=true}), and that test fails when the document, this list and the variables named in the
 * sources, the launcher and the packaging files drift apart.
 */
public enum Setting {
    DG_DEPLOYMENT_ENV(Group.SERVE, () -> ServerConfig.DEFAULTS.deploymentEnv(),
            "`dev`, `test` or `prod`; shown in healthz. `prod` requires `DG_DATABASE_URL` (or `--db`) and an active admin"
                    + " account, and turns rebuilds off by default; `test` lowers the rate limits."),
    DG_DATABASE_URL(Group.SERVE, () -> "./data/decisiongraph.db",
            "Database of `dg serve`: a SQLite file path or a `jdbc:postgresql://` URL (`--db` overrides it). Required in prod."),
    DG_DB_USER(Group.DATABASE, () -> "",
            "Postgres user when the URL carries none (every command that takes a database)."),
    DG_DB_PASSWORD(Group.DATABASE, () -> "",
            "Postgres password when the URL carries none (every command that takes a database)."),
    DG_POOL_SIZE(Group.DATABASE, () -> String.valueOf(StoreConfig.DEFAULTS.poolSize()),
            "Connections in the pool of `dg serve` (Postgres: readers and writers; SQLite: readers)."),
    DG_BIND(Group.SERVE, () -> ServerConfig.DEFAULTS.bind(), "Listen address of `dg serve` (`--bind` overrides it)."),
    DG_PORT(Group.SERVE, () -> String.valueOf(ServerConfig.DEFAULTS.port()),
            "Listen port of `dg serve`, 0 = any free port (`--port` overrides it)."),
    DG_SECRET_KEY_BASE(Group.SERVE, () -> "",
            "Secret (at least 16 characters) that seals webhook secrets; webhooks and their dispatcher run only when it is set."),
    DG_ALLOW_EMPTY_ACCOUNTS(Group.SERVE, () -> "false",
            "In prod, start even when no active admin service account exists."),
    DG_RATE_LIMITS(Group.HTTP, () -> "`" + limits(ServerConfig.RateLimits.DEFAULTS) + "` (test: `" + limits(ServerConfig.RateLimits.TEST) + "`)",
            "Requests per 60 s window per account and tenant (`read`, `write`, `admin`) and failed authentications per"
                    + " address (`auth_failures`); missing keys keep their default."),
    DG_TRUSTED_PROXIES(Group.HTTP, () -> "",
            "Comma-separated peer addresses whose first `X-Forwarded-For` hop is taken as the client address."),
    DG_METRICS_TOKEN(Group.HTTP, () -> "", "Bearer token of `GET /metrics`."),
    DG_METRICS_PUBLIC(Group.HTTP, () -> String.valueOf(ServerConfig.DEFAULTS.metricsPublic()),
            "Serve `GET /metrics` without a token."),
    DG_ADMIN_CONTROLS_REQUIRE_REASON(Group.HTTP, () -> String.valueOf(ServerConfig.DEFAULTS.requireReason()),
            "State-changing admin routes need a non-blank `reason`."),
    DG_ADMIN_CONTROLS_ALLOW_REBUILD(Group.PROJECTIONS, () -> "true in dev and test, false in prod",
            "Allow `rebuild` replay jobs (`catch_up` is always allowed)."),
    DG_PROJECTION_BATCH_SIZE(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.batchSize()),
            "Events per projection batch (one transaction each)."),
    DG_PROJECTION_POLL_INTERVAL_MS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.pollIntervalMs()),
            "Safety timer of each projection worker (appends signal workers directly; the timer catches events written"
                    + " by another process)."),
    DG_PROJECTION_RETRY_BASE_MS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.retryBaseMs()),
            "First retry delay of a worker after a storage error (doubles each retry)."),
    DG_PROJECTION_MAX_RETRIES(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.maxRetries()),
            "Retries before a worker records a failure row and parks."),
    DG_PROJECTION_PARTITIONS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.partitions()),
            "Partition count reported by the runtime (projections spec 7.8)."),
    DG_PROJECTION_LEASE_TTL_MS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.leaseTtlMs()),
            "Postgres: how long a node's (tenant, projection) lease lives unrenewed; after a node dies another node (or the"
                    + " restarted one) takes the work over at most this long afterwards."),
    DG_PROJECTION_CHECKPOINT_INTERVAL_MS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.checkpointIntervalMs()),
            "Minimum time between two digest checkpoints of a tenant (and at least 49 times the last checkpoint's working time, so digests of a large tenant take about 2% of one core; a running checkpoint paces itself to a quarter of one core)."),
    DG_PROJECTION_COALESCE_MS(Group.PROJECTIONS, () -> String.valueOf(RuntimeSettings.DEFAULTS.coalesceMs()),
            "How long an idle projection worker waits after a commit before it catches up, so that a stream of single appends shares one catch-up transaction (0: at once)."),
    OTEL_SERVICE_NAME(Group.LOGGING, () -> ServerConfig.DEFAULTS.otelServiceName(),
            "Service name shown in healthz and, with tracing on, the spans' `service.name`."),
    DG_OTEL_EXPORTER(Group.LOGGING, () -> "none",
            "Tracing spans of `dg serve` (request, append, projection catch-up): `none`, `logging` (one log line per span)"
                    + " or `otlp` (OTLP over HTTP to `DG_OTEL_ENDPOINT`)."),
    DG_OTEL_ENDPOINT(Group.LOGGING, () -> Tracing.DEFAULT_OTLP_ENDPOINT,
            "OTLP/HTTP traces endpoint used when `DG_OTEL_EXPORTER=otlp`."),
    DG_CONSOLE_SECURE_COOKIE(Group.HTTP, () -> "false in dev, else true",
            "The console's login cookie is `Secure` (named `__Host-dg_login`); set `false` only for plain http."),
    DG_LOG_FORMAT(Group.LOGGING, () -> "json", "`json` (one JSON object per line on stdout) or `text`."),
    DG_LOG_LEVEL(Group.LOGGING, () -> "INFO", "Level of the service's own loggers (read by `logback.xml`)."),
    DG_LIBRARY_LOG_LEVEL(Group.LOGGING, () -> "ERROR", "Level of library loggers, on stderr (read by `logback.xml`)."),
    DG_API_KEY(Group.COMMANDS, () -> "", "Token used by `dg release-validate` when `--api-key` is not given."),
    DG_JAVA_OPTS(Group.LAUNCHER, () -> "", "Extra JVM options of the `./dg` launcher (and the container image), e.g. `-Xmx2g`. The launcher adds `-XX:+UseParallelGC` unless these name a collector (`-XX:+UseG1GC`, `-XX:+UseZGC`)."),
    DG_SKIP_BUILD(Group.LAUNCHER, () -> "", "`1`: the `./dg` launcher runs the existing jar without checking whether sources changed."),
    DG_JDK_SEARCH_DIRS(Group.LAUNCHER, () -> "/usr/lib/jvm/* /opt/java/* /opt/jdk*",
            "Where `./dg` and `./mvnw` look for a JDK 21+ when neither `JAVA_HOME` nor the `PATH` has one.");

    /** Where a setting applies, for the document's sections. */
    public enum Group {
        SERVE("`dg serve`"),
        DATABASE("Database connections"),
        HTTP("HTTP API"),
        PROJECTIONS("Projection runtime"),
        LOGGING("Logging and telemetry"),
        COMMANDS("Other commands"),
        LAUNCHER("The `./dg` launcher");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final Group group;
    private final Supplier<String> defaultValue;
    private final String description;

    Setting(Group group, Supplier<String> defaultValue, String description) {
        this.group = group;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The environment variable's name. */
    public String key() {
        return name();
    }

    public Group group() {
        return group;
    }

    /** The default as documented ("" = unset). */
    public String defaultValue() {
        return defaultValue.get();
    }

    public String description() {
        return description;
    }

    /** The variable's value in {@code env}, or null. */
    public String get(Map<String, String> env) {
        return env.get(key());
    }

    /** The variable's value in the process environment, or null. */
    public String get() {
        return System.getenv(key());
    }

    private static String limits(ServerConfig.RateLimits l) {
        return "read=" + l.read() + ",write=" + l.write() + ",admin=" + l.admin() + ",auth_failures=" + l.authFailures();
    }

    /** {@code docs/CONFIGURATION.md}. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("<!-- Generated from org.decisiongraph.server.Setting; do not edit by hand. Regenerate with\n")
                .append("     ./mvnw -q -B -pl cli -am verify -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Ddg.regenerateDocs=true -->\n\n")
                .append("Every environment variable DecisionGraph reads. Flags of `dg serve` (`--db`, `--port`, `--bind`) override\n")
                .append("their variables. Invalid values stop `dg serve` at boot with a message naming the variable and its default.\n")
                .append("An empty default means unset.\n");
        for (Group g : Group.values()) {
            List<Setting> in = new ArrayList<>();
            for (Setting s : values()) {
                if (s.group == g) {
                    in.add(s);
                }
            }
            if (in.isEmpty()) {
                continue;
            }
            md.append("\n## ").append(g.title()).append("\n\n| Variable | Default | Description |\n|---|---|---|\n");
            for (Setting s : in) {
                String d = s.defaultValue();
                md.append("| `").append(s.key()).append("` | ").append(d.isEmpty() ? "" : d.contains(" ") ? d : "`" + d + "`").append(" | ")
                        .append(s.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }

    /** Prints {@link #markdown()} (the regeneration command of {@code docs/CONFIGURATION.md}). */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
