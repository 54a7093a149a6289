package org.decisiongraph.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code dg serve} runs; validated once here. {@link #fromEnv} reads the {@code DG_*} variables of
 * platform spec 7.3 (unknown values fail at boot with a message naming the variable and its default).
 *
 * @param bind            listen address (default {@code 127.0.0.1})
 * @param port            listen port, 0 = any free port (default 8080)
 * @param deploymentEnv   {@code dev}, {@code test} or {@code prod} (default {@code dev})
 * @param rateLimits      requests per 60 s window per account and tenant, and failed authentications per address
 * @param metricsToken    bearer token of {@code GET /metrics}, or null
 * @param metricsPublic   {@code GET /metrics} without a token
 * @param requireReason   state-changing admin routes need a non-blank {@code reason}
 * @param trustedProxies  peers whose first {@code X-Forwarded-For} hop is the client address
 * @param otelServiceName shown in healthz
 */
public record ServerConfig(String bind, int port, String deploymentEnv, RateLimits rateLimits, String metricsToken,
                           boolean metricsPublic, boolean requireReason, List<String> trustedProxies,
                           String otelServiceName) {
    public static final int MAX_BODY_BYTES = 8_000_000;

    /** Limits per 60-second window (platform spec 2.5). */
    public record RateLimits(int read, int write, int admin, int authFailures) {
        public static final RateLimits DEFAULTS = new RateLimits(600, 300, 60, 30);
        public static final RateLimits TEST = new RateLimits(100, 50, 20, 30);

        public RateLimits {
            if (read < 1 || write < 1 || admin < 1 || authFailures < 1) {
                throw new IllegalArgumentException("rate limits must be >= 1, got read=" + read + ",write=" + write
                        + ",admin=" + admin + ",auth_failures=" + authFailures
                        + " (default read=600,write=300,admin=60,auth_failures=30)");
            }
        }

        public int forScope(String scope) {
            return switch (scope) {
                case "read" -> read;
                case "write" -> write;
                case "admin" -> admin;
                default -> throw new IllegalArgumentException("unknown rate scope " + scope);
            };
        }

        /** Parses {@code read=600,write=300,admin=60,auth_failures=30}; missing keys keep {@code base}. */
        public static RateLimits parse(String text, RateLimits base) {
            int read = base.read;
            int write = base.write;
            int admin = base.admin;
            int auth = base.authFailures;
            for (String part : text.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("DG_RATE_LIMITS entries are key=value, got '" + p + "'");
                }
                String key = p.substring(0, eq).strip();
                int value;
                try {
                    value = Integer.parseInt(p.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("DG_RATE_LIMITS " + key + " must be an integer, got '"
                            + p.substring(eq + 1) + "'");
                }
                switch (key) {
                    case "read" -> read = value;
                    case "write" -> write = value;
                    case "admin" -> admin = value;
                    case "auth_failures" -> auth = value;
                    default -> throw new IllegalArgumentException("DG_RATE_LIMITS has unknown key '" + key
                            + "' (read, write, admin, auth_failures)");
                }
            }
            return new RateLimits(read, write, admin, auth);
        }
    }

    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, "dev", RateLimits.DEFAULTS, null,
            false, true, List.of(), "decisiongraph");

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port + " (default 8080)");
        }
        if (!List.of("dev", "test", "prod").contains(deploymentEnv)) {
            throw new IllegalArgumentException("DG_DEPLOYMENT_ENV must be dev, test or prod, got '" + deploymentEnv
                    + "' (default dev)");
        }
        Objects.requireNonNull(rateLimits, "rateLimits");
        if (metricsToken != null && metricsToken.isBlank()) {
            metricsToken = null;
        }
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(otelServiceName, "otelServiceName");
    }

    /** Reads {@code DG_*} variables over {@code base} (flags of {@code dg serve} are applied afterwards). */
    public static ServerConfig fromEnv(Map<String, String> env, ServerConfig base) {
        String deployment = env.getOrDefault(Setting.DG_DEPLOYMENT_ENV.key(), base.deploymentEnv()).strip().toLowerCase(Locale.ROOT);
        RateLimits limitsBase = "test".equals(deployment) ? RateLimits.TEST : base.rateLimits();
        RateLimits limits = env.containsKey(Setting.DG_RATE_LIMITS.key()) ? RateLimits.parse(env.get(Setting.DG_RATE_LIMITS.key()), limitsBase)
                : limitsBase;
        String bind = env.getOrDefault(Setting.DG_BIND.key(), base.bind());
        int port = base.port();
        if (env.containsKey(Setting.DG_PORT.key())) {
            try {
                port = Integer.parseInt(env.get(Setting.DG_PORT.key()).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DG_PORT must be an integer, got '" + env.get(Setting.DG_PORT.key()) + "'");
            }
        }
        List<String> proxies = env.containsKey(Setting.DG_TRUSTED_PROXIES.key())
                ? java.util.Arrays.stream(env.get(Setting.DG_TRUSTED_PROXIES.key()).split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList()
                : base.trustedProxies();
        return new ServerConfig(bind, port, deployment, limits, env.getOrDefault(Setting.DG_METRICS_TOKEN.key(), base.metricsToken()),
                bool(env, Setting.DG_METRICS_PUBLIC, base.metricsPublic()),
                bool(env, Setting.DG_ADMIN_CONTROLS_REQUIRE_REASON, base.requireReason()), proxies,
                env.getOrDefault(Setting.OTEL_SERVICE_NAME.key(), base.otelServiceName()));
    }

    private static boolean bool(Map<String, String> env, Setting setting, boolean dflt) {
        String key = setting.key();
        String v = env.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no", "" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        };
    }

    public ServerConfig withBind(String value) {
        return new ServerConfig(value, port, deploymentEnv, rateLimits, metricsToken, metricsPublic, requireReason,
                trustedProxies, otelServiceName);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(bind, value, deploymentEnv, rateLimits, metricsToken, metricsPublic, requireReason,
                trustedProxies, otelServiceName);
    }

    public ServerConfig withRateLimits(RateLimits value) {
        return new ServerConfig(bind, port, deploymentEnv, value, metricsToken, metricsPublic, requireReason,
                trustedProxies, otelServiceName);
    }

    public ServerConfig withMetricsToken(String value) {
        return new ServerConfig(bind, port, deploymentEnv, rateLimits, value, metricsPublic, requireReason,
                trustedProxies, otelServiceName);
    }

    public ServerConfig withDeploymentEnv(String value) {
        return new ServerConfig(bind, port, value, rateLimits, metricsToken, metricsPublic, requireReason,
                trustedProxies, otelServiceName);
    }

    @Override
    public String toString() {
        // never print the metrics token
        return "ServerConfig[bind=" + bind + ", port=" + port + ", deploymentEnv=" + deploymentEnv + ", rateLimits="
                + rateLimits + ", metricsToken=" + (metricsToken == null ? "unset" : "set") + ", metricsPublic="
                + metricsPublic + ", requireReason=" + requireReason + ", trustedProxies=" + trustedProxies + "]";
    }
}
