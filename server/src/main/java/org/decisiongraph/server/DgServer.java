package org.decisiongraph.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
    /** How long {@link #stop} waits for requests in flight. */
    static final long STOP_TIMEOUT_MS = 30_000;

    /**
     * What a projection runtime (or any later module) adds: routes, append hooks (each told after every
     * append; {@code projection_sync_triggered} is true when there is at least one and every one reported
     * true), projection health, and resources closed in order when the server stops (before the listener
     * stops, so long-lived streams end).
     */
    public record Extensions(List<RouteGroup> routeGroups, List<AppendHook> appendHooks, ProjectionHealthSource projectionHealth,
                             List<AutoCloseable> onStop) {
        public static final Extensions NONE = new Extensions(List.of(), List.of(), ProjectionHealthSource.NONE, List.of());

        public Extensions {
            routeGroups = List.copyOf(routeGroups);
            appendHooks = List.copyOf(appendHooks);
            Objects.requireNonNull(projectionHealth, "projectionHealth");
            onStop = List.copyOf(onStop);
        }

        /** One append hook, nothing to close. */
        public Extensions(List<RouteGroup> routeGroups, AppendHook appendHook, ProjectionHealthSource projectionHealth) {
            this(routeGroups, appendHook, projectionHealth, List.of());
        }

        /** One append hook and resources to close on stop. */
        public Extensions(List<RouteGroup> routeGroups, AppendHook appendHook, ProjectionHealthSource projectionHealth,
                          List<AutoCloseable> onStop) {
            this(routeGroups, List.of(Objects.requireNonNull(appendHook, "appendHook")), projectionHealth, onStop);
        }

        /** Several append hooks, nothing to close. */
        public Extensions(List<RouteGroup> routeGroups, List<AppendHook> appendHooks, ProjectionHealthSource projectionHealth) {
            this(routeGroups, appendHooks, projectionHealth, List.of());
        }

        /** These extensions plus {@code other}'s route groups and hooks; keeps this health source unless it is NONE. */
        public Extensions plus(Extensions other) {
            List<RouteGroup> groups = new ArrayList<>(routeGroups);
            groups.addAll(other.routeGroups());
            List<AppendHook> hooks = new ArrayList<>(appendHooks);
            hooks.addAll(other.appendHooks());
            List<AutoCloseable> closers = new ArrayList<>(onStop);
            closers.addAll(other.onStop());
            return new Extensions(groups, hooks,
                    projectionHealth == ProjectionHealthSource.NONE ? other.projectionHealth() : projectionHealth, closers);
        }

        /** The hooks as one: every hook is told; true when there is at least one and all returned true. */
        public AppendHook appendHook() {
            List<AppendHook> hooks = appendHooks.stream().filter(h -> h != AppendHook.NONE).toList();
            if (hooks.isEmpty()) {
                return AppendHook.NONE;
            }
            return (tenant, events) -> {
                boolean all = true;
                for (AppendHook h : hooks) {
                    boolean ok;
                    try {
                        ok = h.eventsAppended(tenant, events);
                    } catch (RuntimeException e) {
                        LOG.warn("append_hook_failed tenant={} error={}", tenant, e.toString());
                        ok = false;
                    }
                    all &= ok;
                }
                return all;
            };
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
        return create(db, config, clock, extensions, Tracing.NONE);
    }

    /**
     * With tracing: HTTP request and append spans here; pass the same {@link Tracing} to
     * {@link ProjectionService#start(Database, ProjectionService.Options, Clock, Tracing)} for the catch-up spans.
     * The server closes it (flushes the exporter) when it stops.
     */
    public static DgServer create(Database db, ServerConfig config, Clock clock, Extensions extensions, Tracing tracing) {
        ServerMetrics metrics = new ServerMetrics();
        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, clock);
        Services services = new Services(db, log, config, clock, extensions.appendHook(), metrics, tracing);
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
            // Javalin's default connector listens with the JDK's backlog of 50: a burst of new client connections
            // overflows it and each dropped handshake waits a full second for the SYN-ACK retransmission
            cfg.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(config.bind());
                connector.setPort(config.port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            cfg.staticFiles.enableWebjars();
            // graceful stop: the connectors stop accepting, requests in flight finish (up to the stop timeout)
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT_MS);
                server.setHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
            });
            Transport.install(cfg, metrics);
            Routes r = new Routes(cfg, services);
            groups.forEach(g -> g.register(r));
            table.set(r.specs());
        });
        List<AutoCloseable> onStop = new ArrayList<>(extensions.onStop());
        onStop.add(tracing);
        return new DgServer(app, config, services, table.get(), onStop);
    }

    /** The listen backlog (the kernel caps it at {@code net.core.somaxconn}). */
    static final int ACCEPT_QUEUE = 1024;

    /** Starts listening; returns this. */
    public DgServer start() {
        app.start();
        LOG.info("dg_serve_started bind={} port={} deployment_env={} gc={} max_heap_mb={}", config.bind(), port(),
                config.deploymentEnv(), collectors(), Runtime.getRuntime().maxMemory() >> 20);
        return this;
    }

    /** The JVM's garbage collectors, e.g. {@code PS MarkSweep+PS Scavenge} (the launcher picks the Parallel one). */
    public static String collectors() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
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

    /**
     * Stops: the SSE hub (streams end), the projection runtime and the other stop hooks in order, then the listener:
     * no new connection is accepted and requests in flight finish (up to 30 s) before it returns. The database
     * belongs to the caller, who closes it afterwards.
     */
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
