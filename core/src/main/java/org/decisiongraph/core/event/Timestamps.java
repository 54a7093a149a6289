package org.decisiongraph.core.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import org.decisiongraph.core.error.DgErrors;

/**
 * The reference's time helpers. {@code recorded_at} is always {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'} in
 * UTC; {@code occurred_at} is never reformatted (it feeds digests verbatim).
 */
public final class Timestamps {
    private static final DateTimeFormatter RFC3339_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** {@code to_rfc3339}: UTC, six fractional digits, {@code Z}. */
    public static String toRfc3339(Instant t) {
        Instant micros = t.truncatedTo(ChronoUnit.MICROS);
        LocalDateTime d = LocalDateTime.ofEpochSecond(micros.getEpochSecond(), micros.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 1 || year > 9999) { // the pattern's yyyy is the year of era
            return RFC3339_MICROS.format(micros);
        }
        char[] c = new char[27];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, d.getHour(), 2);
        c[13] = ':';
        digits(c, 14, d.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, d.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, d.getNano() / 1000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** {@code to_rfc3339} of an aware datetime: converted to UTC first. */
    public static String toRfc3339(OffsetDateTime t) {
        return toRfc3339(t.toInstant());
    }

    /** {@code to_rfc3339} of a naive datetime: taken as UTC. */
    public static String toRfc3339(LocalDateTime t) {
        return toRfc3339(t.toInstant(ZoneOffset.UTC));
    }

    /**
     * {@code from_rfc3339}: a trailing {@code Z} means UTC, an offset is honoured, a naive value is UTC.
     * Throws {@code DG_ERR_INVALID_ARGUMENT} on anything else.
     */
    public static Instant parse(String text) {
        String s = text.trim();
        Instant fast = parseCommon(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw DgErrors.invalidArgument("Invalid ISO-8601 timestamp: '" + text + "'");
            }
        }
    }

    /**
     * The usual shape, {@code yyyy-MM-dd(T| )HH:mm:ss[.f{1,9}][Z|(+|-)HH:mm]}, without the formatters; null for
     * anything else (or anything out of range), which the formatters then decide. A test compares both paths.
     */
    static Instant parseCommon(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nano = nano * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nano *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n) {
            offset = ZoneOffset.UTC;
        } else if (s.charAt(i) == 'Z' && i + 1 == n) {
            offset = ZoneOffset.UTC;
        } else if ((s.charAt(i) == '+' || s.charAt(i) == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = number(s, i + 1, 2);
            int om = number(s, i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            try {
                offset = s.charAt(i) == '+' ? ZoneOffset.ofHoursMinutes(oh, om) : ZoneOffset.ofHoursMinutes(-oh, -om);
            } catch (java.time.DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano).toInstant(offset);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code width} ASCII digits at {@code at}; -1 if any is not a digit. */
    private static int number(String s, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static boolean isIso8601(String text) {
        try {
            parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
