package org.decisiongraph.core.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonParser;

/** Splits a byte stream into lines at {@code \n}; a UTF-8 byte order mark at the very start is skipped. */
final class Lines implements AutoCloseable {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long number;
    private boolean eof;
    private boolean started;

    Lines(InputStream in) {
        this.in = in;
    }

    long lineNumber() {
        return number;
    }

    /** The next line holding something other than JSON whitespace, or null at the end. */
    Line nextNonBlank() throws IOException {
        while (true) {
            Line l = next();
            if (l == null || !isBlank(l.bytes())) {
                return l;
            }
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        if (!started) {
            started = true;
            while (limit < 3 && !eof) { // make sure a byte order mark is seen whole
                int more = in.read(chunk, limit, chunk.length - limit);
                if (more < 0) {
                    eof = true;
                } else {
                    limit += more;
                }
            }
            if (limit >= 3 && (chunk[0] & 0xff) == 0xEF && (chunk[1] & 0xff) == 0xBB && (chunk[2] & 0xff) == 0xBF) {
                pos = 3;
            }
        }
        return true;
    }

    private Line next() throws IOException {
        int n = 0;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            int len = pos - start;
            if (n + len > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, n + len));
            }
            System.arraycopy(chunk, start, line, n, len);
            n += len;
            if (pos < limit) { // found the line feed
                pos++;
                break;
            }
        }
        number++;
        return new Line(number, Arrays.copyOf(line, n));
    }

    void drainTo(ByteArrayOutputStream out) throws IOException {
        out.write(chunk, pos, limit - pos);
        pos = limit;
        if (!eof) {
            in.transferTo(out);
            eof = true;
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!isJsonWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    static boolean isJsonWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** One physical line (without its line feed), numbered from 1. */
    record Line(long number, byte[] bytes) {
        /** The line decoded and stripped of JSON whitespace, or null when it is not valid UTF-8. */
        String trimmedText() {
            try {
                return strip(JsonParser.decodeUtf8(bytes));
            } catch (DgException e) {
                return null;
            }
        }

        Json parse() {
            String text;
            try {
                text = JsonParser.decodeUtf8(bytes);
            } catch (DgException e) {
                throw DgErrors.invalidArgument(e.message() + " of line " + number);
            }
            return JsonParser.parse(text, number);
        }

        void appendRawTo(ByteArrayOutputStream out) {
            out.write(bytes, 0, bytes.length);
            out.write('\n');
        }

        private static String strip(String s) {
            int from = 0;
            int to = s.length();
            while (from < to && isJsonWhitespace(s.charAt(from))) {
                from++;
            }
            while (to > from && isJsonWhitespace(s.charAt(to - 1))) {
                to--;
            }
            return s.substring(from, to);
        }
    }
}
