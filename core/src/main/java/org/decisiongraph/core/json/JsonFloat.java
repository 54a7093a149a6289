package org.decisiongraph.core.json;

import java.util.Objects;

/**
 * A number token with a fraction or exponent (or NaN / Infinity). Never hashed: the canonical writer
 * rejects it. {@link #pythonRepr()} gives the text the reference prints in its error message.
 */
public record JsonFloat(String token) implements Json {
    public JsonFloat {
        Objects.requireNonNull(token, "token");
    }

    public double doubleValue() {
        return switch (token) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(token);
        };
    }

    public String pythonRepr() {
        return PythonFloat.repr(doubleValue());
    }
}
