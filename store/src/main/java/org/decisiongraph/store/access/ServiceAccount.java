package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A service account of the HTTP API with its key metadata (never a token). {@code roles},
 * {@code permissions} and {@code tenantIds} are kept as given; {@code "*"} means all.
 */
public record ServiceAccount(String accountId, String displayName, List<String> roles, List<String> permissions,
                             List<String> tenantIds, String status, Instant createdAt, String createdBy,
                             List<AccountKey> keys) {
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
    public static final String ALL = "*";

    public ServiceAccount {
        Objects.requireNonNull(accountId, "accountId");
        roles = List.copyOf(roles);
        permissions = List.copyOf(permissions);
        tenantIds = List.copyOf(tenantIds);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        keys = List.copyOf(keys);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(ALL) || permissions.contains(permission);
    }

    public boolean canAccessTenant(String tenant) {
        return tenantIds.contains(ALL) || tenantIds.contains(tenant);
    }

    /** A platform admin: role {@code admin} and {@code "*"} in its tenants. */
    public boolean isPlatformAdmin() {
        return hasRole("admin") && tenantIds.contains(ALL);
    }

    public ServiceAccount withKeys(List<AccountKey> value) {
        return new ServiceAccount(accountId, displayName, roles, permissions, tenantIds, status, createdAt, createdBy, value);
    }
}
