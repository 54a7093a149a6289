package org.decisiongraph.core.json;

import java.math.BigDecimal;

/** Python's {@code repr(float)}: shortest round-trip digits, fixed notation for exponents in (-4, 16]. */
final class PythonFloat {
    private PythonFloat() {
    }

    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0.0) {
            return (1.0 / d < 0) ? "-0.0" : "0.0";
        }
        // Double.toString yields the shortest digits that round-trip (JDK 19+), like Python's repr.
        double abs = Math.abs(d);
        BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.<digits> * 10^decpt
        if (digits.length() == 2) {
            // Double.toString never prints fewer than two digits, and among the two-digit decimals it takes
            // the one closest to the value (4.9E-324); Python prints the shortest: one digit when one round-trips.
            BigDecimal one = shortestOneDigit(abs, digits.charAt(0) - '0', decpt);
            if (one != null) {
                digits = one.unscaledValue().toString();
                decpt = digits.length() - one.scale();
            }
        }
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.");
                sb.append("0".repeat(-decpt));
                sb.append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits);
                sb.append("0".repeat(decpt - digits.length()));
                sb.append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        }
        return sb.toString();
    }

    /**
     * The one-digit decimal closest to {@code abs} that parses back to it, or null. Only the two
     * neighbours {@code first * 10^(decpt-1)} and {@code (first+1) * 10^(decpt-1)} can qualify.
     */
    private static BigDecimal shortestOneDigit(double abs, int first, int decpt) {
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal best = null;
        for (int digit = first; digit <= first + 1; digit++) {
            BigDecimal candidate = BigDecimal.valueOf(digit).scaleByPowerOfTen(decpt - 1);
            if (Double.parseDouble(candidate.toString()) != abs) {
                continue;
            }
            if (best == null) {
                best = candidate;
                continue;
            }
            int cmp = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
            if (cmp < 0 || (cmp == 0 && digit % 2 == 0)) {
                best = candidate;
            }
        }
        return best == null ? null : best.stripTrailingZeros();
    }
}
