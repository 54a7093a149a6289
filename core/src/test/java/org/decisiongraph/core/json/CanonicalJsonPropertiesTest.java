package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.error.FloatFoundException;

/** Properties of the canonical (payload-hash) form and of the other writers, over random JSON trees. */
class CanonicalJsonPropertiesTest {

    @Provide
    Arbitrary<Json> hashable() {
        return JsonArbitraries.trees(5, false, false);
    }

    @Provide
    Arbitrary<Json> anything() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, JsonArbitraries.trees(5, true, true)),
                net.jqwik.api.Tuple.of(1, JsonArbitraries.deep(100, 300, true, true)),
                net.jqwik.api.Tuple.of(1, JsonArbitraries.deep(JsonParser.MAX_DEPTH - 4, JsonParser.MAX_DEPTH, true, true)),
                net.jqwik.api.Tuple.of(1, JsonArbitraries.deep(JsonParser.MAX_DEPTH + 1, JsonParser.MAX_DEPTH + 20, true, true)));
    }

    @Provide
    Arbitrary<Json> floatFree() {
        return JsonArbitraries.trees(5, false, true);
    }

    @Property(tries = 500)
    void lenientBytesAreTheUtf8OfTheLenientText(@ForAll("anything") Json tree, @ForAll long seed) {
        // the API writes answers with canonicalLenientBytes: the same bytes as encoding canonicalLenient's text
        byte[] expected;
        try {
            expected = JsonWriter.canonicalLenient(tree).getBytes(StandardCharsets.UTF_8);
        } catch (org.decisiongraph.core.error.DgException tooDeep) {
            assertThatThrownBy(() -> JsonWriter.canonicalLenientBytes(tree)).isInstanceOf(tooDeep.getClass())
                    .hasMessage(tooDeep.getMessage());
            return;
        }
        assertThat(JsonWriter.canonicalLenientBytes(tree)).isEqualTo(expected);
        assertThat(JsonWriter.canonicalLenientBytes(shuffle(tree, new Random(seed)))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<Json>> hashableLists() {
        return hashable().list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 30)
    void virtualThreadsSharingPooledEncodersGetTheirOwnBytes(@ForAll("hashableLists") List<Json> trees) throws Exception {
        // virtual threads borrow encoders from a shared pool; a buffer handed to two threads at once would mix them
        List<byte[]> canonical = new ArrayList<>();
        List<byte[]> lenient = new ArrayList<>();
        for (Json t : trees) {
            canonical.add(JsonWriter.canonicalBytes(t));
            lenient.add(JsonWriter.canonicalLenientBytes(t));
        }
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < trees.size(); i++) {
                    int k = i;
                    results.add(threads.submit(() -> java.util.Arrays.equals(JsonWriter.canonicalBytes(trees.get(k)), canonical.get(k))
                            && java.util.Arrays.equals(JsonWriter.canonicalLenientBytes(trees.get(k)), lenient.get(k))
                            && Hashing.payloadHash(trees.get(k)).equals(Hashing.sha256(canonical.get(k)))));
                }
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void canonicalFormIgnoresMemberOrder(@ForAll("hashable") Json tree, @ForAll long seed) {
        Json shuffled = shuffle(tree, new Random(seed));
        assertThat(JsonWriter.canonicalBytes(shuffled)).isEqualTo(JsonWriter.canonicalBytes(tree));
        assertThat(Hashing.payloadHash(shuffled)).isEqualTo(Hashing.payloadHash(tree));
        assertThat(JsonWriter.ascii(shuffled)).isEqualTo(JsonWriter.ascii(tree));
    }

    @Property(tries = 300)
    void parsingTheCanonicalFormGivesTheSameTreeAndBytes(@ForAll("hashable") Json tree) {
        byte[] canonical = JsonWriter.canonicalBytes(tree);
        Json reparsed = JsonParser.parse(canonical);
        assertThat(reparsed).isEqualTo(tree);
        assertThat(JsonWriter.canonicalBytes(reparsed)).isEqualTo(canonical);
    }

    @Property(tries = 300)
    void hashIsSha256OfTheCanonicalUtf8Bytes(@ForAll("hashable") Json tree) throws Exception {
        byte[] canonical = JsonWriter.canonical(tree).getBytes(StandardCharsets.UTF_8);
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        assertThat(Hashing.payloadHash(tree)).isEqualTo(expected).matches("sha256:[0-9a-f]{64}");
    }

    /** Objects with up to 40 members (the encoder sorts up to 16 by insertion, more with a merge sort). */
    @Property(tries = 200)
    void membersAreWrittenInCodePointOrderOfTheirKeys(@ForAll("keyLists") List<String> keys) {
        JsonObject.Builder b = JsonObject.builder();
        for (int i = 0; i < keys.size(); i++) {
            b.put(keys.get(i), Json.of(i));
        }
        JsonObject o = b.build();
        List<String> sorted = new ArrayList<>(o.keys());
        sorted.sort((x, y) -> java.util.Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()));
        StringBuilder expected = new StringBuilder("{");
        for (String k : sorted) {
            if (expected.length() > 1) {
                expected.append(',');
            }
            expected.append(JsonWriter.canonical(new JsonString(k))).append(':').append(JsonWriter.canonical(o.get(k)));
        }
        assertThat(JsonWriter.canonical(o)).isEqualTo(expected.append('}').toString());
    }

    @Provide
    Arbitrary<List<String>> keyLists() {
        return JsonArbitraries.text(false).list().ofMinSize(0).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> astral() {
        return Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
    }

    @Provide
    Arbitrary<String> highBmp() {
        return Arbitraries.chars().range('\ue000', '\uffff').map(String::valueOf);
    }

    /** U+E000..U+FFFF sorts before U+10000.. by code point, after it by UTF-16 unit; the writers follow code points. */
    @Property(tries = 300)
    void keysSortByCodePointNotUtf16(@ForAll("astral") String astral, @ForAll("highBmp") String bmp,
            @ForAll("prefix") String prefix, @ForAll boolean astralFirst) {
        String a = prefix + astral;
        String b = prefix + bmp;
        assertThat(a.compareTo(b)).as("UTF-16 order").isNegative();
        assertThat(CodePointOrder.INSTANCE.compare(a, b)).as("code point order").isPositive();
        JsonObject o = astralFirst ? Json.obj(a, Json.of(1), b, Json.of(2)) : Json.obj(b, Json.of(2), a, Json.of(1));
        assertThat(JsonWriter.canonical(o)).isEqualTo("{\"" + b + "\":2,\"" + a + "\":1}");
        assertThat(JsonWriter.pythonStorage(o)).isEqualTo("{\"" + b + "\": 2, \"" + a + "\": 1}");
        assertThat(JsonWriter.ascii(o)).startsWith("{\"" + asciiEscape(prefix) + "\\u" + HexFormat.of().toHexDigits(bmp.charAt(0)) + "\"");
    }

    @Provide
    Arbitrary<String> prefix() {
        // characters the writers never escape, so the expected text can be built by concatenation
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('\u00c0', '\u00ff').withCharRange('\u4e00', '\u4e10')
                .ofMaxLength(3);
    }

    /**
     * Any tree either hashes or fails with the specification's error: a float is DG_ERR_SCHEMA_VIOLATION naming
     * the first float in member order; otherwise an unpaired surrogate or nesting beyond the parser's limit is
     * DG_ERR_INVALID_ARGUMENT. Nothing else is ever thrown.
     */
    @Property(tries = 400)
    void hashesOrFailsWithTheSpecifiedCode(@ForAll("anything") Json tree) {
        Throwable thrown = catchThrowable(() -> Hashing.payloadHash(tree));
        int depth = depth(tree);
        String floatPath = firstFloatPath(tree, "$");
        String kind = depth > JsonParser.MAX_DEPTH ? "too deep" : floatPath != null
                ? (hasLoneSurrogate(tree) ? "float and lone surrogate" : "float")
                : hasLoneSurrogate(tree) ? "lone surrogate" : depth > 100 ? "deep, hashable" : "hashable";
        Statistics.label("kind").collect(kind);
        Statistics.label("kind").coverage(c -> {
            for (String k : List.of("too deep", "float", "float and lone surrogate", "lone surrogate", "deep, hashable", "hashable")) {
                c.check(k).percentage(p -> p >= 2.0);
            }
        });
        if (depth > JsonParser.MAX_DEPTH) {
            assertThat(thrown).isInstanceOf(DgException.class);
            assertThat(((DgException) thrown).code()).isIn(ErrorCode.DG_ERR_SCHEMA_VIOLATION, ErrorCode.DG_ERR_INVALID_ARGUMENT);
        } else if (floatPath != null) {
            assertThat(thrown).isInstanceOf(FloatFoundException.class);
            FloatFoundException f = (FloatFoundException) thrown;
            assertThat(f.code()).isEqualTo(ErrorCode.DG_ERR_SCHEMA_VIOLATION);
            assertThat(f.path()).isEqualTo(floatPath);
            assertThat(f.message()).isEqualTo("Float found at '" + floatPath + "': " + f.floatRepr()
                    + ". Use string representation for decimals.");
        } else if (hasLoneSurrogate(tree)) {
            assertThat(thrown).isInstanceOf(DgException.class);
            assertThat(((DgException) thrown).code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
            assertThat(((DgException) thrown).message()).startsWith("Payload is not JSON-serializable: unpaired UTF-16 surrogate at '$");
        } else {
            assertThat(thrown).isNull();
        }
    }

    @Property(tries = 300)
    void asciiFormIsPureAsciiAndParsesBack(@ForAll("floatFree") Json tree) {
        String ascii = JsonWriter.ascii(tree);
        assertThat(ascii.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
        assertThat(JsonParser.parse(ascii)).isEqualTo(tree);
        String inOrder = JsonWriter.asciiInOrder(tree);
        assertThat(inOrder.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
        assertThat(JsonParser.parse(inOrder)).isEqualTo(tree);
    }

    @Property(tries = 200)
    void everyWriterParsesBackToTheSameTree(@ForAll("floatFree") Json tree) {
        assertThat(JsonParser.parse(JsonWriter.pretty(tree))).isEqualTo(tree);
        assertThat(JsonParser.parse(JsonWriter.prettyRaw(tree))).isEqualTo(tree);
        assertThat(JsonParser.parse(JsonWriter.pythonStorage(tree))).isEqualTo(tree);
        assertThat(JsonParser.parse(JsonWriter.canonicalLenient(tree))).isEqualTo(tree);
    }

    // --- independent oracles --------------------------------------------------------------------------

    static Json shuffle(Json v, Random r) {
        if (v instanceof JsonObject o) {
            List<Map.Entry<String, Json>> members = new ArrayList<>(o.members().entrySet());
            Collections.shuffle(members, r);
            JsonObject.Builder b = JsonObject.builder();
            members.forEach(e -> b.put(e.getKey(), shuffle(e.getValue(), r)));
            return b.build();
        }
        if (v instanceof JsonArray a) {
            return JsonArray.of(a.items().stream().map(x -> shuffle(x, r)).toList());
        }
        return v;
    }

    static int depth(Json v) {
        int max = 0;
        if (v instanceof JsonObject o) {
            for (Json m : o.members().values()) {
                max = Math.max(max, depth(m));
            }
            return max + 1;
        }
        if (v instanceof JsonArray a) {
            for (Json m : a) {
                max = Math.max(max, depth(m));
            }
            return max + 1;
        }
        return 0;
    }

    static String firstFloatPath(Json v, String path) {
        if (v instanceof JsonFloat) {
            return path;
        }
        if (v instanceof JsonObject o) {
            for (var e : o.members().entrySet()) {
                String p = firstFloatPath(e.getValue(), path + "." + e.getKey());
                if (p != null) {
                    return p;
                }
            }
        }
        if (v instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                String p = firstFloatPath(a.get(i), path + "[" + i + "]");
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** A string survives a UTF-8 round trip exactly when it has no unpaired surrogate. (Loops, not streams: trees are deep.) */
    static boolean hasLoneSurrogate(Json v) {
        if (v instanceof JsonString s) {
            return hasLoneSurrogate(s.value());
        }
        if (v instanceof JsonObject o) {
            for (var e : o.members().entrySet()) {
                if (hasLoneSurrogate(e.getKey()) || hasLoneSurrogate(e.getValue())) {
                    return true;
                }
            }
        }
        if (v instanceof JsonArray a) {
            for (Json item : a) {
                if (hasLoneSurrogate(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasLoneSurrogate(String s) {
        return !new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    private static String asciiEscape(String s) {
        return JsonWriter.ascii(new JsonString(s)).replaceAll("^\"|\"$", "");
    }
}
