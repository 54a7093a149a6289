package org.decisiongraph.workflow;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/** Small JSON conveniences for the workflow documents (null-safe values, ISO instants). */
final class Js {
    private Js() {
    }

    static Json str(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonString(s);
    }

    static Json time(Instant t) {
        return t == null ? JsonNull.INSTANCE : new JsonString(DateTimeFormatter.ISO_INSTANT.format(t));
    }

    static Json num(long n) {
        return JsonInt.of(n);
    }

    static Json orNull(Json j) {
        return j == null ? JsonNull.INSTANCE : j;
    }

    static JsonObject obj(JsonObject o) {
        return o == null ? JsonObject.empty() : o;
    }

    static JsonArray arr(Json j) {
        return j instanceof JsonArray a ? a : JsonArray.empty();
    }

    /** {@code base} with every member of {@code extra} set (extra wins). */
    static JsonObject merge(JsonObject base, JsonObject extra) {
        JsonObject out = base == null ? JsonObject.empty() : base;
        for (var e : extra.members().entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    static long longOr(Json j, long fallback) {
        return j instanceof JsonInt i && i.fitsLong() ? i.longValue() : fallback;
    }
}
