package org.decisiongraph.server.console.pages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsoleAccounts;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.PasswordHasher;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.access.AccountKey;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ServiceAccount;
import org.decisiongraph.store.access.Tenant;

/**
 * {@code /console/admin} (admin role in the selected tenant; platform spec 4.6 "our contract"): tenants (registering one
 * needs a platform admin), console users of the tenant (create with a role; passwords are hashed, never shown), and the
 * tenant's service accounts with key metadata: create an account or a key — the token is shown once, on the answer
 * page, with the rotation notes — and revoke keys. Existing secrets are never rendered. Every change writes an
 * {@code audit_log} row (accepted or refused).
 */
public final class AdminPages implements ConsolePages {
    static final String PATH = "/console/admin";
    private static final Pattern TENANT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

    /** A tenant row. */
    public record TenantRow(String tenantId, String displayName, String origin, String createdAt) {
    }

    /** A console user row (memberships of the selected tenant, or of every tenant). */
    public record UserRow(String userId, String displayName, String status, String roles, String permissions, String lastLogin) {
    }

    /** A key row. */
    public record KeyRow(String keyId, String prefix, String createdAt, String expiresAt, String revokedAt, String lastUsedAt,
                         boolean active) {
    }

    /** A service account row. */
    public record AccountRow(String accountId, String displayName, String roles, String permissions, String tenants, String status,
                             List<KeyRow> keys) {
    }

    /** A token shown once. */
    public record NewToken(String accountId, String keyId, String token) {
    }

    /** The admin page model. */
    public record View(String tenant, boolean platformAdmin, List<TenantRow> tenants, List<UserRow> users, List<AccountRow> accounts,
                       NewToken token, String flash, String flashKind) {
    }

    @Override
    public void register(Console console) {
        console.nav("Admin", PATH, Requirement.ADMIN);
        console.page(PATH, Requirement.ADMIN, r -> r.page("wf/admin.jte", "Administration", view(r, null, r.query("flash"), r.query("kind"))));
        console.action(PATH + "/tenants", Requirement.ADMIN, this::createTenant);
        console.action(PATH + "/users", Requirement.ADMIN, this::createUser);
        console.action(PATH + "/accounts", Requirement.ADMIN, this::createAccount);
        console.action(PATH + "/keys", Requirement.ADMIN, this::createKey);
        console.action(PATH + "/revoke", Requirement.ADMIN, this::revokeKey);
    }

    static View view(PageRequest r, NewToken token, String flash, String kind) {
        boolean platform = r.session().isPlatformAdmin();
        List<TenantRow> tenants = new ArrayList<>();
        for (Tenant t : r.services().access().tenants()) {
            if (platform || r.session().isMember(t.tenantId())) {
                tenants.add(new TenantRow(t.tenantId(), t.displayName() == null ? "" : t.displayName(), t.origin(), time(t.createdAt())));
            }
        }
        List<UserRow> users = new ArrayList<>();
        for (ConsoleUser u : accounts(r).list()) {
            List<String> roles = new ArrayList<>();
            List<String> perms = new ArrayList<>();
            boolean member = false;
            for (ConsoleUser.Membership m : u.memberships()) {
                if (m.tenantId().equals(r.tenant()) || m.tenantId().equals(ServiceAccount.ALL)) {
                    member = true;
                    String where = m.tenantId().equals(ServiceAccount.ALL) ? " (all tenants)" : "";
                    m.roles().forEach(x -> roles.add(x + where));
                    perms.addAll(m.permissions());
                }
            }
            if (member) {
                users.add(new UserRow(u.userId(), u.displayName() == null ? "" : u.displayName(), u.status(), String.join(", ", roles),
                        String.join(", ", perms.stream().distinct().toList()), time(u.lastLoginAt())));
            }
        }
        List<AccountRow> rows = new ArrayList<>();
        Instant now = r.services().clock().instant();
        for (ServiceAccount a : r.services().access().accounts()) {
            boolean visible = a.tenantIds().contains(ServiceAccount.ALL) ? platform : a.tenantIds().contains(r.tenant());
            if (!visible) {
                continue;
            }
            List<KeyRow> keys = new ArrayList<>();
            for (AccountKey k : a.keys()) {
                keys.add(new KeyRow(k.keyId(), k.displayPrefix(), time(k.createdAt()), time(k.expiresAt()), time(k.revokedAt()),
                        time(k.lastUsedAt()), k.isActiveAt(now)));
            }
            rows.add(new AccountRow(a.accountId(), a.displayName() == null ? "" : a.displayName(), String.join(", ", a.roles()),
                    String.join(", ", a.permissions()), String.join(", ", a.tenantIds()), a.status(), keys));
        }
        return new View(r.tenant(), platform, tenants, users, rows, token, flash, kind);
    }

    private static ConsoleAccounts accounts(PageRequest r) {
        return new ConsoleAccounts(r.services().db(), PasswordHasher.DEFAULT, r.services().clock());
    }

    private static String time(Instant t) {
        return t == null ? "" : Timestamps.toRfc3339(t);
    }

    private static String back(PageRequest r, String flash, String kind) {
        r.redirect(Urls.of(PATH, "tenant", r.tenant(), "flash", flash, "kind", kind));
        return null;
    }

    private static String refuse(PageRequest r, int status, String action, String targetType, String targetId, String message) {
        r.audit(action, status == 403 ? "denied" : "rejected", targetType, targetId, message, status == 403 ? "forbidden"
                : status == 409 ? "conflict" : "invalid_argument", JsonObject.builder().put("via", "console").build());
        WorkflowPages.status(r, status);
        return r.page("wf/admin.jte", "Administration", view(r, null, message, "alert"));
    }

    private String createTenant(PageRequest r) {
        String id = r.form("new_tenant_id");
        if (!r.session().isPlatformAdmin()) {
            return refuse(r, 403, "tenant_create", "tenant", id, "Registering a tenant needs a platform admin (admin of every tenant)");
        }
        if (id == null || !TENANT_ID.matcher(id).matches()) {
            return refuse(r, 400, "tenant_create", "tenant", id, "tenant_id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
        }
        Tenant t = new Tenant(id, r.form("display_name"), "api", r.services().clock().instant(), "user:" + r.userId());
        if (!r.services().access().createTenant(t)) {
            return refuse(r, 409, "tenant_create", "tenant", id, "Tenant '" + id + "' already exists");
        }
        r.audit("tenant_create", "accepted", "tenant", id, r.form("reason"), null, JsonObject.builder().put("via", "console").build());
        return back(r, "Tenant " + id + " registered", "good");
    }

    private String createUser(PageRequest r) {
        String user = r.form("user_id");
        String role = r.form("role");
        if (role != null && !mayGrant(r, role)) {
            return refuse(r, 403, "console_user_create", "user", user, "You cannot grant role " + role);
        }
        try {
            List<String> roles = role == null ? List.of() : List.of(role);
            List<String> perms = ConsoleAccounts.defaultPermissions(role == null ? "reader" : role).stream()
                    .filter(p -> r.session().hasPermission(r.tenant(), p)).toList();
            if (!accounts(r).create(user, r.form("display_name"), r.context().formParam("password"), r.tenant(), roles, perms)) {
                return refuse(r, 409, "console_user_create", "user", user, "User '" + user + "' already exists");
            }
        } catch (IllegalArgumentException e) {
            return refuse(r, 400, "console_user_create", "user", user, e.getMessage());
        }
        r.audit("console_user_create", "accepted", "user", user, r.form("reason"), null,
                JsonObject.builder().put("via", "console").put("role", role).build());
        return back(r, "User " + user + " created with role " + role + " in " + r.tenant(), "good");
    }

    /** An admin grants any role; otherwise only roles the user holds. */
    private static boolean mayGrant(PageRequest r, String role) {
        return r.session().hasRole(r.tenant(), "admin") || r.session().hasRole(r.tenant(), role);
    }

    private String createAccount(PageRequest r) {
        String id = r.form("account_id");
        String role = r.form("role");
        if (id == null || !TENANT_ID.matcher(id).matches()) {
            return refuse(r, 400, "service_account_create", "service_account", id, "account_id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
        }
        if (role == null || !Permissions.ROLES.contains(role)) {
            return refuse(r, 400, "service_account_create", "service_account", id, "roles must contain only reader, writer, admin");
        }
        if (!mayGrant(r, role)) {
            return refuse(r, 403, "service_account_create", "service_account", id, "You cannot grant role " + role);
        }
        List<String> perms = ConsoleAccounts.defaultPermissions(role).stream().filter(p -> r.session().hasPermission(r.tenant(), p)).toList();
        Optional<Accounts.Created> created = r.services().accounts().create(id, r.form("display_name"), List.of(role), perms,
                List.of(r.tenant()), null, "user:" + r.userId());
        if (created.isEmpty()) {
            return refuse(r, 409, "service_account_create", "service_account", id, "Service account '" + id + "' already exists");
        }
        r.audit("service_account_create", "accepted", "service_account", id, r.form("reason"), null,
                JsonObject.builder().put("via", "console").put("key_id", created.get().key().keyId()).build());
        return r.page("wf/admin.jte", "Administration", view(r, new NewToken(id, created.get().key().keyId(), created.get().key().token()),
                "Service account " + id + " created", "good"));
    }

    private static Optional<ServiceAccount> visibleAccount(PageRequest r, String id) {
        return id == null ? Optional.empty() : r.services().access().account(id).filter(a -> a.tenantIds().contains(ServiceAccount.ALL)
                ? r.session().isPlatformAdmin() : a.tenantIds().contains(r.tenant()));
    }

    private String createKey(PageRequest r) {
        String id = r.form("account_id");
        if (visibleAccount(r, id).isEmpty()) {
            return refuse(r, 404, "service_account_key_create", "service_account", id, "Service account not found: " + id);
        }
        Accounts.IssuedKey key = r.services().accounts().rotate(id, null, "user:" + r.userId());
        r.audit("service_account_key_create", "accepted", "service_account", id, r.form("reason"), null,
                JsonObject.builder().put("via", "console").put("key_id", key.keyId()).build());
        return r.page("wf/admin.jte", "Administration", view(r, new NewToken(id, key.keyId(), key.token()), "New key for " + id, "good"));
    }

    private String revokeKey(PageRequest r) {
        String id = r.form("account_id");
        String keyId = r.form("key_id");
        Optional<ServiceAccount> account = visibleAccount(r, id);
        if (account.isEmpty() || account.get().keys().stream().noneMatch(k -> k.keyId().equals(keyId))) {
            return refuse(r, 404, "service_account_key_revoke", "service_account_key", keyId, "Service account key not found: " + keyId);
        }
        if (!r.services().accounts().revoke(keyId, "user:" + r.userId())) {
            return refuse(r, 409, "service_account_key_revoke", "service_account_key", keyId,
                    "Service account key '" + keyId + "' is already revoked or expired");
        }
        r.audit("service_account_key_revoke", "accepted", "service_account_key", keyId, r.form("reason"), null,
                JsonObject.builder().put("via", "console").put("account_id", id).build());
        return back(r, "Key " + keyId + " revoked", "good");
    }
}
