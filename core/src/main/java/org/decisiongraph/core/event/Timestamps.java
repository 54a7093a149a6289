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
        return RFC3339_MICROS.format(t.truncatedTo(ChronoUnit.MICROS));
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

    public static boolean isIso8601(String text) {
        try {
            parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
