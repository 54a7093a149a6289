package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.Objects;

/** A server-side console login record (platform spec 2.7); the browser holds the login id, the row its hash. */
public record ConsoleLogin(String loginIdSha256, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                           String csrfToken) {
    public ConsoleLogin {
        Objects.requireNonNull(loginIdSha256, "loginIdSha256");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }
}
