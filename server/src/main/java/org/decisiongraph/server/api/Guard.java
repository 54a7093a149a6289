package org.decisiongraph.server.api;

import java.util.List;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.auth.AuthFailure;
import org.decisiongraph.server.auth.Principal;
import org.decisiongraph.server.auth.RateLimiter;
import org.decisiongraph.server.auth.Tokens;
import org.decisiongraph.store.access.ServiceAccount;

/**
 * The checks before a route runs, in order: failed-auth limit of the client address (step 0),
 * authentication steps 1-6 (denials audited, 401s counted per address), then the rate limit of the
 * route's scope per {@code account:tenant}.
 */
final class Guard {
    static final String AUTH_SCOPE = "auth";

    private Guard() {
    }

    static void admit(Call call) {
        Services s = call.services();
        RouteSpec spec = call.spec();
        switch (spec.access()) {
            case PUBLIC -> {
                // open
            }
            case METRICS -> metrics(call);
            case READER, WRITER, ADMIN -> {
                RateLimiter.Decision gate = s.limiter().check(AUTH_SCOPE, call.clientAddress(),
                        s.config().rateLimits().authFailures());
                if (!gate.allowed()) {
                    s.metrics().rateLimited(AUTH_SCOPE);
                    throw ApiError.rateLimited(AUTH_SCOPE, gate.retryAfterSeconds());
                }
                Principal p;
                try {
                    p = s.authenticator().authenticate(call.header("x-tenant-id"), call.header("Authorization"),
                            spec.access().roles());
                } catch (AuthFailure f) {
                    throw deny(call, f);
                }
                call.principal(p);
                if (!spec.deferRateLimit()) {
                    chargeRate(call, 1);
                }
            }
        }
    }

    static void chargeRate(Call call, int cost) {
        Services s = call.services();
        String scope = call.spec().access().rateScope();
        Principal p = call.principal();
        RateLimiter.Decision d = s.limiter().acquire(scope, p.accountId() + ":" + p.tenant(), cost,
                s.config().rateLimits().forScope(scope));
        if (!d.allowed()) {
            s.metrics().rateLimited(scope);
            throw ApiError.rateLimited(scope, d.retryAfterSeconds());
        }
    }

    private static ApiError deny(Call call, AuthFailure f) {
        Services s = call.services();
        s.metrics().authDenied(f.step());
        if (f.isAuthenticationFailure()) {
            s.limiter().record(AUTH_SCOPE, call.clientAddress());
        }
        if (f.status() == 401 || f.status() == 403) {
            ServiceAccount a = f.account();
            String tenant = call.header("x-tenant-id") == null || call.header("x-tenant-id").isBlank()
                    ? null : call.header("x-tenant-id").strip();
            JsonObject details = JsonObject.builder()
                    .put("step", f.step())
                    .put("reason", f.internalReason())
                    .put("route", call.routeKey())
                    .build();
            s.audit().denied(call, tenant, a == null ? "anonymous" : "service_account", a == null ? null : a.accountId(),
                    a == null ? List.of() : a.roles(), f.getMessage(), f.code(), details);
        }
        return new ApiError(f.status(), f.code(), f.getMessage());
    }

    /** {@code GET /metrics}: 404 unless enabled; with a token, {@code Bearer <token>} compared in constant time. */
    private static void metrics(Call call) {
        var config = call.services().config();
        String token = config.metricsToken();
        if (token == null) {
            if (config.metricsPublic()) {
                return;
            }
            throw ApiError.notFound("No route found for " + call.spec().method() + " " + call.spec().path());
        }
        String header = call.header("Authorization");
        String expected = "Bearer " + token;
        if (header == null || !Tokens.constantTimeEquals(Tokens.hash(header), Tokens.hash(expected))) {
            throw ApiError.unauthorized("Authentication required");
        }
    }
}
