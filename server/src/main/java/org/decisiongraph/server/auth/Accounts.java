package org.decisiongraph.server.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.NewKey;
import org.decisiongraph.store.access.ServiceAccount;

/**
 * Creating accounts and keys with fresh tokens (used by the admin API and {@code dg accounts}). The token
 * is returned once in {@link IssuedKey} and only its hash is stored.
 */
public final class Accounts {
    /** A key just issued: the plain token exists only in this object. */
    public record IssuedKey(String keyId, String token, String displayPrefix, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedKey[keyId=" + keyId + ", displayPrefix=" + displayPrefix + "]";
        }
    }

    /** An account just created with its first key. */
    public record Created(ServiceAccount account, IssuedKey key) {
    }

    private final AccessStore store;
    private final Clock clock;

    public Accounts(AccessStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AccessStore store() {
        return store;
    }

    /** Creates an account and its first key; empty when the id is taken. */
    public Optional<Created> create(String accountId, String displayName, List<String> roles, List<String> permissions,
                                    List<String> tenantIds, Instant expiresAt, String createdBy) {
        Instant now = clock.instant();
        ServiceAccount account = new ServiceAccount(accountId, displayName, roles, permissions, tenantIds,
                ServiceAccount.ACTIVE, now, createdBy, List.of());
        String token = Tokens.newToken();
        NewKey key = newKey(accountId, token, now, createdBy, expiresAt);
        if (!store.createAccount(account, key)) {
            return Optional.empty();
        }
        ServiceAccount stored = store.account(accountId).orElseThrow();
        return Optional.of(new Created(stored, new IssuedKey(key.keyId(), token, key.displayPrefix(), expiresAt)));
    }

    /** Issues an additional key for an existing account (rotation overlap). */
    public IssuedKey rotate(String accountId, Instant expiresAt, String createdBy) {
        String token = Tokens.newToken();
        NewKey key = newKey(accountId, token, clock.instant(), createdBy, expiresAt);
        store.addKey(key);
        return new IssuedKey(key.keyId(), token, key.displayPrefix(), expiresAt);
    }

    public boolean revoke(String keyId, String revokedBy) {
        return store.revokeKey(keyId, clock.instant(), revokedBy);
    }

    private static NewKey newKey(String accountId, String token, Instant now, String createdBy, Instant expiresAt) {
        return new NewKey("key-" + UUID.randomUUID(), accountId, Tokens.hash(token), Tokens.displayPrefix(token), now,
                createdBy, expiresAt);
    }
}
