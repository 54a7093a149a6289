package org.decisiongraph.server.console;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Console login settings (platform spec 2.7): whether the login cookie is {@code Secure} (and then named
 * {@code __Host-dg_login}), idle timeout, absolute lifetime, and the per-user lockout.
 *
 * @param secureCookie {@code DG_CONSOLE_SECURE_COOKIE} (default true, except in {@code DG_DEPLOYMENT_ENV=dev}, where
 *                     plain http://localhost is usual)
 */
public record ConsoleConfig(boolean secureCookie, Duration idleTimeout, Duration absoluteLifetime, int lockoutThreshold,
                            Duration lockoutDuration) {
    public static final String SECURE_COOKIE_NAME = "__Host-dg_login";
    public static final String PLAIN_COOKIE_NAME = "dg_login";

    public static ConsoleConfig defaults(boolean secureCookie) {
        return new ConsoleConfig(secureCookie, Duration.ofMinutes(30), Duration.ofHours(12), 10, Duration.ofMinutes(15));
    }

    /** From {@code DG_CONSOLE_SECURE_COOKIE} ({@code true|false}); the default depends on the deployment environment. */
    public static ConsoleConfig fromEnv(Map<String, String> env, String deploymentEnv) {
        String v = env.get("DG_CONSOLE_SECURE_COOKIE");
        boolean secure = !"dev".equals(deploymentEnv);
        if (v != null && !v.isBlank()) {
            secure = switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("DG_CONSOLE_SECURE_COOKIE must be true or false, got '" + v + "'");
            };
        }
        return defaults(secure);
    }

    public String cookieName() {
        return secureCookie ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME;
    }
}
