package org.decisiongraph.server.api;

import java.security.SecureRandom;
import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeJson;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.audit.Retention;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * Redaction and retention (docs/OPERATIONS.md): {@code POST|GET /api/v1/admin/redactions},
 * {@code GET /api/v1/admin/retention}, {@code POST /api/v1/admin/retention/policy},
 * {@code POST /api/v1/admin/retention/runs}. An accepted change is recorded by the store (record + audit row in
 * its transaction) and followed by a rebuild job of all projections of the tenant, whose run is in the reply;
 * a rejected request writes a {@code rejected} audit row. Retention runs from the API are not signed (sign with
 * {@code dg retention run --key}).
 */
public final class LifecycleApi implements RouteGroup {
    private final ProjectionRuntime runtime;
    private final IdGenerator ids;

    public LifecycleApi(ProjectionRuntime runtime, IdGenerator ids) {
        this.runtime = runtime;
        this.ids = ids;
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.post("/api/v1/admin/redactions", Access.ADMIN, 201,
                        "Redact one payload value of an event (recorded, audited; projections rebuilt)", "admin")
                .body("RedactionRequest").returns("RedactionResult"), this::redact);
        routes.add(RouteSpec.get("/api/v1/admin/redactions", Access.ADMIN, "Redaction records of the tenant", "admin")
                .returns("RedactionList"), this::redactions);
        routes.add(RouteSpec.get("/api/v1/admin/retention", Access.ADMIN, "Retention policy and runs of the tenant", "admin")
                .returns("RetentionState"), this::retention);
        routes.add(RouteSpec.post("/api/v1/admin/retention/policy", Access.ADMIN, 200,
                        "Create or replace the tenant's retention policy", "admin")
                .body("RetentionPolicyRequest").returns("RetentionPolicyResult"), this::setPolicy);
        routes.add(RouteSpec.post("/api/v1/admin/retention/runs", Access.ADMIN, 201,
                        "Archive and remove the tenant's traces older than its policy (projections rebuilt)", "admin")
                .body("ReasonRequest").returns("RetentionRunResult"), this::runRetention);
    }

    private Redactions.Actor actor(Call call) {
        var p = call.principal();
        return new Redactions.Actor("service_account", p.accountId(), p.account().roles(), call.requestId());
    }

    private Reply redact(Call call) {
        JsonObject body = call.bodyObject();
        String eventId = Params.optionalString(body, "event_id");
        String field = Params.optionalString(body, "field");
        String reason = Params.optionalString(body, "reason");
        JsonObject details = JsonObject.builder().put("event_id", Json.ofNullable(eventId))
                .put("field_path", Json.ofNullable(field)).build();
        try {
            if (eventId == null || field == null) {
                throw ApiError.invalidArgument("event_id and field are required");
            }
            Redactions.Result r = new Redactions(call.services().db(), ids, new SecureRandom())
                    .redact(call.tenant(), eventId, field, reason, actor(call), call.services().clock().instant());
            return Reply.created(JsonObject.builder().put("redaction", r.redaction().toJson())
                    .put("value_salt", r.salt()).put("projection_rebuild", rebuild(call, "redaction " + r.redaction().redactionId()))
                    .build());
        } catch (ApiError e) {
            call.services().audit().admin(call, Redactions.AUDIT_ACTION, "rejected", "event", eventId, e.getMessage(),
                    e.code(), details);
            throw e;
        } catch (DgException e) {
            call.services().audit().admin(call, Redactions.AUDIT_ACTION, "rejected", "event", eventId, e.message(),
                    e.code().apiCode(), details);
            throw e;
        }
    }

    private Reply redactions(Call call) {
        List<Json> out = new Redactions(call.services().db(), ids, new SecureRandom()).list(call.tenant()).stream()
                .<Json>map(Redactions.Redaction::toJson).toList();
        return Reply.ok(JsonObject.builder().put("redactions", Json.array(out)).build());
    }

    private Reply retention(Call call) {
        Retention r = new Retention(call.services().db(), ids);
        return Reply.ok(JsonObject.builder()
                .put("policy", r.policy(call.tenant()).<Json>map(Retention.Policy::toJson).orElse(JsonNull.INSTANCE))
                .put("runs", Json.array(r.runs(call.tenant()).stream().<Json>map(Retention.Run::toJson).toList()))
                .build());
    }

    private Reply setPolicy(Call call) {
        JsonObject body = call.bodyObject();
        String dir = Params.optionalString(body, "archive_dir");
        JsonObject details = JsonObject.builder().put("retain_days", body.get("retain_days") == null ? JsonNull.INSTANCE : body.get("retain_days"))
                .put("archive_dir", Json.ofNullable(dir)).build();
        try {
            if (!(body.get("retain_days") instanceof JsonInt days)) {
                throw ApiError.invalidArgument("retain_days must be an integer >= 1");
            }
            long n;
            try {
                n = days.value().longValueExact();
            } catch (ArithmeticException e) {
                throw ApiError.invalidArgument("retain_days must be an integer >= 1");
            }
            Retention.Policy p = new Retention(call.services().db(), ids).setPolicy(call.tenant(), n, dir, actor(call),
                    call.services().clock().instant());
            return Reply.ok(JsonObject.builder().put("policy", p.toJson()).build());
        } catch (ApiError e) {
            call.services().audit().admin(call, Retention.AUDIT_POLICY, "rejected", "retention_policy", call.tenant(),
                    e.getMessage(), e.code(), details);
            throw e;
        } catch (DgException e) {
            call.services().audit().admin(call, Retention.AUDIT_POLICY, "rejected", "retention_policy", call.tenant(),
                    e.message(), e.code().apiCode(), details);
            throw e;
        }
    }

    private Reply runRetention(Call call) {
        try {
            Retention.Outcome o = new Retention(call.services().db(), ids).run(call.tenant(), null, actor(call),
                    call.services().clock().instant());
            Json rebuild = o.run() == null ? JsonNull.INSTANCE : rebuild(call, "retention run " + o.run().runId());
            return Reply.created(o.toJson().with("projection_rebuild", rebuild));
        } catch (DgException e) {
            call.services().audit().admin(call, Retention.AUDIT_RUN, "rejected", "retention_run", null, e.message(),
                    e.code().apiCode(), JsonObject.empty());
            throw e;
        }
    }

    /** Starts the rebuild of all projections of the tenant; null when one is already running. */
    private Json rebuild(Call call, String cause) {
        try {
            RuntimeStore.Run run = runtime.startReplay(call.tenant(), "all", "rebuild", 0, null, JsonObject.builder()
                    .put("reason", "after " + cause).put("request_id", call.requestId())
                    .put("requested_by_account_id", call.principal().accountId()).build());
            return RuntimeJson.run(run);
        } catch (DgException e) {
            return JsonObject.builder().put("error", e.message()).build();
        }
    }
}
