package org.decisiongraph.core.validate;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.JsonWriter;

/** Idempotency-key rules (core spec 4.1), checked in this order. Whitespace-only keys are valid. */
public final class IdempotencyKeys {
    public static final int MAX_BYTES = 200;

    private IdempotencyKeys() {
    }

    public static void validate(String key) {
        if (key.isEmpty()) {
            throw DgErrors.idempotencyKeyEmpty();
        }
        if (key.indexOf('\0') >= 0) {
            throw DgErrors.idempotencyKeyNullByte();
        }
        if (JsonWriter.hasLoneSurrogate(key)) {
            throw DgErrors.idempotencyKeyLoneSurrogate(); // the reference cannot encode it to count its bytes
        }
        int bytes = utf8Length(key);
        if (bytes > MAX_BYTES) {
            throw DgErrors.idempotencyKeyTooLong(bytes);
        }
    }

    /** UTF-8 length of a string without unpaired surrogates. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
