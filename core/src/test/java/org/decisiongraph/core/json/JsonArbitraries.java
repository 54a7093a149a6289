package org.decisiongraph.core.json;

import java.math.BigInteger;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators for JSON trees: unicode-heavy strings, big integers, float tokens, deep nesting. */
final class JsonArbitraries {
    private JsonArbitraries() {
    }

    /** Strings mixing ASCII, controls, DEL, non-ASCII BMP, U+2028/9, U+E000..U+FFFF, astral and (optionally) lone surrogates. */
    static Arbitrary<String> text(boolean loneSurrogates) {
        Arbitrary<String> ascii = Arbitraries.chars().range(' ', '~').map(String::valueOf);
        Arbitrary<String> control = Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf);
        Arbitrary<String> special = Arbitraries.of("\u007f", "\u2028", "\u2029", "\"", "\\", "/", "\u00e9", "e\u0301", "\u0130", "\u212a");
        Arbitrary<String> bmp = Arbitraries.chars().range('\u0080', '\ud7ff').map(String::valueOf);
        Arbitrary<String> highBmp = Arbitraries.chars().range('\ue000', '\uffff').map(String::valueOf);
        Arbitrary<String> astral = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
        Arbitrary<String> lone = Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(10, ascii), Tuple.of(2, control), Tuple.of(2, special), Tuple.of(3, bmp),
                Tuple.of(2, highBmp), Tuple.of(3, astral), Tuple.of(loneSurrogates ? 1 : 0, lone));
        return piece.list().ofMaxSize(10).map(l -> String.join("", l));
    }

    static Arbitrary<JsonInt> integers() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.longs().between(-1000, 1000).map(JsonInt::of)),
                Tuple.of(3, Arbitraries.longs().map(JsonInt::of)),
                Tuple.of(2, Arbitraries.bigIntegers()
                        .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)).map(JsonInt::new)));
    }

    /** Float tokens as a JSON text would carry them: Java and Python spellings, exponents, -0.0, NaN, Infinity. */
    static Arbitrary<JsonFloat> floats() {
        Arbitrary<String> fromDouble = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).map(d -> Double.toString(d));
        Arbitrary<String> small = Combinators.combine(Arbitraries.integers().between(-99999, 99999),
                Arbitraries.integers().between(0, 4)).as((m, s) -> java.math.BigDecimal.valueOf(m, s).toPlainString() + (s == 0 ? ".0" : ""));
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(-330, 310),
                Arbitraries.of("e", "E")).as((m, e, sym) -> m + sym + e);
        Arbitrary<String> special = Arbitraries.of("0.0", "-0.0", "NaN", "Infinity", "-Infinity", "1E2", "1e400");
        return Arbitraries.frequencyOf(Tuple.of(3, fromDouble), Tuple.of(3, small), Tuple.of(2, exponent), Tuple.of(1, special))
                .map(JsonFloat::new);
    }

    static Arbitrary<Json> scalars(boolean withFloats, boolean loneSurrogates) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, text(loneSurrogates).map(JsonString::new)),
                Tuple.of(3, integers()),
                Tuple.of(1, Arbitraries.of(JsonBool.TRUE, JsonBool.FALSE, JsonNull.INSTANCE)),
                Tuple.of(withFloats ? 1 : 0, floats()));
    }

    /** Trees up to {@code maxDepth} levels of containers. */
    static Arbitrary<Json> trees(int maxDepth, boolean withFloats, boolean loneSurrogates) {
        Arbitrary<String> keys = text(loneSurrogates);
        return Arbitraries.recursive(() -> scalars(withFloats, loneSurrogates),
                inner -> Arbitraries.frequencyOf(
                        Tuple.of(1, inner),
                        Tuple.of(2, inner.list().ofMaxSize(4).map(JsonArray::of)),
                        Tuple.of(3, Combinators.combine(keys, inner).as(Tuple::of).list().ofMaxSize(5).map(JsonArbitraries::object))),
                0, maxDepth);
    }

    static JsonObject object(List<Tuple.Tuple2<String, Json>> members) {
        JsonObject.Builder b = JsonObject.builder();
        members.forEach(m -> b.put(m.get1(), m.get2()));
        return b.build();
    }

    /** A small tree wrapped in {@code depth} single-member containers (objects and arrays mixed). */
    static Arbitrary<Json> deep(int minDepth, int maxDepth, boolean withFloats, boolean loneSurrogates) {
        return Combinators.combine(trees(2, withFloats, loneSurrogates), Arbitraries.integers().between(minDepth, maxDepth),
                Arbitraries.longs()).as((leaf, depth, seed) -> {
                    java.util.Random r = new java.util.Random(seed);
                    Json v = leaf;
                    for (int i = 0; i < depth; i++) {
                        v = r.nextBoolean() ? JsonArray.of(List.of(v)) : Json.obj("k" + r.nextInt(3), v);
                    }
                    return v;
                });
    }
}
