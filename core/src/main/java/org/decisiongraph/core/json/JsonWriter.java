package org.decisiongraph.core.json;

import java.util.Map;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.FloatFoundException;

/**
 * The JSON encodings of the system, never to be mixed up (core spec 4.6):
 * <ul>
 * <li>{@link #canonical}: payload-hash form: sorted keys (code point), {@code ,}/{@code :}, raw UTF-8,
 *     floats rejected;</li>
 * <li>{@link #ascii}: digest form: sorted, compact, ASCII-escaped like Python's {@code ensure_ascii=True};</li>
 * <li>{@link #pretty}: CLI form: 2-space indent, sorted, {@code ": "}, ASCII-escaped;</li>
 * <li>{@link #pythonStorage}: the reference's {@code payload_json} column text: sorted, {@code ", "} and
 *     {@code ": "}, raw UTF-8.</li>
 * </ul>
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    @SuppressWarnings("unchecked")
    private static final Map.Entry<String, Json>[] NO_ENTRIES = (Map.Entry<String, Json>[]) new Map.Entry<?, ?>[0];

    private final boolean ascii;
    private final int indent;
    private final String itemSep;
    private final String keySep;
    private final boolean sortKeys;

    private JsonWriter(boolean ascii, int indent, String itemSep, String keySep, boolean sortKeys) {
        this.ascii = ascii;
        this.indent = indent;
        this.itemSep = itemSep;
        this.keySep = keySep;
        this.sortKeys = sortKeys;
    }

    private static final JsonWriter ASCII = new JsonWriter(true, 0, ",", ":", true);
    private static final JsonWriter PRETTY = new JsonWriter(true, 2, ",", ": ", true);
    private static final JsonWriter PRETTY_RAW = new JsonWriter(false, 2, ",", ": ", true);
    private static final JsonWriter PY_STORAGE = new JsonWriter(false, 0, ", ", ": ", true);
    private static final JsonWriter RAW_COMPACT = new JsonWriter(false, 0, ",", ":", true);
    private static final JsonWriter ASCII_UNSORTED = new JsonWriter(true, 0, ",", ":", false);
    /** Loads the signal class now, on a shallow stack (see {@link WalkAbort}). */
    static final WalkAbort TOO_DEEP = WalkAbort.TOO_DEEP;

    /** Canonical payload form as a string; throws {@link FloatFoundException} on any float. */
    public static String canonical(Json value) {
        return CanonicalEncoder.encodeToString(value);
    }

    /** Canonical payload form as UTF-8 bytes; throws {@link FloatFoundException} on any float. */
    public static byte[] canonicalBytes(Json value) {
        return CanonicalEncoder.encode(value);
    }

    /** {@code canonicalBytes(value).length}, without the copy (and without encoding an object twice). */
    public static int canonicalLength(Json value) {
        return CanonicalEncoder.length(value);
    }

    /** Sorted, compact, raw UTF-8; floats written as Python would. For logs and {@code toString}. */
    public static String canonicalLenient(Json value) {
        return RAW_COMPACT.write(value);
    }

    /** {@link #canonicalLenient} as UTF-8 bytes (an unpaired surrogate becomes {@code ?}), written directly. */
    public static byte[] canonicalLenientBytes(Json value) {
        return CanonicalEncoder.encodeLenient(value);
    }

    /** Digest form: sorted keys, compact, ASCII-escaped (lowercase {@code \\uXXXX}, surrogate pairs). */
    public static String ascii(Json value) {
        return ASCII.write(value);
    }

    /** Compact and ASCII-escaped, keeping member order (for JSON Lines output whose key order is fixed). */
    public static String asciiInOrder(Json value) {
        return ASCII_UNSORTED.write(value);
    }

    /** CLI form: {@code json.dumps(indent=2, sort_keys=True)} with ASCII escaping; no trailing newline. */
    public static String pretty(Json value) {
        return PRETTY.write(value);
    }

    /** {@code json.dumps(indent=2, sort_keys=True, ensure_ascii=False)}; no trailing newline. */
    public static String prettyRaw(Json value) {
        return PRETTY_RAW.write(value);
    }

    /** The reference's stored {@code payload_json} / {@code tags_json} text ({@code ", "} and {@code ": "}). */
    public static String pythonStorage(Json value) {
        return PY_STORAGE.write(value);
    }

    private String write(Json value) {
        StringBuilder sb = new StringBuilder(256);
        try {
            write(sb, value, 0);
        } catch (WalkAbort tooDeep) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
        return sb.toString();
    }

    private void newline(StringBuilder sb, int level) {
        sb.append('\n');
        for (int i = 0; i < level * indent; i++) {
            sb.append(' ');
        }
    }

    private void write(StringBuilder sb, Json value, int level) {
        switch (value) {
            case JsonNull n -> sb.append("null");
            case JsonBool b -> sb.append(b.value() ? "true" : "false");
            case JsonInt i -> sb.append(i.value().toString());
            case JsonFloat f -> sb.append(pythonJsonFloat(f));
            case JsonString s -> writeString(sb, s.value());
            case JsonArray a -> {
                WalkAbort.enter(level);
                if (a.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                boolean first = true;
                for (Json item : a) {
                    if (!first) {
                        sb.append(itemSep);
                    }
                    first = false;
                    if (indent > 0) {
                        newline(sb, level + 1);
                    }
                    write(sb, item, level + 1);
                }
                if (indent > 0) {
                    newline(sb, level);
                }
                sb.append(']');
            }
            case JsonObject o -> {
                WalkAbort.enter(level);
                if (o.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> e : sortKeys ? o.sortedEntries() : o.raw.entrySet().toArray(NO_ENTRIES)) {
                    if (!first) {
                        sb.append(itemSep);
                    }
                    first = false;
                    if (indent > 0) {
                        newline(sb, level + 1);
                    }
                    writeString(sb, e.getKey());
                    sb.append(keySep);
                    write(sb, e.getValue(), level + 1);
                }
                if (indent > 0) {
                    newline(sb, level);
                }
                sb.append('}');
            }
        }
    }

    static String pythonJsonFloat(JsonFloat f) {
        double d = f.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return f.pythonRepr();
    }

    private void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int plain = 0;
        while (plain < n) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\' || (ascii && c > 0x7e)) {
                break;
            }
            plain++;
        }
        if (plain == n) {
            sb.append(s).append('"');
            return;
        }
        sb.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        appendUnicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static void appendUnicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }

    /** The path of the first float in member order (depth-first), or null. */
    public static String findFloatPath(Json value) {
        StringBuilder path = new StringBuilder("$");
        try {
            return firstFloat(value, path, 0, new JsonFloat[1]) ? path.toString() : null;
        } catch (WalkAbort tooDeep) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
    }

    /** Throws {@link FloatFoundException} for the first float in member order. */
    public static void rejectFloats(Json value) {
        StringBuilder path = new StringBuilder("$");
        JsonFloat[] found = new JsonFloat[1];
        boolean hit;
        try {
            hit = firstFloat(value, path, 0, found);
        } catch (WalkAbort tooDeep) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
        if (hit) {
            throw new FloatFoundException(path.toString(), found[0].pythonRepr());
        }
    }

    private static boolean firstFloat(Json value, StringBuilder path, int depth, JsonFloat[] out) {
        switch (value) {
            case JsonFloat f -> {
                out[0] = f;
                return true;
            }
            case JsonObject o -> {
                WalkAbort.enter(depth);
                for (var e : o.members().entrySet()) {
                    int len = path.length();
                    path.append('.').append(e.getKey());
                    if (firstFloat(e.getValue(), path, depth + 1, out)) {
                        return true;
                    }
                    path.setLength(len);
                }
                return false;
            }
            case JsonArray a -> {
                WalkAbort.enter(depth);
                for (int i = 0; i < a.size(); i++) {
                    int len = path.length();
                    path.append('[').append(i).append(']');
                    if (firstFloat(a.get(i), path, depth + 1, out)) {
                        return true;
                    }
                    path.setLength(len);
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether any string (value or key) holds an unpaired UTF-16 surrogate; returns its path or null. */
    public static String findLoneSurrogatePath(Json value) {
        StringBuilder path = new StringBuilder("$");
        try {
            return findLone(value, path, 0) ? path.toString() : null;
        } catch (WalkAbort tooDeep) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
    }

    private static boolean findLone(Json value, StringBuilder path, int depth) {
        switch (value) {
            case JsonString s -> {
                return hasLoneSurrogate(s.value());
            }
            case JsonObject o -> {
                WalkAbort.enter(depth);
                for (var e : o.members().entrySet()) {
                    int len = path.length();
                    path.append('.').append(e.getKey());
                    if (hasLoneSurrogate(e.getKey()) || findLone(e.getValue(), path, depth + 1)) {
                        return true;
                    }
                    path.setLength(len);
                }
                return false;
            }
            case JsonArray a -> {
                WalkAbort.enter(depth);
                for (int i = 0; i < a.size(); i++) {
                    int len = path.length();
                    path.append('[').append(i).append(']');
                    if (findLone(a.get(i), path, depth + 1)) {
                        return true;
                    }
                    path.setLength(len);
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
