package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code repr(float(token))} as printed by CPython 3 for tokens a JSON payload may carry. */
class PythonFloatTest {

    @ParameterizedTest
    @CsvSource({
            "5e-324, 5e-324", // Double.toString gives 4.9E-324: Java never prints one digit
            "4.9E-324, 5e-324",
            "1e-323, 1e-323",
            "1.5e-323, 1.5e-323",
            "1e16, 1e+16",
            "1e15, 1000000000000000.0",
            "1234567890123456.7, 1234567890123456.8",
            "1e22, 1e+22",
            "1E23, 1e+23",
            "0.0001, 0.0001",
            "0.00001, 1e-05",
            "123456789012345678.0, 1.2345678901234568e+17",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "2.2250738585072014e-308, 2.2250738585072014e-308",
            "1E2, 100.0",
            "9007199254740993.0, 9007199254740992.0",
            "0.30000000000000004, 0.30000000000000004",
            "-0.0, -0.0",
            "0.0, 0.0",
            "2.5e-5, 2.5e-05",
            "-1e-4, -0.0001",
            "3.14, 3.14",
            "1e400, inf",
            "-1e400, -inf",
            "NaN, nan",
            "Infinity, inf",
            "-Infinity, -inf",
    })
    void matchesCpython(String token, String expected) {
        assertThat(new JsonFloat(token).pythonRepr()).isEqualTo(expected);
    }
}
