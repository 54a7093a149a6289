package org.decisiongraph.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.KeyOwner;
import org.decisiongraph.store.access.ServiceAccount;

/**
 * The six authentication steps of platform spec 2.2, in order, first failure wins:
 * tenant header, Authorization present, Bearer format, known active key, tenant access, role.
 * Unknown, revoked and expired keys and keys of disabled accounts all answer
 * {@code Unknown service account token}; the difference is kept for the audit row only.
 */
public final class Authenticator {
    /** {@code last_used_at} is written at most this often per key. */
    public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final AccessStore store;
    private final Clock clock;

    public Authenticator(AccessStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Runs steps 1-6 for a route open to {@code roles}; returns the principal or throws {@link AuthFailure}. */
    public Principal authenticate(String tenantHeader, String authorization, Set<String> roles) {
        String tenant = tenantHeader == null ? "" : tenantHeader.strip();
        if (tenant.isEmpty()) {
            throw new AuthFailure(400, "invalid_argument", "x-tenant-id header is required", "tenant_header", null, "missing");
        }
        if (authorization == null) {
            throw new AuthFailure(401, "unauthorized", "Authentication required", "authorization_missing", null, "missing");
        }
        String token = bearerToken(authorization);
        if (token == null) {
            throw new AuthFailure(401, "unauthorized", "Authorization header must use Bearer token format",
                    "authorization_format", null, "format");
        }
        KeyOwner owner = lookup(token);
        ServiceAccount account = owner.account();
        if (!account.canAccessTenant(tenant)) {
            throw new AuthFailure(403, "forbidden", "Service account cannot access tenant " + tenant, "tenant_access",
                    account, "tenant");
        }
        if (account.roles().stream().noneMatch(roles::contains)) {
            throw new AuthFailure(403, "forbidden", "Service account lacks required role", "role", account, "role");
        }
        touch(owner);
        return new Principal(account, owner.key().keyId(), tenant);
    }

    /** Steps 2-4 only, for routes without a tenant (healthz redaction): the account of a valid token, or empty. */
    public Optional<ServiceAccount> identify(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String token = bearerToken(authorization);
        if (token == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(lookup(token).account());
        } catch (AuthFailure e) {
            return Optional.empty();
        }
    }

    private KeyOwner lookup(String token) {
        String hash = Tokens.hash(token);
        Optional<KeyOwner> found = store.findByTokenHash(hash);
        if (found.isEmpty() || !Tokens.constantTimeEquals(found.get().storedHash(), hash)) {
            throw unknown(null, "unknown");
        }
        KeyOwner owner = found.get();
        Instant now = clock.instant();
        if (owner.key().revokedAt() != null) {
            throw unknown(owner.account(), "revoked");
        }
        if (owner.key().expiresAt() != null && !owner.key().expiresAt().isAfter(now)) {
            throw unknown(owner.account(), "expired");
        }
        if (!owner.account().isActive()) {
            throw unknown(owner.account(), "account_disabled");
        }
        return owner;
    }

    private static AuthFailure unknown(ServiceAccount account, String reason) {
        return new AuthFailure(401, "unauthorized", "Unknown service account token", "unknown_token", account, reason);
    }

    /** {@code Bearer <token>}: scheme case-insensitive, single space, non-empty token; null otherwise. */
    static String bearerToken(String header) {
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = header.substring(space + 1);
        if (token.isEmpty() || token.indexOf(' ') >= 0) {
            return null;
        }
        return token;
    }

    private void touch(KeyOwner owner) {
        Instant now = clock.instant();
        Instant last = owner.key().lastUsedAt();
        if (last == null || !last.plus(TOUCH_INTERVAL).isAfter(now)) {
            store.touchKey(owner.key().keyId(), now);
        }
    }
}
