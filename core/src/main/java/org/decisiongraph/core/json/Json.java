package org.decisiongraph.core.json;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * An immutable JSON value. Integers are exact ({@link JsonInt}, arbitrary precision); any number token
 * with a fraction or exponent is a {@link JsonFloat}, kept so that validation can reject it with its
 * path, exactly where the specification says.
 */
public sealed interface Json permits JsonObject, JsonArray, JsonString, JsonInt, JsonFloat, JsonBool, JsonNull {

    static Json parse(String text) {
        return JsonParser.parse(text);
    }

    static JsonString of(String s) {
        return new JsonString(s);
    }

    static JsonInt of(long n) {
        return JsonInt.of(n);
    }

    static JsonInt of(BigInteger n) {
        return new JsonInt(n);
    }

    static JsonBool of(boolean b) {
        return b ? JsonBool.TRUE : JsonBool.FALSE;
    }

    /** A string, or JSON null when {@code s} is null. */
    static Json ofNullable(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonString(s);
    }

    static JsonArray array(List<? extends Json> items) {
        return JsonArray.of(items);
    }

    static JsonArray strings(List<String> items) {
        return JsonArray.of(items.stream().map(JsonString::new).toList());
    }

    static JsonObject object(Map<String, ? extends Json> members) {
        return JsonObject.of(members);
    }

    /** Object from alternating key/value arguments, in that member order. */
    static JsonObject obj(Object... keysAndValues) {
        var b = JsonObject.builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.put((String) keysAndValues[i], (Json) keysAndValues[i + 1]);
        }
        return b.build();
    }

    /** The canonical form used for payload hashes (sorted keys, no whitespace, raw UTF-8). */
    default String toCanonical() {
        return JsonWriter.canonical(this);
    }

    default boolean isNull() {
        return this instanceof JsonNull;
    }
}
