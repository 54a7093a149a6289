package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A console user (platform spec 2.7) with its per-tenant memberships. {@code passwordHash} is the encoded
 * Argon2id hash, never a password.
 */
public record ConsoleUser(String userId, String displayName, String passwordHash, String status, Instant createdAt,
                          Instant lastLoginAt, int failedLoginCount, Instant lockedUntil, List<Membership> memberships) {
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    /** One tenant membership; {@code tenantId} may be {@code "*"}; permissions may contain {@code "*"}. */
    public record Membership(String tenantId, List<String> roles, List<String> permissions) {
        public Membership {
            Objects.requireNonNull(tenantId, "tenantId");
            roles = List.copyOf(roles);
            permissions = List.copyOf(permissions);
        }
    }

    public ConsoleUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        memberships = List.copyOf(memberships);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public ConsoleUser withMemberships(List<Membership> value) {
        return new ConsoleUser(userId, displayName, passwordHash, status, createdAt, lastLoginAt, failedLoginCount, lockedUntil, value);
    }
}
