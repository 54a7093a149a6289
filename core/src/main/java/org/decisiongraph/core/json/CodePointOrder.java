package org.decisiongraph.core.json;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, as Python compares {@code str}. {@link String#compareTo}
 * compares UTF-16 units and would put U+10000 and above before U+E000..U+FFFF.
 */
public final class CodePointOrder implements Comparator<String> {
    public static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= 0xD800 && y >= 0xD800) {
                    return fixup(x) - fixup(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF so UTF-16 unit order equals code point order. */
    private static int fixup(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        return c + 0x2000;
    }
}
