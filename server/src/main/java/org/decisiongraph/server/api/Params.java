package org.decisiongraph.server.api;

import java.time.Instant;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/** Strict parameter parsing: integers, limits, instants, body strings. */
final class Params {
    private Params() {
    }

    /** Null when absent; otherwise an optionally signed decimal integer, else 400 {@code <name> must be an integer}. */
    static Long integer(String name, String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (!s.matches("[+-]?\\d{1,18}")) {
            throw ApiError.invalidArgument(name + " must be an integer");
        }
        return Long.parseLong(s);
    }

    /** Log-backed lists: 1..10000, default 100, with the store's messages. */
    static int eventLimit(Call call) {
        Long limit = call.queryLong("limit");
        if (limit == null) {
            return 100;
        }
        if (limit <= 0) {
            throw ApiError.of(DgErrors.limitNotPositive(limit));
        }
        if (limit > 10_000) {
            throw ApiError.of(DgErrors.limitTooLarge(limit));
        }
        return limit.intValue();
    }

    /** Admin lists: 1..500, default 50. */
    static int adminLimit(Call call) {
        Long limit = call.queryLong("limit");
        if (limit == null) {
            return 50;
        }
        if (limit < 1 || limit > 500) {
            throw ApiError.invalidArgument("limit must be between 1 and 500, got " + limit);
        }
        return limit.intValue();
    }

    /** An RFC 3339 / ISO-8601 instant, or null; else 400 {@code <name> must be an ISO-8601 timestamp}. */
    static Instant instant(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Timestamps.parse(raw);
        } catch (DgException e) {
            throw ApiError.invalidArgument(name + " must be an ISO-8601 timestamp");
        }
    }

    /** An optional string member of a body; wrong type → 400 {@code <name> must be a string}. */
    static String optionalString(JsonObject body, String name) {
        Json v = body.get(name);
        if (v == null || v instanceof JsonNull) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw ApiError.invalidArgument(name + " must be a string");
    }

    /** An optional instant member of a body. */
    static Instant optionalInstant(JsonObject body, String name) {
        return instant(name, optionalString(body, name));
    }

    static boolean optionalBool(JsonObject body, String name, boolean dflt) {
        Json v = body.get(name);
        if (v == null || v instanceof JsonNull) {
            return dflt;
        }
        if (v instanceof org.decisiongraph.core.json.JsonBool b) {
            return b == org.decisiongraph.core.json.JsonBool.TRUE;
        }
        if (v instanceof JsonString s && (s.value().equals("true") || s.value().equals("false"))) {
            return Boolean.parseBoolean(s.value());
        }
        throw ApiError.invalidArgument(name + " must be a boolean");
    }
}
