package org.decisiongraph.server;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeListener;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.api.ProjectionReadApi;
import org.decisiongraph.server.api.ProjectorAdminApi;
import org.decisiongraph.server.api.ReplayApi;
import org.decisiongraph.server.api.RouteGroup;
import org.decisiongraph.server.api.Routes;
import org.decisiongraph.server.api.StreamApi;
import org.decisiongraph.server.api.StreamHub;
import org.decisiongraph.server.metrics.ServerMetrics;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * The projection runtime of {@code dg serve} wired into the HTTP server: the {@link ProjectionRuntime} (workers,
 * jobs, verifications), the SSE hub, the projection-backed and operator routes, the append hook (signal the
 * tenant's workers, publish {@code event_appended} frames), projection health for healthz, and the runtime
 * metrics. {@link #extensions} goes to {@link DgServer#create}; stopping the server stops the hub and the runtime.
 */
public final class ProjectionService {

    /**
     * @param allowRebuild          {@code admin_controls.allow_rebuild} (default true in dev/test, false in prod)
     * @param settings              runtime knobs
     * @param workflowRuntimeHealth the health view's {@code workflow_runtime} member per tenant; null leaves it out
     *                              (extension point for the workflow projection's runtime)
     */
    public record Options(boolean allowRebuild, RuntimeSettings settings, Function<String, Json> workflowRuntimeHealth) {
        public Options {
            Objects.requireNonNull(settings, "settings");
        }

        /** Defaults for a deployment environment. */
        public static Options defaults(String deploymentEnv) {
            return new Options(!"prod".equals(deploymentEnv), RuntimeSettings.DEFAULTS, null);
        }

        /**
         * Reads {@code DG_ADMIN_CONTROLS_ALLOW_REBUILD}, {@code DG_PROJECTION_BATCH_SIZE},
         * {@code DG_PROJECTION_POLL_INTERVAL_MS}, {@code DG_PROJECTION_RETRY_BASE_MS},
         * {@code DG_PROJECTION_MAX_RETRIES}, {@code DG_PROJECTION_PARTITIONS}, {@code DG_PROJECTION_CHECKPOINT_INTERVAL_MS},
         * {@code DG_PROJECTION_COALESCE_MS}, {@code DG_PROJECTION_LEASE_TTL_MS} over the defaults.
         */
        public static Options fromEnv(Map<String, String> env, String deploymentEnv) {
            Options d = defaults(deploymentEnv);
            RuntimeSettings s = d.settings();
            boolean rebuild = d.allowRebuild();
            String r = env.get(Setting.DG_ADMIN_CONTROLS_ALLOW_REBUILD.key());
            if (r != null) {
                rebuild = switch (r.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes" -> true;
                    case "false", "0", "no", "" -> false;
                    default -> throw new IllegalArgumentException("DG_ADMIN_CONTROLS_ALLOW_REBUILD must be true or false, got '"
                            + r + "'");
                };
            }
            s = new RuntimeSettings(
                    (int) num(env, Setting.DG_PROJECTION_BATCH_SIZE, s.batchSize()),
                    num(env, Setting.DG_PROJECTION_POLL_INTERVAL_MS, s.pollIntervalMs()),
                    num(env, Setting.DG_PROJECTION_RETRY_BASE_MS, s.retryBaseMs()),
                    (int) num(env, Setting.DG_PROJECTION_MAX_RETRIES, s.maxRetries()),
                    (int) num(env, Setting.DG_PROJECTION_PARTITIONS, s.partitions()),
                    num(env, Setting.DG_PROJECTION_LEASE_TTL_MS, s.leaseTtlMs()), s.threads(), num(env, Setting.DG_PROJECTION_CHECKPOINT_INTERVAL_MS, s.checkpointIntervalMs()),
                    num(env, Setting.DG_PROJECTION_COALESCE_MS, s.coalesceMs()));
            return new Options(rebuild, s, null);
        }

        private static long num(Map<String, String> env, Setting setting, long dflt) {
            String key = setting.key();
            String v = env.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an integer, got '" + v + "' (default " + dflt + ")");
            }
        }
    }

    private final ProjectionRuntime runtime;
    private final StreamHub hub;
    private final Options options;

    private ProjectionService(ProjectionRuntime runtime, StreamHub hub, Options options) {
        this.runtime = runtime;
        this.hub = hub;
        this.options = options;
    }

    /** Creates and boots the runtime over {@code db} (interrupted runs marked, workers started for known tenants). */
    public static ProjectionService start(Database db, Options options, Clock clock) {
        return start(db, options, clock, Tracing.NONE);
    }

    /** As {@link #start(Database, Options, Clock)}, with the workers' catch-ups traced by {@code tracing}. */
    public static ProjectionService start(Database db, Options options, Clock clock, Tracing tracing) {
        ProjectionRuntime runtime = ProjectionRuntime.create(db, options.settings(), clock, IdGenerator.RANDOM_UUID);
        runtime.tracer(tracing);
        StreamHub hub = new StreamHub(runtime, clock);
        runtime.addListener(hub);
        runtime.start();
        return new ProjectionService(runtime, hub, options);
    }

    public ProjectionRuntime runtime() {
        return runtime;
    }

    /** Whether {@code mode: "rebuild"} replay jobs are allowed here ({@code DG_ADMIN_CONTROLS_ALLOW_REBUILD}). */
    public boolean allowRebuild() {
        return options.allowRebuild();
    }

    public StreamHub hub() {
        return hub;
    }

    /** Routes, append hook, healthz source and stop hooks for {@link DgServer#create}. */
    public DgServer.Extensions extensions() {
        List<RouteGroup> groups = List.of(
                new ProjectionReadApi(runtime, options.workflowRuntimeHealth()),
                new ReplayApi(runtime, options.allowRebuild()),
                new org.decisiongraph.server.api.LifecycleApi(runtime, org.decisiongraph.core.event.IdGenerator.RANDOM_UUID),
                new ProjectorAdminApi(runtime, options.workflowRuntimeHealth() == null ? List.of() : List.of("workflow")),
                new StreamApi(hub),
                this::bindMetrics);
        AppendHook hook = (tenant, events) -> {
            hub.eventsAppended(tenant, events);
            return runtime.eventsAppended(tenant);
        };
        ProjectionHealthSource health = new ProjectionHealthSource() {
            @Override
            public Json health(String tenant) {
                return runtime.health(tenant);
            }

            @Override
            public Json runtimeSnapshot() {
                return runtime.snapshot();
            }
        };
        return new DgServer.Extensions(groups, hook, health, List.of(hub, runtime));
    }

    /** Not a route group in the HTTP sense: attaches the runtime meters to the server's registry. */
    private void bindMetrics(Routes routes) {
        ServerMetrics metrics = routes.services().metrics();
        metrics.gauge("decision_graph.projector.workers.active", runtime::activeWorkers);
        metrics.gauge("decision_graph.projector.replay.active", runtime::activeReplayJobs);
        metrics.gauge("decision_graph.sse.clients", hub::clients);
        runtime.addListener(new RuntimeListener() {
            @Override
            public void workerStarted(String tenant, String projection) {
                metrics.workerStarted(projection);
                metrics.gauge("decision_graph.projection.pending_events", () -> pending(tenant, projection),
                        "tenant", tenant, "projection", projection);
                metrics.gauge("decision_graph.projection.stale", () -> pending(tenant, projection) > 0 ? 1 : 0,
                        "tenant", tenant, "projection", projection);
                metrics.gauge("decision_graph.projection.open_failures",
                        () -> runtime.store().openFailures(tenant, projection), "tenant", tenant, "projection", projection);
            }

            @Override
            public void workerSynced(String tenant, String projection, long processedEvents) {
                metrics.workerSynced(projection, processedEvents);
            }

            @Override
            public void workerFailed(String tenant, String projection, String errorCode, boolean terminal) {
                metrics.workerException(projection, errorCode);
            }

            @Override
            public void runChanged(RuntimeStore.Run run, String event, double durationSeconds) {
                if (!"progress".equals(event) && !"running".equals(event)) {
                    metrics.replay(run.mode(), event, durationSeconds);
                }
            }

            @Override
            public void verificationFinished(String tenant, String result) {
                metrics.digestVerification(result);
            }
        });
    }

    private long pending(String tenant, String projection) {
        try {
            var status = runtime.workerStatus(tenant, projection);
            return Math.max(runtime.eventLog(tenant).lastLogSeq(tenant) - status.cursor(), 0);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
