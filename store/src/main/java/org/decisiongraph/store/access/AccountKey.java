package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.Objects;

/** Metadata of one API key of a service account; the token itself is never stored. */
public record AccountKey(String keyId, String accountId, String displayPrefix, Instant createdAt, String createdBy,
                         Instant expiresAt, Instant revokedAt, String revokedBy, Instant lastUsedAt) {
    public AccountKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(displayPrefix, "displayPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Not revoked and not expired at {@code now}. */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
