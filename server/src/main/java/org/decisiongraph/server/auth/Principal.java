package org.decisiongraph.server.auth;

import java.util.Objects;

import org.decisiongraph.store.access.ServiceAccount;

/** An authenticated caller: the account, the key it used, and the (trimmed) header tenant. */
public record Principal(ServiceAccount account, String keyId, String tenant) {
    public Principal {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
    }

    public String accountId() {
        return account.accountId();
    }
}
