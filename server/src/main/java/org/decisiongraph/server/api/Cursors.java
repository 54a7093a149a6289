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

    /** A cursor whose position is a string (an id of a list ordered by id). */
    static String encodeKey(String route, String fingerprint, String key) {
        return encode(route, fingerprint, 0) + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The id position of a cursor made by {@link #encodeKey}, or null when none was given. */
    static String decodeKey(String cursor, String route, String fingerprint) {
        if (cursor == null) {
            return null;
        }
        int dot = cursor.indexOf('.');
        if (dot < 0) {
            throw invalid();
        }
        decode(cursor.substring(0, dot), route, fingerprint);
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.substring(dot + 1)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** One page of a list ordered by id: items after the cursor's id, at most {@code limit}, and the next cursor. */
    static <T> Page<T> page(java.util.List<T> all, java.util.function.Function<T, String> id, Call call, String route) {
        int limit = Params.adminLimit(call);
        String fingerprint = fingerprint(call.tenant(), call.queryMap());
        String after = decodeKey(call.query("cursor"), route, fingerprint);
        java.util.List<T> rest = all.stream()
                .sorted(java.util.Comparator.comparing(id))
                .filter(x -> after == null || id.apply(x).compareTo(after) > 0).toList();
        java.util.List<T> items = rest.size() > limit ? rest.subList(0, limit) : rest;
        String next = rest.size() > limit ? encodeKey(route, fingerprint, id.apply(items.getLast())) : null;
        return new Page<>(items, next);
    }

    /**
     * One page of a list already sorted by {@code key} descending (newest first): items strictly after the
     * cursor's key, at most the admin limit, and the next cursor.
     */
    static <T> Page<T> pageDescending(java.util.List<T> sorted, java.util.function.Function<T, String> key, Call call,
                                      String route) {
        int limit = Params.adminLimit(call);
        String fingerprint = fingerprint(call.tenant(), call.queryMap());
        String after = decodeKey(call.query("cursor"), route, fingerprint);
        java.util.List<T> rest = sorted.stream().filter(x -> after == null || key.apply(x).compareTo(after) < 0).toList();
        java.util.List<T> items = rest.size() > limit ? rest.subList(0, limit) : rest;
        String next = rest.size() > limit ? encodeKey(route, fingerprint, key.apply(items.getLast())) : null;
        return new Page<>(items, next);
    }

    record Page<T>(java.util.List<T> items, String nextCursor) {
    }

    private static ApiError invalid() {
        return ApiError.invalidArgument("Invalid cursor");
    }
}
