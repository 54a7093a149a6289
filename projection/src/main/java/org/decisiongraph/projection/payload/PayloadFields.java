package org.decisiongraph.projection.payload;

import java.util.Iterator;
import java.util.Map;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonBool;
import org.decisiongraph.core.json.JsonFloat;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/**
 * Payload lookups with the reference's semantics, because they decide node ids and therefore digests:
 * {@code payload.get(key, default)} formatted with Python's {@code str()} (a present JSON null gives
 * {@code "None"}), and Python truthiness. Validated payloads only ever hit the string cases; the others exist
 * so that an odd stored payload still projects deterministically. Where the reference would crash (calling
 * {@code .get} on a non-object), a non-object is read as an empty object.
 */
public final class PayloadFields {
    private PayloadFields() {
    }

    /** The value as an object, or an empty object for anything else. */
    public static JsonObject asObject(Json value) {
        return value instanceof JsonObject o ? o : JsonObject.empty();
    }

    /** {@code o.get(key, {})} read as an object. */
    public static JsonObject object(JsonObject o, String key) {
        return asObject(o.get(key));
    }

    /** {@code str(o.get(key, dflt))}: the default when the key is absent, else the member's text. */
    public static String getOr(JsonObject o, String key, String dflt) {
        Json v = o.get(key);
        return v == null ? dflt : str(v);
    }

    /** The member's text, or null when the key is absent or JSON null (a nullable TEXT column). */
    public static String textOrNull(JsonObject o, String key) {
        Json v = o.get(key);
        return v == null || v instanceof JsonNull ? null : str(v);
    }

    /** Python truthiness; an absent value (Java null) is falsy. */
    public static boolean truthy(Json v) {
        return switch (v) {
            case null -> false;
            case JsonNull n -> false;
            case JsonBool b -> b.value();
            case JsonString s -> !s.value().isEmpty();
            case JsonInt i -> i.value().signum() != 0;
            case JsonFloat f -> f.doubleValue() != 0.0;
            case JsonArray a -> !a.isEmpty();
            case JsonObject o -> !o.isEmpty();
        };
    }

    /** Python's {@code str()} of the value. */
    public static String str(Json v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        StringBuilder sb = new StringBuilder();
        repr(sb, v);
        return sb.toString();
    }

    /** Python's {@code repr()} (equal to {@code str()} for every non-string). */
    private static void repr(StringBuilder sb, Json v) {
        switch (v) {
            case JsonNull n -> sb.append("None");
            case JsonBool b -> sb.append(b.value() ? "True" : "False");
            case JsonInt i -> sb.append(i.value());
            case JsonFloat f -> sb.append(f.pythonRepr());
            case JsonString s -> reprString(sb, s.value());
            case JsonArray a -> {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    repr(sb, a.get(i));
                }
                sb.append(']');
            }
            case JsonObject o -> {
                sb.append('{');
                Iterator<Map.Entry<String, Json>> it = o.members().entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, Json> e = it.next();
                    reprString(sb, e.getKey());
                    sb.append(": ");
                    repr(sb, e.getValue());
                    if (it.hasNext()) {
                        sb.append(", ");
                    }
                }
                sb.append('}');
            }
        }
    }

    /** Python's string repr: single quotes unless the text has a single quote and no double quote. */
    private static void reprString(StringBuilder sb, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append(quote);
    }
}
