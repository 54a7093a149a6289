package org.decisiongraph.core.json;

import java.math.BigInteger;
import java.util.Objects;

/** An integer of any size; written as plain decimal digits. */
public record JsonInt(BigInteger value) implements Json {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public JsonInt {
        Objects.requireNonNull(value, "value");
    }

    public static JsonInt of(long n) {
        return new JsonInt(BigInteger.valueOf(n));
    }

    public boolean fitsLong() {
        return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
    }

    public long longValue() {
        return value.longValueExact();
    }
}
