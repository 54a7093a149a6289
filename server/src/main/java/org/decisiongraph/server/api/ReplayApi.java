package org.decisiongraph.server.api;

import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeJson;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.access.ServiceAccount;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * Replay / rebuild jobs (platform spec 1.9, N4): start, status, cancel and the run list. Every start and cancel
 * attempt writes an {@code audit_log} row, accepted or rejected.
 */
public final class ReplayApi implements RouteGroup {
    private final ProjectionRuntime runtime;
    private final boolean allowRebuild;

    public ReplayApi(ProjectionRuntime runtime, boolean allowRebuild) {
        this.runtime = runtime;
        this.allowRebuild = allowRebuild;
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.post("/api/v1/admin/replays", Access.ADMIN, 202, "Start a replay (catch_up) or rebuild job", "admin")
                .permission("projection_replay | projection_rebuild").body("ReplayRequest").returns("RunEnvelope"), this::start);
        routes.add(RouteSpec.get("/api/v1/admin/replays", Access.ADMIN, "Replay/rebuild runs, newest first", "admin")
                .permission("projection_replay | projection_rebuild").query("projection", "mode", "status", "limit", "cursor")
                .returns("RunList"), this::list);
        routes.add(RouteSpec.get("/api/v1/admin/replays/{job_id}", Access.ADMIN, "One replay/rebuild run", "admin")
                .permission("permission of the run's mode").returns("RunEnvelope"), this::show);
        routes.add(RouteSpec.post("/api/v1/admin/replays/{job_id}/cancel", Access.ADMIN, 200, "Cancel an active run", "admin")
                .permission("permission of the run's mode").returns("RunEnvelope"), this::cancel);
    }

    private static String permissionOf(String mode) {
        return "rebuild".equals(mode) ? Permissions.PROJECTION_REBUILD : Permissions.PROJECTION_REPLAY;
    }

    private Reply start(Call call) {
        JsonObject body = call.bodyObject();
        String mode = "catch_up";
        String projection = null;
        String reason = null;
        JsonObject details = JsonObject.empty();
        try {
            Json m = body.get("mode");
            if (m != null && !(m instanceof JsonNull)) {
                if (!(m instanceof JsonString s) || !(s.value().equals("catch_up") || s.value().equals("rebuild"))) {
                    throw ApiError.invalidArgument("mode must be catch_up or rebuild");
                }
                mode = s.value();
            }
            Json p = body.get("projection");
            if (!(p instanceof JsonString ps) || ps.value().isBlank()) {
                throw ApiError.invalidArgument("projection is required");
            }
            projection = ps.value().strip();
            details = details(null, mode, projection);
            Json md = body.get("metadata");
            JsonObject metadata;
            if (md == null || md instanceof JsonNull) {
                metadata = JsonObject.empty();
            } else if (md instanceof JsonObject o) {
                metadata = o;
            } else {
                throw ApiError.invalidArgument("metadata must be an object");
            }
            reason = body.get("reason") instanceof JsonString r ? r.value() : null;
            if ((reason == null || reason.isBlank()) && metadata.get("reason") instanceof JsonString r) {
                reason = r.value();
            }
            reason = reason == null ? null : reason.strip();
            if (call.services().config().requireReason() && (reason == null || reason.isEmpty())) {
                throw ApiError.invalidArgument("reason is required for replay and rebuild admin actions");
            }
            String permission = permissionOf(mode);
            if (!call.principal().account().hasPermission(permission)) {
                throw ApiError.forbidden("Service account lacks " + permission + " permission");
            }
            if ("rebuild".equals(mode) && !allowRebuild) {
                throw ApiError.forbidden("Projection rebuilds are disabled in this deployment");
            }
            long since = longMember(body, "since_log_seq", 0L);
            Long until = longMember(body, "until_log_seq", null);
            ServiceAccount me = call.principal().account();
            JsonObject.Builder stored = JsonObject.builder();
            metadata.members().forEach(stored::put);
            JsonObject withDefaults = stored.build();
            if (!withDefaults.has("reason")) {
                withDefaults = withDefaults.with("reason", Json.ofNullable(reason));
            }
            if (!withDefaults.has("request_id")) {
                withDefaults = withDefaults.with("request_id", Json.of(call.requestId()));
            }
            if (!withDefaults.has("requested_by_account_id")) {
                withDefaults = withDefaults.with("requested_by_account_id", Json.of(me.accountId()));
            }
            if (!withDefaults.has("requested_by_roles")) {
                withDefaults = withDefaults.with("requested_by_roles", Json.strings(me.roles()));
            }
            RuntimeStore.Run run = runtime.startReplay(call.tenant(), projection, mode, since, until, withDefaults);
            details = details(run.jobId(), mode, projection);
            call.services().audit().admin(call, "start_replay", "accepted", "replay_job", run.jobId(), reason, null, details);
            return Reply.status(202, JsonObject.builder().put("run", RuntimeJson.run(run)).build());
        } catch (ApiError e) {
            call.services().audit().admin(call, "start_replay", "rejected", "replay_job", null, e.getMessage(), e.code(), details);
            throw e;
        } catch (DgException e) {
            call.services().audit().admin(call, "start_replay", "rejected", "replay_job", null, e.message(),
                    e.code().apiCode(), details);
            throw e;
        }
    }

    private static JsonObject details(String jobId, String mode, String projection) {
        return JsonObject.builder().put("job_id", Json.ofNullable(jobId)).put("mode", mode)
                .put("permission", permissionOf(mode)).put("projection", Json.ofNullable(projection)).build();
    }

    /** An integer body member (a JSON integer or an integer string), or {@code dflt} when absent. */
    static Long longMember(JsonObject body, String name, Long dflt) {
        Json v = body.get(name);
        if (v == null || v instanceof JsonNull) {
            return dflt;
        }
        if (v instanceof JsonInt i) {
            try {
                return i.value().longValueExact();
            } catch (ArithmeticException e) {
                throw ApiError.invalidArgument(name + " must be an integer");
            }
        }
        if (v instanceof JsonString s) {
            return Params.integer(name, s.value());
        }
        throw ApiError.invalidArgument(name + " must be an integer");
    }

    /** The run of the caller's tenant, else 404 {@code Replay job not found: <id>}. */
    private RuntimeStore.Run load(Call call, String jobId) {
        return runtime.store().run(jobId).filter(r -> r.tenantId().equals(call.tenant()))
                .orElseThrow(() -> ApiError.notFound("Replay job not found: " + jobId));
    }

    private static void requirePermission(Call call, String mode) {
        String permission = permissionOf(mode);
        if (!call.principal().account().hasPermission(permission)) {
            throw ApiError.forbidden("Service account lacks " + permission + " permission");
        }
    }

    private Reply show(Call call) {
        RuntimeStore.Run run = load(call, call.pathParam("job_id"));
        requirePermission(call, run.mode());
        return Reply.ok(JsonObject.builder().put("run", RuntimeJson.run(run)).build());
    }

    private Reply cancel(Call call) {
        String jobId = call.pathParam("job_id");
        JsonObject details = JsonObject.builder().put("job_id", jobId).build();
        try {
            RuntimeStore.Run run = load(call, jobId);
            details = details(jobId, run.mode(), run.projectionName());
            requirePermission(call, run.mode());
            RuntimeStore.Run cancelled = runtime.cancelReplay(call.tenant(), jobId).orElseGet(() -> {
                RuntimeStore.Run now = load(call, jobId);
                throw ApiError.conflict("Replay job " + jobId + " is already " + now.status());
            });
            call.services().audit().admin(call, "cancel_replay", "accepted", "replay_job", jobId, null, null, details);
            return Reply.ok(JsonObject.builder().put("run", RuntimeJson.run(cancelled)).build());
        } catch (ApiError e) {
            call.services().audit().admin(call, "cancel_replay", "rejected", "replay_job", jobId, e.getMessage(), e.code(),
                    details);
            throw e;
        }
    }

    private Reply list(Call call) {
        ServiceAccount me = call.principal().account();
        boolean replay = me.hasPermission(Permissions.PROJECTION_REPLAY);
        boolean rebuild = me.hasPermission(Permissions.PROJECTION_REBUILD);
        if (!replay && !rebuild) {
            throw ApiError.forbidden("Service account lacks " + Permissions.PROJECTION_REPLAY + " permission");
        }
        String projection = call.query("projection");
        String mode = call.query("mode");
        String status = call.query("status");
        List<RuntimeStore.Run> runs = runtime.store().runs(call.tenant()).stream()
                .filter(r -> "rebuild".equals(r.mode()) ? rebuild : replay)
                .filter(r -> projection == null || projection.equals(r.projectionName()))
                .filter(r -> mode == null || mode.equals(r.mode()))
                .filter(r -> status == null || status.equals(r.status()))
                .toList();
        Cursors.Page<RuntimeStore.Run> page = Cursors.pageDescending(runs, r -> r.requestedAt() + "\n" + r.jobId(), call, "runs");
        return Reply.ok(JsonObject.builder()
                .put("runs", Json.array(page.items().stream().map(RuntimeJson::run).toList()))
                .put("next_cursor", Json.ofNullable(page.nextCursor()))
                .build());
    }
}
