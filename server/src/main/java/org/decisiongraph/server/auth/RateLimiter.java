package org.decisiongraph.server.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed 60-second windows ({@code floor(unix_seconds / 60)}) per {@code (scope, key)}. A request passes
 * while the count after it would not exceed the limit; a rejected request is not counted. Windows older
 * than the current one are purged. Per node, in memory. Thread-safe.
 */
public final class RateLimiter {
    public static final long WINDOW_SECONDS = 60;

    /** Whether the request passed, and when a rejected caller may retry. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    private record Counter(long window, int count) {
    }

    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile long purgedWindow = -1;

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Counts {@code cost} requests for {@code key} in {@code scope} unless that would exceed {@code limit}. */
    public Decision acquire(String scope, String key, int cost, int limit) {
        long now = clock.millis() / 1000;
        long window = Math.floorDiv(now, WINDOW_SECONDS);
        purge(window);
        boolean[] allowed = {false};
        counters.compute(scope + "|" + key, (k, c) -> {
            int current = c == null || c.window() != window ? 0 : c.count();
            if (current + cost > limit) {
                return c == null || c.window() != window ? new Counter(window, current) : c;
            }
            allowed[0] = true;
            return new Counter(window, current + cost);
        });
        return new Decision(allowed[0], allowed[0] ? 0 : retryAfter(now, window));
    }

    /** Whether {@code key} already reached {@code limit} in the current window (counts nothing). */
    public Decision check(String scope, String key, int limit) {
        long now = clock.millis() / 1000;
        long window = Math.floorDiv(now, WINDOW_SECONDS);
        Counter c = counters.get(scope + "|" + key);
        int current = c == null || c.window() != window ? 0 : c.count();
        return current >= limit ? new Decision(false, retryAfter(now, window)) : new Decision(true, 0);
    }

    /** Adds one to {@code key}'s count in the current window (used for failed authentications). */
    public void record(String scope, String key) {
        long window = Math.floorDiv(clock.millis() / 1000, WINDOW_SECONDS);
        purge(window);
        counters.compute(scope + "|" + key, (k, c) -> c == null || c.window() != window
                ? new Counter(window, 1) : new Counter(window, c.count() + 1));
    }

    private static long retryAfter(long nowSeconds, long window) {
        return Math.max(1, (window + 1) * WINDOW_SECONDS - nowSeconds);
    }

    private void purge(long window) {
        if (purgedWindow != window) {
            purgedWindow = window;
            counters.values().removeIf(c -> c.window() < window);
        }
    }
}
