package org.decisiongraph.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small helpers for building console links (used from templates). */
public final class Urls {
    private Urls() {
    }

    public static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code path} plus {@code ?name=value} (or {@code &name=value} when it already has a query). */
    public static String withQuery(String path, String name, String value) {
        return path + (path.contains("?") ? "&" : "?") + encode(name) + "=" + encode(value);
    }

    /** Builds {@code path?k1=v1&k2=v2...} from pairs, skipping null or blank values. */
    public static String of(String path, String... pairs) {
        StringBuilder b = new StringBuilder(path);
        boolean first = !path.contains("?");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null || pairs[i + 1].isBlank()) {
                continue;
            }
            b.append(first ? '?' : '&').append(encode(pairs[i])).append('=').append(encode(pairs[i + 1]));
            first = false;
        }
        return b.toString();
    }
}
