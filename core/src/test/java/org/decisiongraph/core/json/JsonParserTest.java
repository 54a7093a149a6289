package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.error.FloatFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "{", "[", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}",
            "tru", "nul", "fals", "01", "1.", "1.e5", "1e", "1e+", "-", "+1", ".5", "0x10", "--1", "\"abc",
            "\"\\x\"", "\"\\u12\"", "\"\\u00g0\"", "\"\\u\uff10\uff10\uff14\uff11\"", "\"a\tb\"", "\"a\nb\"",
            "1 2", "{} []", "\ufeff{}", "\u00a0{}", "nan", "infinity", "-NaN", "[\"a\",]", "{\"a\":1 \"b\":2}"})
    void malformedTextIsInvalidArgumentWithAPosition(String text) {
        Throwable thrown = catchThrowable(() -> JsonParser.parse(text));
        assertThat(thrown).isInstanceOf(DgException.class);
        DgException e = (DgException) thrown;
        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
        assertThat(e.message()).matches("Invalid JSON: .+ at line \\d+ column \\d+");
    }

    @Test
    void errorPositionNamesLineAndColumn() {
        assertThatThrownBy(() -> JsonParser.parse("{\n  \"a\": x\n}"))
                .hasMessage("Invalid JSON: unexpected character 'x' at line 2 column 8");
        assertThatThrownBy(() -> JsonParser.parse("[1,\n2,\n", 41))
                .hasMessage("Invalid JSON: unexpected end of input at line 43 column 1");
    }

    @Test
    void invalidUtf8IsRejectedWithItsOffset() {
        byte[][] bad = {
                {'"', 'a', 'b', (byte) 0xFF, '"'},
                {'"', (byte) 0xC3, '(', '"'},
                {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
                {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // encoded surrogate U+D800
                {'"', (byte) 0xE2, (byte) 0x82}, // truncated
                {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
        };
        int[] offsets = {3, 1, 1, 1, 1, 1};
        for (int i = 0; i < bad.length; i++) {
            byte[] b = bad[i];
            assertThatThrownBy(() -> JsonParser.parse(b)).isInstanceOf(DgException.class)
                    .hasMessage("Invalid JSON: input is not valid UTF-8 at byte offset " + offsets[i])
                    .extracting(e -> ((DgException) e).code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
        }
        assertThat(JsonParser.parse("\"é😀\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(Json.of("é😀"));
    }

    @Test
    void nestingUpToTheLimitParsesAndDeeperIsRefusedCleanly() {
        int max = JsonParser.MAX_DEPTH;
        Json ok = JsonParser.parse("[".repeat(max) + "]".repeat(max));
        assertThat(JsonDepth.exceeds(ok, max)).isFalse();
        assertThat(JsonDepth.exceeds(ok, max - 1)).isTrue();
        String objects = "{\"a\":".repeat(max) + "1" + "}".repeat(max);
        assertThat(JsonParser.parse(objects)).isInstanceOf(JsonObject.class);

        for (String deep : List.of("[".repeat(max + 1) + "]".repeat(max + 1), "{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1),
                "[".repeat(200_000))) {
            Throwable thrown = catchThrowable(() -> JsonParser.parse(deep));
            assertThat(thrown).isInstanceOf(DgException.class)
                    .hasMessageStartingWith("Invalid JSON: nesting deeper than 1000 levels at line 1 column ");
        }
    }

    @Test
    void duplicateKeysKeepTheFirstPositionAndTheLastValue() {
        JsonObject o = (JsonObject) JsonParser.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertThat(o.keys()).containsExactly("a", "b");
        assertThat(o.get("a")).isEqualTo(Json.of(3));
        assertThat(JsonWriter.canonical(o)).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void numbers() {
        assertThat(JsonParser.parse("-0")).isEqualTo(Json.of(0));
        assertThat(JsonWriter.canonical(JsonParser.parse("[-0,0,-1]"))).isEqualTo("[0,0,-1]");
        assertThat(JsonParser.parse("1E2")).isEqualTo(new JsonFloat("1E2"));
        assertThat(JsonParser.parse("1e-2")).isEqualTo(new JsonFloat("1e-2"));
        assertThat(JsonParser.parse("-0.0")).isEqualTo(new JsonFloat("-0.0"));
        assertThat(JsonParser.parse("NaN")).isEqualTo(new JsonFloat("NaN"));
        assertThat(JsonParser.parse("Infinity")).isEqualTo(new JsonFloat("Infinity"));
        assertThat(JsonParser.parse("-Infinity")).isEqualTo(new JsonFloat("-Infinity"));
        String big = "18446744073709551616";
        String huge = "-1" + "0".repeat(40);
        assertThat(JsonParser.parse(big)).isEqualTo(new JsonInt(new BigInteger(big)));
        assertThat(JsonParser.parse("9223372036854775808")).isEqualTo(new JsonInt(new BigInteger("9223372036854775808")));
        assertThat(JsonParser.parse("-9223372036854775809")).isEqualTo(new JsonInt(new BigInteger("-9223372036854775809")));
        assertThat(JsonWriter.canonical(JsonParser.parse("[" + big + "," + huge + "]"))).isEqualTo("[" + big + "," + huge + "]");
    }

    @Test
    void floatTokensAreRejectedAtHashingWithPythonsRepr() {
        String[][] cases = {
                {"{\"n\":1E2}", "Float found at '$.n': 100.0. Use string representation for decimals."},
                {"{\"x\":NaN}", "Float found at '$.x': nan. Use string representation for decimals."},
                {"{\"x\":[1,-Infinity]}", "Float found at '$.x[1]': -inf. Use string representation for decimals."},
                {"{\"x\":1e400}", "Float found at '$.x': inf. Use string representation for decimals."},
                {"{\"b\":{\"c\":-0.0},\"a\":0.5}", "Float found at '$.b.c': -0.0. Use string representation for decimals."},
        };
        for (String[] c : cases) {
            Json v = JsonParser.parse(c[0]);
            assertThatThrownBy(() -> Hashing.payloadHash(v)).isInstanceOf(FloatFoundException.class).hasMessage(c[1]);
        }
    }

    @Test
    void escapes() {
        assertThat(JsonParser.parse("\"\\u00e9\\u00E9\\/\\b\\f\\n\\r\\t\\\"\\\\\"")).isEqualTo(Json.of("éé/\b\f\n\r\t\"\\"));
        assertThat(JsonParser.parse("\"\\ud83d\\ude00\"")).isEqualTo(Json.of("😀"));
        Json lone = JsonParser.parse("{\"s\":\"a\\ud800b\"}");
        assertThat(((JsonObject) lone).getString("s")).isEqualTo("a\ud800b");
        assertThatThrownBy(() -> Hashing.payloadHash(lone)).isInstanceOf(DgException.class)
                .hasMessage("Payload is not JSON-serializable: unpaired UTF-16 surrogate at '$.s'")
                .extracting(e -> ((DgException) e).code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
        Json loneKey = JsonParser.parse("{\"ok\":1,\"k\\udc00\":1}");
        assertThatThrownBy(() -> Hashing.payloadHash(loneKey)).hasMessage(
                "Payload is not JSON-serializable: unpaired UTF-16 surrogate at '$.k\udc00'");
    }

    @Test
    void aFloatIsReportedBeforeALoneSurrogateWhereverTheyAre() {
        // "a" sorts first, so the encoder meets the surrogate first; the reference checks floats first.
        Json v = JsonParser.parse("{\"z\":1.5,\"a\":\"\\ud800\"}");
        assertThatThrownBy(() -> Hashing.payloadHash(v)).isInstanceOf(FloatFoundException.class)
                .hasMessage("Float found at '$.z': 1.5. Use string representation for decimals.");
    }

    @Test
    void whitespaceAroundValues() {
        assertThat(JsonParser.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n ")).isEqualTo(Json.obj("a", Json.array(List.of(Json.of(1), Json.of(2)))));
    }
}
