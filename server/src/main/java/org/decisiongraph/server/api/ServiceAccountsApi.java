package org.decisiongraph.server.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.access.AccountKey;
import org.decisiongraph.store.access.ServiceAccount;

/** Service-account administration in the caller's tenant (N15-N19, platform spec 1.15.7). */
public final class ServiceAccountsApi implements RouteGroup {
    private static final String BASE = "/api/v1/admin/service-accounts";

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get(BASE, Access.ADMIN, "Service accounts of the header tenant (no secrets)", "admin")
                .query("limit", "cursor").returns("ServiceAccountList"), this::list);
        routes.add(RouteSpec.post(BASE, Access.ADMIN, 201, "Create an account and its first key (token shown once)", "admin")
                .body("ServiceAccountCreateRequest").returns("ServiceAccountWithKey"), this::create);
        routes.add(RouteSpec.get(BASE + "/{account_id}", Access.ADMIN, "One account with its key metadata", "admin")
                .returns("ServiceAccountOne"), this::show);
        routes.add(RouteSpec.post(BASE + "/{account_id}/keys", Access.ADMIN, 201, "Issue an additional key (rotation)", "admin")
                .body("KeyCreateRequest").returns("ServiceAccountWithKey"), this::rotate);
        routes.add(RouteSpec.post(BASE + "/{account_id}/keys/{key_id}/revoke", Access.ADMIN, 200, "Revoke one key", "admin")
                .body("ReasonRequest").returns("ServiceAccountOne"), this::revoke);
    }

    /** Accounts holding the header tenant; {@code "*"} accounts only for platform admins. */
    private static boolean visible(Call call, ServiceAccount a) {
        if (a.tenantIds().contains(ServiceAccount.ALL)) {
            return call.principal().account().isPlatformAdmin();
        }
        return a.tenantIds().contains(call.tenant());
    }

    private Reply list(Call call) {
        List<ServiceAccount> visible = call.services().access().accounts().stream().filter(a -> visible(call, a)).toList();
        Cursors.Page<ServiceAccount> page = Cursors.page(visible, ServiceAccount::accountId, call, "service_accounts");
        return Reply.ok(JsonObject.builder()
                .put("accounts", Json.array(page.items().stream().map(ServiceAccountsApi::json).toList()))
                .put("next_cursor", Json.ofNullable(page.nextCursor())).build());
    }

    private Reply show(Call call) {
        return Reply.ok(JsonObject.builder().put("account", json(load(call, call.pathParam("account_id")))).build());
    }

    private static ServiceAccount load(Call call, String accountId) {
        Optional<ServiceAccount> a = call.services().access().account(accountId);
        if (a.isEmpty() || !visible(call, a.get())) {
            throw ApiError.notFound("Service account not found: " + accountId);
        }
        return a.get();
    }

    private Reply create(Call call) throws Exception {
        JsonObject body = call.bodyObject();
        String accountId = body.get("account_id") instanceof JsonString s ? s.value() : null;
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "service_account_create", "service account", "service_account", accountId, reason,
                JsonObject.empty(), () -> {
                    if (accountId == null || accountId.isBlank()) {
                        throw ApiError.invalidArgument("account_id is required");
                    }
                    List<String> roles = stringList(body, "roles", true);
                    for (String r : roles) {
                        if (!Permissions.ROLES.contains(r)) {
                            throw ApiError.invalidArgument("roles must contain only reader, writer, admin");
                        }
                    }
                    if (roles.isEmpty()) {
                        throw ApiError.invalidArgument("roles must contain only reader, writer, admin");
                    }
                    List<String> permissions = stringList(body, "permissions", false);
                    for (String p : permissions) {
                        if (!p.equals(ServiceAccount.ALL) && !Permissions.ALL.contains(p)) {
                            throw ApiError.invalidArgument("Unknown permission '" + p + "'");
                        }
                    }
                    List<String> tenants = stringList(body, "tenant_ids", true);
                    if (tenants.isEmpty()) {
                        throw ApiError.invalidArgument("tenant_ids must not be empty");
                    }
                    Instant expiresAt = Params.optionalInstant(body, "expires_at");
                    checkGrants(call.principal().account(), roles, permissions, tenants);
                    Optional<Accounts.Created> created = call.services().accounts().create(accountId,
                            Params.optionalString(body, "display_name"), roles, permissions, tenants, expiresAt,
                            call.principal().accountId());
                    if (created.isEmpty()) {
                        throw ApiError.conflict("Service account '" + accountId + "' already exists");
                    }
                    return Reply.created(JsonObject.builder()
                            .put("account", json(created.get().account()))
                            .put("key", keyJson(created.get().key()))
                            .build());
                });
    }

    /** The caller may grant only what it holds; {@code "*"} needs a platform admin. */
    private static void checkGrants(ServiceAccount me, List<String> roles, List<String> permissions, List<String> tenants) {
        for (String r : roles) {
            if (!me.hasRole(r)) {
                throw ApiError.forbidden("Service account cannot grant role " + r);
            }
        }
        for (String p : permissions) {
            boolean ok = p.equals(ServiceAccount.ALL) ? me.isPlatformAdmin() && me.permissions().contains(ServiceAccount.ALL)
                    : me.hasPermission(p);
            if (!ok) {
                throw ApiError.forbidden("Service account cannot grant permission " + p);
            }
        }
        for (String t : tenants) {
            boolean ok = t.equals(ServiceAccount.ALL) ? me.isPlatformAdmin() : me.canAccessTenant(t);
            if (!ok) {
                throw ApiError.forbidden("Service account cannot grant tenant " + t);
            }
        }
    }

    private Reply rotate(Call call) throws Exception {
        String accountId = call.pathParam("account_id");
        JsonObject body = call.bodyObject();
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "service_account_key_create", "service account", "service_account", accountId, reason,
                JsonObject.empty(), () -> {
                    load(call, accountId);
                    Instant expiresAt = Params.optionalInstant(body, "expires_at");
                    Accounts.IssuedKey key = call.services().accounts().rotate(accountId, expiresAt, call.principal().accountId());
                    return Reply.created(JsonObject.builder()
                            .put("account", json(load(call, accountId)))
                            .put("key", keyJson(key))
                            .build());
                });
    }

    private Reply revoke(Call call) throws Exception {
        String accountId = call.pathParam("account_id");
        String keyId = call.pathParam("key_id");
        JsonObject body = call.bodyObject();
        String reason = Params.optionalString(body, "reason");
        return AdminAction.run(call, "service_account_key_revoke", "service account", "service_account_key", keyId, reason,
                JsonObject.builder().put("account_id", accountId).build(), () -> {
                    ServiceAccount account = load(call, accountId);
                    Optional<AccountKey> key = account.keys().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
                    if (key.isEmpty()) {
                        throw ApiError.notFound("Service account key not found: " + keyId);
                    }
                    Instant now = call.services().clock().instant();
                    if (!key.get().isActiveAt(now)) {
                        throw ApiError.conflict("Service account key '" + keyId + "' is already revoked or expired");
                    }
                    if (accountId.equals(call.principal().accountId())
                            && account.keys().stream().filter(k -> k.isActiveAt(now)).count() == 1) {
                        throw ApiError.conflict("Cannot revoke the last active key of the calling account");
                    }
                    call.services().accounts().revoke(keyId, call.principal().accountId());
                    return Reply.ok(JsonObject.builder().put("account", json(load(call, accountId))).build());
                });
    }

    private static List<String> stringList(JsonObject body, String name, boolean required) {
        Json v = body.get(name);
        if (v == null || v instanceof JsonNull) {
            if (required) {
                throw ApiError.invalidArgument(name + " is required");
            }
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            throw ApiError.invalidArgument(name + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Json item : a) {
            if (!(item instanceof JsonString s) || s.value().isBlank()) {
                throw ApiError.invalidArgument(name + " must be a list of strings");
            }
            out.add(s.value());
        }
        return out;
    }

    static JsonObject json(ServiceAccount a) {
        List<Json> keys = new ArrayList<>();
        for (AccountKey k : a.keys()) {
            keys.add(JsonObject.builder()
                    .put("key_id", k.keyId())
                    .put("display_prefix", k.displayPrefix())
                    .put("created_at", time(k.createdAt()))
                    .put("created_by", Json.ofNullable(k.createdBy()))
                    .put("expires_at", time(k.expiresAt()))
                    .put("revoked_at", time(k.revokedAt()))
                    .put("last_used_at", time(k.lastUsedAt()))
                    .build());
        }
        return JsonObject.builder()
                .put("account_id", a.accountId())
                .put("display_name", Json.ofNullable(a.displayName()))
                .put("roles", Json.strings(a.roles()))
                .put("permissions", Json.strings(a.permissions()))
                .put("tenant_ids", Json.strings(a.tenantIds()))
                .put("status", a.status())
                .put("created_at", time(a.createdAt()))
                .put("created_by", Json.ofNullable(a.createdBy()))
                .put("keys", Json.array(keys))
                .build();
    }

    static JsonObject keyJson(Accounts.IssuedKey k) {
        return JsonObject.builder()
                .put("key_id", k.keyId())
                .put("token", k.token())
                .put("display_prefix", k.displayPrefix())
                .put("expires_at", time(k.expiresAt()))
                .build();
    }

    private static Json time(Instant t) {
        return t == null ? JsonNull.INSTANCE : Json.of(Timestamps.toRfc3339(t));
    }
}
