package org.decisiongraph.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.ServiceAccount;
import org.decisiongraph.store.access.Tenant;

/** {@code GET|POST /api/v1/admin/tenants} (N13, N14). */
public final class TenantsApi implements RouteGroup {
    static final Pattern TENANT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/admin/tenants", Access.ADMIN, "Tenants visible to the caller", "admin")
                .query("limit", "cursor").returns("TenantList"), this::list);
        routes.add(RouteSpec.post("/api/v1/admin/tenants", Access.ADMIN, 201, "Register a tenant (platform admin)", "admin")
                .body("TenantCreateRequest").returns("TenantCreated"), this::create);
    }

    private Reply list(Call call) {
        ServiceAccount me = call.principal().account();
        List<Tenant> registered = call.services().access().tenants();
        List<Json> out = new ArrayList<>();
        if (me.isPlatformAdmin()) {
            registered.forEach(t -> out.add(json(t)));
        } else {
            for (String id : me.tenantIds().stream().sorted().toList()) {
                registered.stream().filter(t -> t.tenantId().equals(id)).findFirst().ifPresentOrElse(
                        t -> out.add(json(t)),
                        () -> out.add(JsonObject.builder().put("tenant_id", id).put("display_name", JsonNull.INSTANCE)
                                .put("origin", "config").put("created_at", JsonNull.INSTANCE)
                                .put("created_by", JsonNull.INSTANCE).build()));
            }
        }
        Cursors.Page<Json> page = Cursors.page(out, t -> ((JsonObject) t).getString("tenant_id"), call, "tenants");
        return Reply.ok(JsonObject.builder().put("tenants", Json.array(page.items()))
                .put("next_cursor", Json.ofNullable(page.nextCursor())).build());
    }

    private Reply create(Call call) throws Exception {
        JsonObject body = call.bodyObject();
        String tenantId = body.get("tenant_id") instanceof org.decisiongraph.core.json.JsonString s ? s.value() : null;
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "tenant_create", "tenant", "tenant", tenantId, reason, JsonObject.empty(), () -> {
            if (!call.principal().account().isPlatformAdmin()) {
                throw ApiError.forbidden("Service account lacks platform admin access");
            }
            if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
                throw ApiError.invalidArgument("tenant_id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
            }
            Tenant t = new Tenant(tenantId, Params.optionalString(body, "display_name"), "api",
                    call.services().clock().instant(), call.principal().accountId());
            if (!call.services().access().createTenant(t)) {
                throw ApiError.conflict("Tenant '" + tenantId + "' already exists");
            }
            return Reply.created(JsonObject.builder().put("tenant", json(t)).build());
        });
    }

    static JsonObject json(Tenant t) {
        return JsonObject.builder()
                .put("tenant_id", t.tenantId())
                .put("display_name", Json.ofNullable(t.displayName()))
                .put("origin", t.origin())
                .put("created_at", Timestamps.toRfc3339(t.createdAt()))
                .put("created_by", Json.ofNullable(t.createdBy()))
                .build();
    }
}
