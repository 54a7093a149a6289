package org.decisiongraph.cli;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.WorkflowExtension;
import org.decisiongraph.server.console.ConsoleConfig;
import org.decisiongraph.server.console.ConsoleExtension;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.notify.SecretBox;
import org.decisiongraph.workflow.notify.WebhookDispatcher;
import org.decisiongraph.workflow.notify.WebhookRunner;
import org.decisiongraph.workflow.notify.Webhooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg serve [--db <db>] [--port 8080] [--bind 127.0.0.1]}: runs the HTTP service until SIGTERM or
 * SIGINT, then stops accepting requests, lets running ones finish and closes the database.
 * Configuration also comes from {@code DG_*} environment variables (README, "Run the service").
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the DecisionGraph HTTP service.")
final class ServeCommand implements Callable<Integer> {
    static final String DEFAULT_DB = "./data/decisiongraph.db";

    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL (default: DG_DATABASE_URL or " + DEFAULT_DB + ")")
    String db;

    @Option(names = "--port", paramLabel = "<port>", description = "listen port (default: DG_PORT or 8080)")
    Integer port;

    @Option(names = "--bind", paramLabel = "<address>", description = "listen address (default: DG_BIND or 127.0.0.1)")
    String bind;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        ServerConfig config;
        try {
            config = ServerConfig.fromEnv(env, ServerConfig.DEFAULTS);
            if (port != null) {
                config = config.withPort(port);
            }
            if (bind != null) {
                config = config.withBind(bind);
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("Error: " + e.getMessage());
            return 2;
        }
        String target = db != null ? db : env.getOrDefault("DG_DATABASE_URL", DEFAULT_DB);
        if ("prod".equals(config.deploymentEnv()) && db == null && !env.containsKey("DG_DATABASE_URL")) {
            spec.commandLine().getErr().println("Error: DG_DATABASE_URL (or --db) is required when DG_DEPLOYMENT_ENV=prod");
            return 1;
        }
        StoreConfig storeConfig = StoreConfig.DEFAULTS;
        if (env.containsKey("DG_POOL_SIZE")) {
            try {
                storeConfig = storeConfig.withPoolSize(Integer.parseInt(env.get("DG_POOL_SIZE").strip()));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("Error: DG_POOL_SIZE must be an integer >= 1");
                return 2;
            }
        }
        Database database;
        try {
            database = Database.open(DbLocation.parse(target, env.get("DG_DB_USER"), env.get("DG_DB_PASSWORD")), storeConfig);
        } catch (DgException e) {
            spec.commandLine().getErr().println("Error: " + e.message());
            return 1;
        }
        if ("prod".equals(config.deploymentEnv()) && !"true".equalsIgnoreCase(env.getOrDefault("DG_ALLOW_EMPTY_ACCOUNTS", "false"))
                && new AccessStore(database).accounts().stream().noneMatch(a -> a.isActive() && a.hasRole("admin"))) {
            database.close();
            spec.commandLine().getErr().println("Error: No active admin account or user is configured; run 'dg accounts bootstrap'");
            return 1;
        }
        ProjectionService.Options runtimeOptions;
        try {
            runtimeOptions = ProjectionService.Options.fromEnv(env, config.deploymentEnv());
        } catch (IllegalArgumentException e) {
            database.close();
            spec.commandLine().getErr().println("Error: " + e.getMessage());
            return 2;
        }
        DgServer server;
        try {
            ProjectionService projections = ProjectionService.start(database, runtimeOptions, Clock.systemUTC());
            Workflows workflows = new Workflows(database, EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC()),
                    Clock.systemUTC(), WorkflowConfig.DEFAULTS).startRunner();
            java.util.List<AutoCloseable> closers = new java.util.ArrayList<>();
            closers.add(workflows);
            String keyBase = env.get("DG_SECRET_KEY_BASE");
            Webhooks webhooks = null;
            if (keyBase != null && keyBase.strip().length() >= 16) {
                webhooks = new Webhooks(database, new SecretBox(keyBase.strip()), Clock.systemUTC(), "dev".equals(config.deploymentEnv()));
                WebhookRunner webhookRunner = new WebhookRunner(new WebhookDispatcher(webhooks, new AccessStore(database), Clock.systemUTC(),
                        WebhookDispatcher.Policy.DEFAULTS), Clock.systemUTC());
                webhookRunner.start(2000);
                closers.add(webhookRunner);
            }
            DgServer.Extensions extensions = projections.extensions()
                    .plus(WorkflowExtension.of(workflows, webhooks))
                    .plus(ConsoleExtension.of(ConsoleConfig.fromEnv(env, config.deploymentEnv()), projections, workflows, Clock.systemUTC()))
                    .plus(new DgServer.Extensions(java.util.List.of(), java.util.List.<org.decisiongraph.server.AppendHook>of(),
                            org.decisiongraph.server.ProjectionHealthSource.NONE, closers));
            server = DgServer.create(database, config, Clock.systemUTC(), extensions).start();
        } catch (RuntimeException e) {
            database.close();
            spec.commandLine().getErr().println("Error: could not start the server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } finally {
                database.close();
                stopped.countDown();
            }
        }, "dg-serve-shutdown"));
        spec.commandLine().getErr().println("dg serve listening on http://" + config.bind() + ":" + server.port());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
