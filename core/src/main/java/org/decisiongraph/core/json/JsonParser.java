package org.decisiongraph.core.json;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;

/**
 * A strict JSON parser (RFC 8259) that keeps what the reference's Python parser keeps: member order,
 * exact integers, floats as tokens, the last value for a duplicate key (at the first key's position),
 * and the non-standard {@code NaN} / {@code Infinity} / {@code -Infinity} tokens that Python accepts
 * (they are rejected later as floats). Every failure is {@code DG_ERR_INVALID_ARGUMENT}.
 */
public final class JsonParser {
    /** Nesting deeper than this is refused instead of exhausting the stack. */
    public static final int MAX_DEPTH = 1000;

    private final String s;
    private final long firstLine;
    private int pos;
    private int depth;

    private JsonParser(String s, long firstLine) {
        this.s = s;
        this.firstLine = firstLine;
    }

    public static Json parse(String text) {
        return parse(text, 1);
    }

    /**
     * Parses {@code text} that starts at line {@code firstLine} of a larger input (one line of a JSON Lines
     * file), so that error positions name the line of that input.
     */
    public static Json parse(String text, long firstLine) {
        JsonParser p = new JsonParser(text, firstLine);
        try {
            p.skipWs();
            Json v = p.value();
            p.skipWs();
            if (p.pos != p.s.length()) {
                throw p.error("unexpected content after the JSON value");
            }
            return v;
        } catch (Failure f) {
            throw p.toException(f);
        }
    }

    /** Parses UTF-8 bytes; invalid UTF-8 is refused. */
    public static Json parse(byte[] utf8) {
        return parse(decodeUtf8(utf8));
    }

    /** Strict UTF-8 decoding (no replacement characters); the error names the offset of the first bad byte. */
    public static String decodeUtf8(byte[] utf8) {
        return decodeUtf8(utf8, 0, utf8.length);
    }

    public static String decodeUtf8(byte[] utf8, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8, offset, length);
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never needs more chars than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw DgErrors.invalidArgument("Invalid JSON: input is not valid UTF-8 at byte offset " + (in.position() - offset));
        }
        return out.flip().toString();
    }

    /**
     * A syntax error, thrown at any nesting depth and turned into the {@link DgException} by {@link #parse}:
     * like {@link WalkAbort}, it keeps string building out of the bottom of a deep stack.
     */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String what;
        final String quotedPrefix;
        final char quoted;

        Failure(String what, String quotedPrefix, char quoted) {
            super(null, null, false, false);
            this.what = what;
            this.quotedPrefix = quotedPrefix;
            this.quoted = quoted;
        }
    }

    /** Loads {@link Failure} with this class, on a shallow stack. */
    private static final Failure LOADED = new Failure("", null, ' ');

    private Failure error(String what) {
        return new Failure(what, null, ' ');
    }

    /** An error that quotes a character: {@code <what> '<prefix><c>'}. */
    private Failure error(String what, String prefix, char c) {
        return new Failure(what, prefix, c);
    }

    private DgException toException(Failure f) {
        String what = f.quotedPrefix == null ? f.what : f.what + " '" + f.quotedPrefix + printable(f.quoted) + "'";
        long line = firstLine;
        int col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return DgErrors.invalidArgument("Invalid JSON: " + what + " at line " + line + " column " + col);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private Json value() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return new JsonString(string());
            case 't':
                literal("true");
                return JsonBool.TRUE;
            case 'f':
                literal("false");
                return JsonBool.FALSE;
            case 'n':
                literal("null");
                return JsonNull.INSTANCE;
            case 'N':
                literal("NaN");
                return new JsonFloat("NaN");
            case 'I':
                literal("Infinity");
                return new JsonFloat("Infinity");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character", "", c);
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw error("invalid literal");
        }
        pos += word.length();
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private JsonObject object() {
        enter();
        pos++; // {
        LinkedHashMap<String, Json> members = new LinkedHashMap<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            depth--;
            return JsonObject.adopt(members);
        }
        while (true) {
            skipWs();
            if (pos >= s.length()) {
                throw error("unexpected end of input in object");
            }
            if (s.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipWs();
            if (pos >= s.length()) {
                throw error("unexpected end of input in object");
            }
            if (s.charAt(pos) != ':') {
                throw error("expected ':'");
            }
            pos++;
            skipWs();
            Json v = value();
            members.put(key, v); // duplicate: keeps the first position, takes the last value (Python dict)
            skipWs();
            if (pos >= s.length()) {
                throw error("unexpected end of input in object");
            }
            char c = s.charAt(pos++);
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
        depth--;
        return JsonObject.adopt(members);
    }

    private JsonArray array() {
        enter();
        pos++; // [
        ArrayList<Json> items = new ArrayList<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            depth--;
            return JsonArray.adopt(items);
        }
        while (true) {
            skipWs();
            items.add(value());
            skipWs();
            if (pos >= s.length()) {
                throw error("unexpected end of input in array");
            }
            char c = s.charAt(pos++);
            if (c == ']') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
        depth--;
        return JsonArray.adopt(items);
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // fast path: no escapes
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                String r = s.substring(start, pos);
                pos++;
                return r;
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw error("unescaped control character in string");
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder(pos - start + 16);
        sb.append(s, start, pos);
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = hexDigit(s.charAt(pos + i));
                        if (d < 0) {
                            throw error("invalid \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) cp);
                }
                default -> {
                    pos--;
                    throw error("invalid escape", "\\", e);
                }
            }
        }
    }

    private Json number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
            if (s.startsWith("Infinity", pos)) {
                pos += 8;
                return new JsonFloat("-Infinity");
            }
        }
        if (pos >= s.length()) {
            throw error("invalid number");
        }
        char c = s.charAt(pos);
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        } else {
            throw error("invalid number");
        }
        boolean isFloat = false;
        if (pos < s.length() && s.charAt(pos) == '.') {
            isFloat = true;
            pos++;
            int digits = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw error("invalid number: digits expected after '.'");
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            isFloat = true;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw error("invalid number: digits expected in exponent");
            }
        }
        String token = s.substring(start, pos);
        if (isFloat) {
            return new JsonFloat(token);
        }
        if (token.length() <= 18) {
            return JsonInt.of(Long.parseLong(token));
        }
        return new JsonInt(new BigInteger(token));
    }

    /** ASCII hex digits only ({@link Character#digit} would also take fullwidth and other Unicode digits). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
