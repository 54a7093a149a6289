package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.Objects;

/** A key to store: its id, the {@code sha256:<hex>} of the token, the token's first characters and dates. */
public record NewKey(String keyId, String accountId, String tokenSha256, String displayPrefix, Instant createdAt,
                     String createdBy, Instant expiresAt) {
    public NewKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(tokenSha256, "tokenSha256");
        if (!tokenSha256.startsWith("sha256:")) {
            throw new IllegalArgumentException("tokenSha256 must be a sha256: hash, never a token");
        }
        Objects.requireNonNull(displayPrefix, "displayPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
