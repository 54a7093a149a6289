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
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.<digits> * 10^decpt
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
}
