package org.decisiongraph.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Locale;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.Json;

/** The PII guard matches case-insensitively (full Unicode lowercasing) and reports the original-case pattern. */
class PiiGuardPropertiesTest {

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of(PiiGuard.PATTERNS);
    }

    /** Digits, spaces and punctuation that cannot form (part of) any pattern. */
    @Provide
    Arbitrary<String> filler() {
        return Arbitraries.strings().withChars("0123456789 .,;#()").ofMaxLength(6);
    }

    @Property(tries = 500)
    void randomCaseVariantsAreRejectedWithTheOriginalPattern(@ForAll("patterns") String pattern, @ForAll long seed,
            @ForAll("filler") String before, @ForAll("filler") String after) {
        String variant = randomCase(pattern, new Random(seed));
        String value = before + variant + after;
        // the first pattern (in the tried order) that the pattern itself contains: "-----BEGIN" for the key headers
        String expected = PiiGuard.PATTERNS.stream()
                .filter(p -> pattern.toLowerCase(Locale.ROOT).contains(p.toLowerCase(Locale.ROOT))).findFirst().orElseThrow();
        assertThat(PiiGuard.firstHit(value)).as(value).isEqualTo(expected);
        Throwable thrown = catchThrowable(() -> PiiGuard.check(Json.obj("note", Json.of(value)), "$.payload"));
        assertThat(thrown).isInstanceOf(DgException.class);
        assertThat(((DgException) thrown).code()).isEqualTo(ErrorCode.DG_ERR_PII_POLICY_VIOLATION);
        assertThat(((DgException) thrown).message()).isEqualTo("Forbidden content '" + expected + "' found at '$.payload.note'");
    }

    @Property(tries = 200)
    void keysNumbersAndLiteralsAreNeverScanned(@ForAll("patterns") String pattern, @ForAll long n, @ForAll boolean b) {
        Json value = Json.obj(pattern, Json.of(n), pattern + "x", Json.of(b), "k", Json.obj(pattern, Json.array(java.util.List.of())));
        assertThat(catchThrowable(() -> PiiGuard.check(value, "$"))).isNull();
    }

    /** Upper- or lower-cases each letter; sometimes uses U+212A KELVIN SIGN for k, which lowercases to k. */
    static String randomCase(String s, Random r) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.toLowerCase(c) == 'k' && r.nextInt(4) == 0) {
                sb.append('\u212a');
            } else {
                sb.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}
