package org.decisiongraph.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

import org.decisiongraph.core.error.DgErrors;

/**
 * Writes the canonical payload form straight into UTF-8 bytes (the hot path of every append):
 * sorted keys by code point, no whitespace, Python {@code ensure_ascii=False} escaping. The lenient instance
 * writes the same form for API answers: floats as Python writes them, and an unpaired surrogate as {@code ?}
 * (what encoding the text of {@link JsonWriter#canonicalLenient} to UTF-8 gives).
 */
final class CanonicalEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** ASCII characters written as they are: U+0020..U+007F except {@code "} and {@code \\}. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }
    private static final ThreadLocal<CanonicalEncoder> LOCAL = ThreadLocal.withInitial(() -> new CanonicalEncoder(false));
    private static final ThreadLocal<CanonicalEncoder> LENIENT = ThreadLocal.withInitial(() -> new CanonicalEncoder(true));
    /**
     * Encoders for virtual threads, which live for one request: a thread-local would give every request a new
     * encoder and buffer. Bounded: beyond {@value #POOLED} idle encoders the extra ones are dropped.
     */
    private static final int POOLED = 64;
    private static final ArrayBlockingQueue<CanonicalEncoder> POOL = new ArrayBlockingQueue<>(POOLED);
    private static final ArrayBlockingQueue<CanonicalEncoder> LENIENT_POOL = new ArrayBlockingQueue<>(POOLED);

    private final boolean lenient;
    private byte[] buf = new byte[4096];
    private int len;

    private CanonicalEncoder(boolean lenient) {
        this.lenient = lenient;
    }

    /** {@code JsonWriter.canonicalLenient(value).getBytes(UTF_8)}, written directly. */
    static byte[] encodeLenient(Json value) {
        byte[][] out = new byte[1][];
        run(true, value, (b, n) -> out[0] = Arrays.copyOf(b, n));
        return out[0];
    }

    /** Encodes into a reused buffer and passes it to {@code sink}, avoiding a copy. */
    static void encodeTo(Json value, Sink sink) {
        run(false, value, sink);
    }

    private static void run(boolean lenient, Json value, Sink sink) {
        boolean pooled = Thread.currentThread().isVirtual();
        ArrayBlockingQueue<CanonicalEncoder> pool = lenient ? LENIENT_POOL : POOL;
        CanonicalEncoder e = pooled ? pool.poll() : (lenient ? LENIENT : LOCAL).get();
        if (e == null) {
            e = new CanonicalEncoder(lenient);
        }
        try {
            e.len = 0;
            e.encodeChecked(value);
            if (!e.lenient && value instanceof JsonObject o) {
                o.canonicalLength = e.len;
            }
            sink.accept(e.buf, e.len);
        } finally {
            if (e.buf.length > (1 << 20)) {
                e.buf = new byte[4096]; // do not keep huge buffers alive
            }
            if (pooled) {
                pool.offer(e);
            }
        }
    }

    /** The length of the canonical form in bytes (remembered by an object once it has been encoded). */
    static int length(Json value) {
        if (value instanceof JsonObject o && o.canonicalLength >= 0) {
            return o.canonicalLength;
        }
        int[] n = new int[1];
        encodeTo(value, (b, len) -> n[0] = len);
        return n[0];
    }

    static byte[] encode(Json value) {
        byte[][] out = new byte[1][];
        encodeTo(value, (b, n) -> out[0] = Arrays.copyOf(b, n));
        return out[0];
    }

    static String encodeToString(Json value) {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    interface Sink {
        void accept(byte[] bytes, int length);
    }

    /** The signals of {@link WalkAbort}, loaded with this class on a shallow stack. */
    private static final WalkAbort FLOAT = WalkAbort.FLOAT;
    private static final WalkAbort LONE_SURROGATE = WalkAbort.LONE_SURROGATE;

    private void encodeChecked(Json value) {
        try {
            write(value, 0);
        } catch (WalkAbort signal) {
            // The slow path reports the error with its path. The reference checks floats over the whole tree
            // (member order) before it encodes any string, so a float wins over an unpaired surrogate.
            if (signal == WalkAbort.TOO_DEEP) {
                throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
            }
            JsonWriter.rejectFloats(value);
            if (signal == FLOAT) {
                throw new IllegalStateException("float signal without a float");
            }
            throw DgErrors.payloadLoneSurrogate(JsonWriter.findLoneSurrogatePath(value));
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    private void raw(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    private void write(Json value, int depth) {
        switch (value) {
            case JsonNull n -> raw("null");
            case JsonBool b -> raw(b.value() ? "true" : "false");
            case JsonInt i -> raw(i.value().toString());
            case JsonFloat f -> {
                if (!lenient) {
                    throw FLOAT;
                }
                raw(JsonWriter.pythonJsonFloat(f));
            }
            case JsonString s -> string(s.value());
            case JsonArray a -> {
                WalkAbort.enter(depth);
                raw((byte) '[');
                int n = a.size();
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        raw((byte) ',');
                    }
                    write(a.get(i), depth + 1);
                }
                raw((byte) ']');
            }
            case JsonObject o -> {
                WalkAbort.enter(depth);
                raw((byte) '{');
                Map<String, Json> m = o.raw;
                int n = m.size();
                if (n == 1) {
                    var e = m.entrySet().iterator().next();
                    string(e.getKey());
                    raw((byte) ':');
                    write(e.getValue(), depth + 1);
                } else if (n > 1) {
                    Map.Entry<String, Json>[] es = o.sortedEntries();
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            raw((byte) ',');
                        }
                        string(es[i].getKey());
                        raw((byte) ':');
                        write(es[i].getValue(), depth + 1);
                    }
                }
                raw((byte) '}');
            }
        }
    }

    private void string(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        byte[] b = buf;
        int p = len;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (PLAIN[c]) {
                    b[p++] = (byte) c;
                    continue;
                }
                // escapes may need up to 6 bytes for one char
                len = p;
                ensure(6 + (n - i) * 3 + 1);
                b = buf;
                switch (c) {
                    case '"' -> { b[p++] = '\\'; b[p++] = '"'; }
                    case '\\' -> { b[p++] = '\\'; b[p++] = '\\'; }
                    case '\n' -> { b[p++] = '\\'; b[p++] = 'n'; }
                    case '\r' -> { b[p++] = '\\'; b[p++] = 'r'; }
                    case '\t' -> { b[p++] = '\\'; b[p++] = 't'; }
                    case '\b' -> { b[p++] = '\\'; b[p++] = 'b'; }
                    case '\f' -> { b[p++] = '\\'; b[p++] = 'f'; }
                    default -> {
                        b[p++] = '\\';
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX[(c >> 4) & 0xf];
                        b[p++] = HEX[c & 0xf];
                    }
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else if (lenient) {
                    b[p++] = '?';
                } else {
                    throw LONE_SURROGATE;
                }
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        len = p;
        raw((byte) '"');
    }
}
