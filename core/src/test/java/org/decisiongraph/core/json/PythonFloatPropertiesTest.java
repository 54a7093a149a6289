package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Python's {@code repr(float)} (used in the float-rejection message) for random doubles, checked against
 * its definition rather than a second implementation: it parses back to the same double; it has the fewest
 * significant digits of any decimal that does; among those it is the closest; and it uses fixed notation
 * exactly when the decimal point position {@code decpt} (value = 0.DIGITS x 10^decpt) is in (-4, 16].
 */
class PythonFloatPropertiesTest {
    private static final Pattern FIXED = Pattern.compile("-?(0|[1-9]\\d*)\\.(0|\\d*[1-9])");
    private static final Pattern SCIENTIFIC = Pattern.compile("-?([1-9])(?:\\.(\\d*[1-9]))?e([+-])(\\d{2,3})");

    @Provide
    Arbitrary<Double> doubles() {
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> subnormal = Combinators.combine(Arbitraries.longs().between(1, 0x000f_ffff_ffff_ffffL), Arbitraries.of(1.0, -1.0))
                .as((bits, sign) -> sign * Double.longBitsToDouble(bits));
        Arbitrary<Double> shortDecimal = Combinators.combine(Arbitraries.integers().between(-999_999, 999_999),
                Arbitraries.integers().between(-330, 300)).as((m, e) -> Double.parseDouble(m + "e" + e)).filter(Double::isFinite);
        Arbitrary<Double> nearSwitch = Combinators.combine(Arbitraries.doubles().between(1.0, 10.0),
                Arbitraries.of(-6, -5, -4, -3, 14, 15, 16, 17)).as((m, e) -> m * Math.pow(10, e));
        Arbitrary<Double> tiny = Arbitraries.integers().between(1, 200).map(k -> k * Double.MIN_VALUE);
        return Arbitraries.frequencyOf(Tuple.of(4, anyBits), Tuple.of(2, subnormal), Tuple.of(3, shortDecimal),
                Tuple.of(2, nearSwitch), Tuple.of(1, tiny), Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE,
                        Double.MAX_VALUE, Double.MIN_NORMAL, 1e16, 1e15, 1e-4, 1e-5)));
    }

    @Property(tries = 3000)
    void reprIsPythonsShortestRoundTrip(@ForAll("doubles") double d) {
        String repr = PythonFloat.repr(d);
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(repr))).as(repr).isEqualTo(Double.doubleToRawLongBits(d));
        if (d == 0) {
            assertThat(repr).isEqualTo(1 / d < 0 ? "-0.0" : "0.0");
            return;
        }
        BigDecimal shown = new BigDecimal(repr.startsWith("-") ? repr.substring(1) : repr).stripTrailingZeros();
        int digits = shown.precision();
        int decpt = digits - shown.scale();
        boolean fixed = decpt > -4 && decpt <= 16;
        Matcher m = (fixed ? FIXED : SCIENTIFIC).matcher(repr);
        assertThat(m.matches()).as(repr + " in " + (fixed ? "fixed" : "scientific") + " notation, decpt " + decpt).isTrue();
        if (!fixed) {
            assertThat(Integer.parseInt(m.group(4)) * (m.group(3).equals("-") ? -1 : 1)).isEqualTo(decpt - 1);
        }
        BigDecimal exact = new BigDecimal(Math.abs(d));
        double abs = Math.abs(d);
        if (digits > 1) {
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
                assertThat(Double.parseDouble(shorter.toString())).as(repr + " is not shortest: " + shorter).isNotEqualTo(abs);
            }
        }
        // the other neighbour with as many digits is not closer (when it round-trips too)
        RoundingMode otherSide = shown.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
        BigDecimal other = exact.round(new MathContext(digits, otherSide));
        if (other.compareTo(shown) != 0 && Double.parseDouble(other.toString()) == abs) {
            assertThat(shown.subtract(exact).abs()).as(repr + " vs " + other).isLessThanOrEqualTo(other.subtract(exact).abs());
        }
    }
}
