package org.decisiongraph.store.access;

import java.util.Objects;

/** The key found for a token hash, its stored hash, and the account owning it. */
public record KeyOwner(AccountKey key, String storedHash, ServiceAccount account) {
    public KeyOwner {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(storedHash, "storedHash");
        Objects.requireNonNull(account, "account");
    }
}
