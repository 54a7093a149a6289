package org.decisiongraph.projection.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BiConsumer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The streamed digest form of every row type is byte for byte {@code JsonWriter.ascii} of the row's JSON object
 * (decision P21), for arbitrary text: control characters, quotes, backslashes, DEL, BMP and astral characters,
 * lone surrogates, nulls, negative and large numbers.
 */
class RowDigestFormTest {
    private static <R> String streamed(BiConsumer<DigestSink, R> form, R row) {
        DigestSink sink = new DigestSink(true);
        form.accept(sink, row);
        sink.digest();
        return sink.text();
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(40),
                Arbitraries.strings().withChars('"', '\\', '\n', '\r', '\t', '\b', '\f', '\u007f', '\u2028', 'a',
                        '\uD83D', '\uDE00', '\uE000', '/').ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> nullableText() {
        return text().injectNull(0.2);
    }

    @Provide
    Arbitrary<Long> number() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-20, 1_000_000),
                Arbitraries.of(0L, Long.MIN_VALUE, Long.MAX_VALUE, 9L, 10L, 99L, 100L));
    }

    @Property(tries = 300)
    void nodes(@ForAll("text") String id, @ForAll("text") String type, @ForAll("text") String trace,
               @ForAll("number") long seq, @ForAll("text") String at) {
        NodeRow row = new NodeRow(id, type, trace, seq, at);
        assertThat(streamed(RowDigestForm::node, row)).isEqualTo(JsonWriter.ascii(RowJson.node(row)));
    }

    @Property(tries = 300)
    void edges(@ForAll("text") String id, @ForAll("text") String type, @ForAll("text") String from,
               @ForAll("text") String to, @ForAll("text") String trace, @ForAll("number") long seq,
               @ForAll("text") String at) {
        EdgeRow row = new EdgeRow(id, type, from, to, trace, seq, at);
        assertThat(streamed(RowDigestForm::edge, row)).isEqualTo(JsonWriter.ascii(RowJson.edge(row)));
    }

    @Property(tries = 300)
    void traceSummaries(@ForAll("text") String trace, @ForAll("text") String workflow, @ForAll("text") String title,
                        @ForAll("nullableText") String type, @ForAll("nullableText") String system,
                        @ForAll("nullableText") String id, @ForAll("nullableText") String outcome,
                        @ForAll("text") String started, @ForAll("nullableText") String finished,
                        @ForAll("number") long count, @ForAll("number") long last) {
        TraceSummaryRow row = new TraceSummaryRow(trace, workflow, title, type, system, id, outcome, started, finished,
                count, last);
        JsonObject expected = RowJson.traceSummary(row);
        assertThat(streamed(RowDigestForm::traceSummary, row)).isEqualTo(JsonWriter.ascii(expected));
    }

    @Property(tries = 300)
    void precedents(@ForAll("text") String source, @ForAll("number") long seq, @ForAll("text") String trace,
                    @ForAll("text") String policy, @ForAll("text") String version,
                    @ForAll("nullableText") String exception, @ForAll("nullableText") String type,
                    @ForAll("nullableText") String system, @ForAll("nullableText") String id) {
        PrecedentRow row = new PrecedentRow(source, seq, trace, policy, version, exception, type, system, id);
        assertThat(streamed(RowDigestForm::precedent, row)).isEqualTo(JsonWriter.ascii(RowJson.precedent(row)));
    }

    @Property(tries = 20)
    void longTextCrossesTheBufferBoundary(@ForAll("text") String tail) {
        String id = "\u00e9".repeat(30_000) + tail;
        NodeRow row = new NodeRow(id, "entity", "t", 1, "2025-01-01T00:00:00Z");
        assertThat(streamed(RowDigestForm::node, row)).isEqualTo(JsonWriter.ascii(RowJson.node(row)));
    }
}
