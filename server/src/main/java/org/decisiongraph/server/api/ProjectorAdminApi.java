package org.decisiongraph.server.api;

import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeJson;
import org.decisiongraph.projection.runtime.WorkerStatus;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * Projector workers (N5), projection failures (N6-N9) and digest verification jobs (N10-N12). By-id lookups
 * answer 404 unless the row belongs to the caller's tenant.
 */
public final class ProjectorAdminApi implements RouteGroup {
    private static final List<String> PROJECTIONS = ProjectionRuntime.PROJECTIONS;
    private final ProjectionRuntime runtime;
    private final List<String> extraWorkerProjections;

    /**
     * @param extraWorkerProjections projections of other runtimes reported as {@code stopped} workers until
     *                               their runtime is wired in (the {@code workflow} projection)
     */
    public ProjectorAdminApi(ProjectionRuntime runtime, List<String> extraWorkerProjections) {
        this.runtime = runtime;
        this.extraWorkerProjections = List.copyOf(extraWorkerProjections);
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/admin/projector-workers", Access.ADMIN, "Runtime snapshot and worker status", "admin")
                .returns("ProjectorWorkers"), this::workers);
        routes.add(RouteSpec.get("/api/v1/admin/projection-failures", Access.ADMIN, "Projection failures, newest first", "admin")
                .permission(Permissions.PROJECTION_REPLAY).query("projection", "status", "limit", "cursor")
                .returns("FailureList"), this::failures);
        routes.add(RouteSpec.get("/api/v1/admin/projection-failures/{failure_id}", Access.ADMIN, "One projection failure", "admin")
                .permission(Permissions.PROJECTION_REPLAY).returns("FailureEnvelope"), this::failure);
        routes.add(RouteSpec.post("/api/v1/admin/projection-failures/{failure_id}/retry", Access.ADMIN, 202,
                        "Resume the failed worker from its durable cursor", "admin")
                .permission(Permissions.PROJECTION_REPLAY).body("ReasonRequest").returns("FailureRetry"), this::retry);
        routes.add(RouteSpec.post("/api/v1/admin/projection-failures/{failure_id}/resolve", Access.ADMIN, 200,
                        "Mark a failure resolved (never moves a cursor)", "admin")
                .permission(Permissions.PROJECTION_REPLAY).body("ReasonRequest").returns("FailureEnvelope"), this::resolve);
        routes.add(RouteSpec.post("/api/v1/admin/digest-verifications", Access.ADMIN, 202,
                        "Start a digest verification (rebuild into scratch memory, compare digests)", "admin")
                .permission(Permissions.PROJECTION_REPLAY).body("VerificationRequest").returns("VerificationEnvelope"),
                this::startVerification);
        routes.add(RouteSpec.get("/api/v1/admin/digest-verifications", Access.ADMIN, "Digest verification jobs", "admin")
                .permission(Permissions.PROJECTION_REPLAY).query("limit", "cursor").returns("VerificationList"),
                this::verifications);
        routes.add(RouteSpec.get("/api/v1/admin/digest-verifications/{verification_id}", Access.ADMIN,
                        "One digest verification job", "admin")
                .permission(Permissions.PROJECTION_REPLAY).returns("VerificationEnvelope"), this::verification);
    }

    private static void requireReplay(Call call) {
        if (!call.principal().account().hasPermission(Permissions.PROJECTION_REPLAY)) {
            throw ApiError.forbidden("Service account lacks " + Permissions.PROJECTION_REPLAY + " permission");
        }
    }

    // --- workers -----------------------------------------------------------------------------------

    private Reply workers(Call call) {
        List<Json> workers = new java.util.ArrayList<>();
        for (WorkerStatus w : runtime.workerStatuses(call.tenant())) {
            workers.add(w.toJson());
        }
        for (String extra : extraWorkerProjections) {
            if (runtime.externalProjections().contains(extra)) {
                continue; // reported by the runtime itself
            }
            workers.add(new WorkerStatus(call.tenant(), extra, 0, 0, null, null, 0, "stopped", 0).toJson());
        }
        return Reply.ok(JsonObject.builder().put("runtime", runtime.snapshot()).put("workers", Json.array(workers)).build());
    }

    // --- failures ----------------------------------------------------------------------------------

    private Reply failures(Call call) {
        requireReplay(call);
        String status = call.query("status");
        if (status != null && !status.equals("open") && !status.equals("resolved")) {
            throw ApiError.invalidArgument("status must be open or resolved");
        }
        List<RuntimeStore.Failure> rows = runtime.store().failures(call.tenant(), call.query("projection"), status);
        Cursors.Page<RuntimeStore.Failure> page = Cursors.pageDescending(rows, f -> f.recordedAt() + "\n" + f.id(), call,
                "failures");
        return Reply.ok(JsonObject.builder()
                .put("failures", Json.array(page.items().stream().map(RuntimeJson::failure).toList()))
                .put("next_cursor", Json.ofNullable(page.nextCursor()))
                .build());
    }

    private RuntimeStore.Failure loadFailure(Call call, String id) {
        return runtime.store().failure(id).filter(f -> f.tenantId().equals(call.tenant()))
                .orElseThrow(() -> ApiError.notFound("Projection failure not found: " + id));
    }

    private Reply failure(Call call) {
        requireReplay(call);
        RuntimeStore.Failure f = loadFailure(call, call.pathParam("failure_id"));
        return Reply.ok(JsonObject.builder().put("failure", RuntimeJson.failure(f)).build());
    }

    private Reply retry(Call call) throws Exception {
        String id = call.pathParam("failure_id");
        JsonObject body = call.bodyObject();
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "projection_failure_retry", "projection failure", "projection_failure", id, reason,
                JsonObject.builder().put("failure_id", id).build(), () -> {
                    requireReplay(call);
                    RuntimeStore.Failure f = loadFailure(call, id);
                    if (!"open".equals(f.status())) {
                        throw ApiError.conflict("Projection failure " + id + " is already resolved");
                    }
                    WorkerStatus w = runtime.retryFailure(f);
                    RuntimeStore.Failure after = loadFailure(call, id);
                    return Reply.status(202, JsonObject.builder().put("failure", RuntimeJson.failure(after))
                            .put("worker", w.toJson()).build());
                });
    }

    private Reply resolve(Call call) throws Exception {
        String id = call.pathParam("failure_id");
        JsonObject body = call.bodyObject();
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "projection_failure_resolve", "projection failure", "projection_failure", id, reason,
                JsonObject.builder().put("failure_id", id).build(), () -> {
                    if (reason == null || reason.isBlank()) { // required regardless of require_reason
                        throw ApiError.invalidArgument("reason is required for projection failure admin actions");
                    }
                    requireReplay(call);
                    RuntimeStore.Failure f = loadFailure(call, id);
                    if (!"open".equals(f.status())) {
                        throw ApiError.conflict("Projection failure " + id + " is already resolved");
                    }
                    JsonObject resolution = JsonObject.builder().put("account_id", call.principal().accountId())
                            .put("reason", reason.strip()).put("request_id", call.requestId()).put("manual", true).build();
                    if (!runtime.resolveFailure(f, resolution)) {
                        throw ApiError.conflict("Projection failure " + id + " is already resolved");
                    }
                    RuntimeStore.Failure after = loadFailure(call, id);
                    return Reply.ok(JsonObject.builder().put("failure", RuntimeJson.failure(after)).build());
                });
    }

    // --- digest verifications ----------------------------------------------------------------------

    private Reply startVerification(Call call) throws Exception {
        JsonObject body = call.bodyObject();
        String reason = Params.optionalString(body, "reason");
        String projection = body.get("projection") instanceof JsonString s && !s.value().isBlank() ? s.value().strip() : "all";
        return AdminAction.run(call, "start_digest_verification", "digest verification", "digest_verification", null,
                reason, JsonObject.builder().put("projection", projection).build(), () -> {
                    requireReplay(call);
                    RuntimeStore.Verification v = runtime.startVerification(call.tenant(), projection,
                            reason == null ? null : reason.strip(), call.requestId(), call.principal().accountId());
                    return Reply.status(202, JsonObject.builder().put("verification", RuntimeJson.verification(v)).build());
                });
    }

    private Reply verifications(Call call) {
        requireReplay(call);
        List<RuntimeStore.Verification> rows = runtime.store().verifications(call.tenant());
        Cursors.Page<RuntimeStore.Verification> page = Cursors.pageDescending(rows,
                v -> v.requestedAt() + "\n" + v.verificationId(), call, "verifications");
        return Reply.ok(JsonObject.builder()
                .put("verifications", Json.array(page.items().stream().map(RuntimeJson::verification).toList()))
                .put("next_cursor", Json.ofNullable(page.nextCursor()))
                .build());
    }

    private Reply verification(Call call) {
        requireReplay(call);
        String id = call.pathParam("verification_id");
        RuntimeStore.Verification v = runtime.store().verification(id).filter(x -> x.tenantId().equals(call.tenant()))
                .orElseThrow(() -> ApiError.notFound("Digest verification not found: " + id));
        return Reply.ok(JsonObject.builder().put("verification", RuntimeJson.verification(v)).build());
    }
}
