package org.decisiongraph.server.api;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.ProjectionHealthSource;
import org.decisiongraph.store.Dialect;

/** {@code GET /api/healthz} (liveness, platform spec 1.3) and {@code GET /api/readyz} (readiness, N28). */
public final class HealthApi implements RouteGroup {
    static final List<String> PROJECTIONS = List.of("context_graph", "trace_summary", "precedent_index");

    private final ProjectionHealthSource projectionHealth;

    public HealthApi(ProjectionHealthSource projectionHealth) {
        this.projectionHealth = projectionHealth;
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/healthz", Access.PUBLIC, "Liveness (raw body, redacted unless admin)", "health")
                .returns("Health"), this::healthz);
        routes.add(RouteSpec.get("/api/readyz", Access.PUBLIC, "Readiness: database ping and migration check", "health")
                .returns("Readiness"), this::readyz);
    }

    private Reply healthz(Call call) {
        Services s = call.services();
        boolean admin = s.authenticator().identify(call.header("Authorization")).map(a -> a.hasRole("admin")).orElse(false);
        Json configured;
        try {
            configured = Json.of(s.access().activeAccountCount());
        } catch (RuntimeException e) {
            configured = JsonNull.INSTANCE;
        }
        String[] store = storeFacts(s);
        JsonObject body = JsonObject.builder()
                .put("auth", JsonObject.builder()
                        .put("bootstrap_source", "database")
                        .put("configured_accounts", configured)
                        .put("operator_console_account_id", JsonNull.INSTANCE)
                        .build())
                .put("deployment_env", s.config().deploymentEnv())
                .put("observability", JsonObject.builder()
                        .put("logger_metadata_keys", Json.strings(List.of("request_id", "trace_id", "tenant_id",
                                "projection", "worker")))
                        .put("otel_service_name", s.config().otelServiceName())
                        .build())
                .put("projection_health", projectionHealth())
                .put("projector", projectorSnapshot())
                .put("store", JsonObject.builder()
                        .put("database", admin ? Json.ofNullable(store[0]) : JsonNull.INSTANCE)
                        .put("hostname", admin ? Json.ofNullable(store[1]) : JsonNull.INSTANCE)
                        .put("maintenance_database", admin ? Json.ofNullable(store[2]) : JsonNull.INSTANCE)
                        .put("pool_size", s.db().config().poolSize())
                        .put("projection_names", Json.strings(PROJECTIONS))
                        .put("repo_started?", true)
                        .put("telemetry_prefix", Json.strings(List.of("decision_graph", "repo")))
                        .build())
                .build();
        return Reply.raw(200, body);
    }

    private Json projectorSnapshot() {
        try {
            Json snapshot = projectionHealth.runtimeSnapshot();
            if (snapshot != null) {
                return snapshot;
            }
        } catch (RuntimeException e) {
            // fall through to the static view
        }
        return JsonObject.builder()
                .put("active_workers", 0)
                .put("active_replay_jobs", 0)
                .put("partition_count", 8)
                .put("projections", Json.strings(PROJECTIONS))
                .build();
    }

    private Json projectionHealth() {
        try {
            Json h = projectionHealth.health("default");
            if (h != null) {
                return h;
            }
            return JsonObject.builder().put("status", "unavailable").put("reason", "projections_not_wired").build();
        } catch (DgException e) {
            return JsonObject.builder().put("status", "unavailable").put("reason", e.code().apiCode()).build();
        } catch (RuntimeException e) {
            return JsonObject.builder().put("status", "unavailable").put("reason", "internal_error").build();
        }
    }

    /** database, hostname, maintenance database of the open database (from its description, no probe). */
    private static String[] storeFacts(Services s) {
        String d = s.db().toString();
        if (s.db().dialect() == Dialect.SQLITE) {
            return new String[] {d.substring(d.indexOf(':') + 1), null, null};
        }
        try {
            URI uri = URI.create(d.substring(d.indexOf(':') + 1 + "jdbc:".length()));
            String path = uri.getPath();
            return new String[] {path == null ? null : path.replaceFirst("^/", ""), uri.getHost(), "postgres"};
        } catch (RuntimeException e) {
            return new String[] {null, null, "postgres"};
        }
    }

    private Reply readyz(Call call) {
        Services s = call.services();
        boolean db;
        try {
            db = CompletableFuture.supplyAsync(() -> s.access().ping(), r -> Thread.ofVirtual().start(r))
                    .get(2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            db = false;
        }
        String migrations;
        if (!db) {
            migrations = "unknown";
        } else {
            try {
                migrations = s.access().migrationsApplied() ? "ok" : "pending";
            } catch (RuntimeException e) {
                migrations = "unknown";
            }
        }
        boolean ready = db && "ok".equals(migrations);
        return Reply.raw(ready ? 200 : 503, JsonObject.builder()
                .put("status", ready ? "ready" : "not_ready")
                .put("checks", JsonObject.builder().put("database", db ? "ok" : "error").put("migrations", migrations).build())
                .build());
    }
}
