package org.decisiongraph.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.decisiongraph.core.json.Hashing;

/**
 * Opaque cursors of the list routes: base64url of {@code v1|<route>|<filter fingerprint>|<position>}. A
 * cursor is valid only for the route and the filters that produced it; anything else → 400
 * {@code Invalid cursor}.
 */
final class Cursors {
    private Cursors() {
    }

    /** The fingerprint of a request's filters: every query parameter except {@code cursor} and {@code limit}. */
    static String fingerprint(String tenant, Map<String, List<String>> query) {
        TreeMap<String, List<String>> filters = new TreeMap<>(query);
        filters.remove("cursor");
        filters.remove("limit");
        return Hashing.sha256(tenant + "\n" + filters).substring(7, 23);
    }

    static String encode(String route, String fingerprint, long position) {
        String raw = "v1|" + route + "|" + fingerprint + "|" + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position of a cursor, or null when none was given. */
    static Long decode(String cursor, String route, String fingerprint) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", -1);
            if (parts.length != 4 || !parts[0].equals("v1") || !parts[1].equals(route) || !parts[2].equals(fingerprint)) {
                throw invalid();
            }
            long position = Long.parseLong(parts[3]);
            if (position < 0) {
                throw invalid();
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiError invalid() {
        return ApiError.invalidArgument("Invalid cursor");
    }
}
