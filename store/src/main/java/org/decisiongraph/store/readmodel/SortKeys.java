package org.decisiongraph.store.readmodel;

/**
 * Sort keys whose natural {@link String#compareTo} order is the Unicode code point order of the original
 * strings, so sorted maps can use the JDK's fast string comparison. Only strings with a character at or above
 * U+D800 change: U+E000..U+FFFF move below the surrogates (the same remapping as
 * {@link org.decisiongraph.core.json.CodePointOrder}).
 */
final class SortKeys {
    private SortKeys() {
    }

    static String of(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0xD800) {
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < n; i++) {
            char c = chars[i];
            if (c >= 0xE000) {
                chars[i] = (char) (c - 0x800);
            } else if (c >= 0xD800) {
                chars[i] = (char) (c + 0x2000);
            }
        }
        return new String(chars);
    }
}
