package org.decisiongraph.projection.digest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.decisiongraph.core.json.Hashing;

/**
 * Writes the digest form of rows (compact JSON, ASCII-escaped like Python's {@code ensure_ascii=True}: lowercase
 * {@code \\uXXXX}, UTF-16 surrogates escaped one by one) directly as bytes into SHA-256, without building JSON
 * trees or strings (decision P21: same bytes as {@code JsonWriter.ascii} of the row objects). Optionally keeps the
 * bytes for {@link Digests#inputs}.
 */
final class DigestSink {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final int CAPACITY = 1 << 16;

    private final MessageDigest md = Hashing.newSha256();
    private final ByteArrayOutputStream kept;
    private final byte[] buf = new byte[CAPACITY];
    private int pos;

    DigestSink(boolean keep) {
        this.kept = keep ? new ByteArrayOutputStream() : null;
    }

    private void ensure(int n) {
        if (CAPACITY - pos < n) {
            drain();
        }
    }

    private void drain() {
        md.update(buf, 0, pos);
        if (kept != null) {
            kept.write(buf, 0, pos);
        }
        pos = 0;
    }

    /** Appends ASCII text verbatim (structural characters and fixed keys). */
    DigestSink raw(String ascii) {
        int n = ascii.length();
        if (n > CAPACITY) {
            for (int i = 0; i < n; i++) {
                ensure(1);
                buf[pos++] = (byte) ascii.charAt(i);
            }
            return this;
        }
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    DigestSink raw(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
        return this;
    }

    /** A JSON string value, or {@code null} for a null reference. */
    DigestSink string(String s) {
        if (s == null) {
            ensure(4);
            System.arraycopy(NULL, 0, buf, pos, 4);
            pos += 4;
            return this;
        }
        ensure(1);
        buf[pos++] = '"';
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            ensure(6);
            if (c >= 0x20 && c <= 0x7e) {
                if (c == '"' || c == '\\') {
                    buf[pos++] = '\\';
                }
                buf[pos++] = (byte) c;
                continue;
            }
            switch (c) {
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                case '\t' -> escape('t');
                case '\b' -> escape('b');
                case '\f' -> escape('f');
                default -> {
                    buf[pos++] = '\\';
                    buf[pos++] = 'u';
                    buf[pos++] = HEX[(c >> 12) & 0xf];
                    buf[pos++] = HEX[(c >> 8) & 0xf];
                    buf[pos++] = HEX[(c >> 4) & 0xf];
                    buf[pos++] = HEX[c & 0xf];
                }
            }
        }
        ensure(1);
        buf[pos++] = '"';
        return this;
    }

    private void escape(char c) {
        buf[pos++] = '\\';
        buf[pos++] = (byte) c;
    }

    /** A JSON integer. */
    DigestSink number(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            return raw(Long.toString(v));
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v == 0) {
            buf[pos++] = '0';
            return this;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        pos = end;
        return this;
    }

    String digest() {
        drain();
        return Hashing.prefixedHex(md.digest());
    }

    /** The bytes written so far, as text (all ASCII); only for a keeping sink, after {@link #digest}. */
    String text() {
        return kept.toString(StandardCharsets.US_ASCII);
    }
}
