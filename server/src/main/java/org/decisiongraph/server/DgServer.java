package org.decisiongraph.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.javalin.Javalin;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.server.api.AuditLogApi;
import org.decisiongraph.server.api.EventsApi;
import org.decisiongraph.server.api.HealthApi;
import org.decisiongraph.server.api.MetricsApi;
import org.decisiongraph.server.api.OpenApiApi;
import org.decisiongraph.server.api.RouteGroup;
import org.decisiongraph.server.api.RouteSpec;
import org.decisiongraph.server.api.Routes;
import org.decisiongraph.server.api.ServiceAccountsApi;
import org.decisiongraph.server.api.Services;
import org.decisiongraph.server.api.TenantsApi;
import org.decisiongraph.server.api.TraceEventsApi;
import org.decisiongraph.server.api.Transport;
import org.decisiongraph.server.metrics.ServerMetrics;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service of {@code dg serve}: Javalin on virtual threads over one {@link Database}, with the
 * event log of the platform event types. {@link #create} wires everything; {@link #start} listens;
 * {@link #stop} drains and stops (the database belongs to the caller). Further resources plug in as
 * {@link RouteGroup}s through {@link Extensions}.
 */
public final class DgServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DgServer.class);
    public static final String VERSION = "0.1.0";

    /**
     * What a projection runtime (or any later module) adds: routes, an append hook, projection health, and
     * resources closed in order when the server stops (before the listener stops, so long-lived streams end).
     */
    public record Extensions(List<RouteGroup> routeGroups, AppendHook appendHook, ProjectionHealthSource projectionHealth,
                             List<AutoCloseable> onStop) {
        public static final Extensions NONE = new Extensions(List.of(), AppendHook.NONE, ProjectionHealthSource.NONE);

        public Extensions {
            routeGroups = List.copyOf(routeGroups);
            Objects.requireNonNull(appendHook, "appendHook");
            Objects.requireNonNull(projectionHealth, "projectionHealth");
            onStop = List.copyOf(onStop);
        }

        public Extensions(List<RouteGroup> routeGroups, AppendHook appendHook, ProjectionHealthSource projectionHealth) {
            this(routeGroups, appendHook, projectionHealth, List.of());
        }
    }

    private final Javalin app;
    private final ServerConfig config;
    private final Services services;
    private final List<RouteSpec> routes;
    private final List<AutoCloseable> onStop;
    private volatile boolean stopped;

    private DgServer(Javalin app, ServerConfig config, Services services, List<RouteSpec> routes, List<AutoCloseable> onStop) {
        this.app = app;
        this.onStop = onStop;
        this.config = config;
        this.services = services;
        this.routes = routes;
    }

    public static DgServer create(Database db, ServerConfig config, Clock clock) {
        return create(db, config, clock, Extensions.NONE);
    }

    public static DgServer create(Database db, ServerConfig config, Clock clock, Extensions extensions) {
        ServerMetrics metrics = new ServerMetrics();
        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, clock);
        Services services = new Services(db, log, config, clock, extensions.appendHook(), metrics);
        List<RouteGroup> groups = new ArrayList<>(List.of(
                new HealthApi(extensions.projectionHealth()),
                new EventsApi(),
                new TraceEventsApi(),
                new TenantsApi(),
                new ServiceAccountsApi(),
                new AuditLogApi(),
                new MetricsApi()));
        groups.addAll(extensions.routeGroups());
        groups.add(new OpenApiApi(VERSION));
        java.util.concurrent.atomic.AtomicReference<List<RouteSpec>> table = new java.util.concurrent.atomic.AtomicReference<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            cfg.staticFiles.enableWebjars();
            Transport.install(cfg, metrics);
            Routes r = new Routes(cfg, services);
            groups.forEach(g -> g.register(r));
            table.set(r.specs());
        });
        return new DgServer(app, config, services, table.get(), extensions.onStop());
    }

    /** Starts listening; returns this. */
    public DgServer start() {
        app.start();
        LOG.info("dg_serve_started bind={} port={} deployment_env={}", config.bind(), port(), config.deploymentEnv());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The registered routes (the OpenAPI document's source). */
    public List<RouteSpec> routes() {
        return routes;
    }

    public Services services() {
        return services;
    }

    /** Javalin's own view of the registered HTTP endpoints, as {@code "<METHOD> <path>"}. */
    public List<String> registeredEndpoints() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
    }

    /** Stops accepting requests, lets running ones finish, and stops the server. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (AutoCloseable c : onStop) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("dg_serve_stop_hook_failed", e);
            }
        }
        app.stop();
        LOG.info("dg_serve_stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
