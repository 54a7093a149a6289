package org.decisiongraph.server.api;

import java.util.Set;

/**
 * Who may call a route: the reference's pipelines (role set and rate scope) plus the unauthenticated
 * and metrics-token routes.
 */
public enum Access {
    /** No authentication, not rate limited (healthz, readyz, openapi). */
    PUBLIC(Set.of(), null),
    /** {@code reader|writer|admin}, rate scope {@code read}. */
    READER(Set.of("reader", "writer", "admin"), "read"),
    /** {@code writer|admin}, rate scope {@code write}. */
    WRITER(Set.of("writer", "admin"), "write"),
    /** {@code admin}, rate scope {@code admin}. */
    ADMIN(Set.of("admin"), "admin"),
    /** {@code GET /metrics}: the metrics token (platform spec 1.15.12). */
    METRICS(Set.of(), null);

    private final Set<String> roles;
    private final String rateScope;

    Access(Set<String> roles, String rateScope) {
        this.roles = roles;
        this.rateScope = rateScope;
    }

    public Set<String> roles() {
        return roles;
    }

    public String rateScope() {
        return rateScope;
    }

    public boolean usesAccounts() {
        return this == READER || this == WRITER || this == ADMIN;
    }
}
