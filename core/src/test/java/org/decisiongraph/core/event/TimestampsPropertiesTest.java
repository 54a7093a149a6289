package org.decisiongraph.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written fast paths of {@link Timestamps} against the {@code java.time} formatters they short-cut: the
 * same instant for every text either accepts, the same rejections, the same {@code to_rfc3339} text.
 */
class TimestampsPropertiesTest {

    /** What {@link Timestamps#parse} does with the formatters alone (null = rejected). */
    private static Instant formatters(String text) {
        String s = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Instant parsed(String text) {
        return Timestamps.isIso8601(text) ? Timestamps.parse(text) : null;
    }

    @Property(tries = 3000)
    void parseAgreesWithTheFormatters(@ForAll("timestamps") String text) {
        assertThat(parsed(text)).as(text).isEqualTo(formatters(text));
    }

    @Example
    void edgeCasesAgreeWithTheFormatters() {
        for (String text : new String[] {"2026-02-29T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2026-01-01T24:00:00Z",
                "2026-01-01T23:59:60Z", "2026-01-01T00:00:00-00:00", "2026-01-01T00:00:00+18:00", "2026-01-01T00:00:00+18:01",
                "2026-01-01T00:00:00+19:00", "2026-01-01T00:00:00+01:60", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
                "2026-01-01 00:00:00", " 2026-01-01T00:00:00Z ", "2026-01-01t00:00:00z", "0000-01-01T00:00:00Z",
                "2026-1-01T00:00:00Z", "2026-01-01T00:00Z", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00+0100",
                "2026-01-01T00:00:00+01:00:30", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z",
                "２０２６-01-01T00:00:00Z"}) {
            assertThat(parsed(text)).as(text).isEqualTo(formatters(text));
        }
        assertThat(Timestamps.parseCommon("2026-01-01T00:00:00.5+05:30"))
                .isEqualTo(Instant.parse("2025-12-31T18:30:00.500Z"));
    }

    @Property(tries = 2000)
    void toRfc3339AgreesWithTheFormatter(@ForAll("instants") Instant t) {
        String expected = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC)
                .format(t.truncatedTo(ChronoUnit.MICROS));
        assertThat(Timestamps.toRfc3339(t)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-62_167_219_200L, 253_402_300_799L),
                Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L))
                .flatMap(sec -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(sec, n)));
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
                Arbitraries.of("2024", "2026", "1999", "999", "20261", "+2026", "-001"));
        Arbitrary<String> two = Arbitraries.oneOf(Arbitraries.integers().between(0, 99).map(v -> String.format("%02d", v)),
                Arbitraries.of("1", "001", "a1", "1 ", "٣٣"));
        Arbitrary<String> month = Arbitraries.oneOf(Arbitraries.integers().between(1, 12).map(v -> String.format("%02d", v)), two);
        Arbitrary<String> day = Arbitraries.oneOf(Arbitraries.integers().between(1, 31).map(v -> String.format("%02d", v)), two);
        Arbitrary<String> hour = Arbitraries.oneOf(Arbitraries.integers().between(0, 24).map(v -> String.format("%02d", v)), two);
        Arbitrary<String> minute = Arbitraries.oneOf(Arbitraries.integers().between(0, 60).map(v -> String.format("%02d", v)), two);
        Arbitrary<String> separator = Arbitraries.of("T", " ", "t", "_");
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("."),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11).map(f -> "." + f));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("", "Z", "z", "+00:00", "-00:00", "+0530", "+05:30:15", " Z"),
                Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 61))
                        .as((sign, h, m) -> String.format("%s%02d:%02d", sign, h, m)));
        Arbitrary<String> padding = Arbitraries.of("", "", "", " ", "\t");
        return Combinators.combine(year, month, day, separator, hour, minute, minute, fraction)
                .as((y, mo, d, sep, h, mi, s, f) -> y + "-" + mo + "-" + d + sep + h + ":" + mi + ":" + s + f)
                .flatMap(base -> Combinators.combine(offset, padding, padding).as((o, a, b) -> a + base + o + b));
    }
}
