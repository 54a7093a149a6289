package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.validate.EventValidator;
import org.decisiongraph.core.validate.PiiGuard;
import org.junit.jupiter.api.Test;

/**
 * Trees as deep as the parser allows go through every writer and validator, on a thread with half the
 * default stack; trees built in code beyond that depth are refused with DG_ERR_INVALID_ARGUMENT, never a
 * StackOverflowError.
 */
class DeepTreesTest {
    private static final long SMALL_STACK = 512 * 1024;

    /** A TraceFinished payload holding {@code depth} nested containers in all (the payload object included). */
    static Json payload(int depth) {
        return Json.obj("outcome", Json.of("success"), "deep", nested(depth - 1));
    }

    /** {@code depth} nested containers, alternating arrays and objects, around a string leaf. */
    static Json nested(int depth) {
        Json v = Json.of("leaf");
        for (int i = 0; i < depth; i++) {
            v = i % 2 == 0 ? JsonArray.of(List.of(v)) : Json.obj("k", v);
        }
        return v;
    }

    private static List<Consumer<Json>> walks() {
        EventValidator validator = new EventValidator(EventTypeSet.REFERENCE);
        return List.of(
                JsonWriter::canonical, JsonWriter::canonicalBytes, JsonWriter::canonicalLenient, JsonWriter::ascii,
                JsonWriter::asciiInOrder, JsonWriter::pretty, JsonWriter::prettyRaw, JsonWriter::pythonStorage,
                Hashing::payloadHash, JsonWriter::findFloatPath, JsonWriter::findLoneSurrogatePath, JsonWriter::rejectFloats,
                v -> PiiGuard.check(v, "$"),
                v -> validator.validate(envelope(v)));
    }

    static EventEnvelope envelope(Json payload) {
        return new EventEnvelope("e-1", "t-1", 1, "TraceFinished", "2026-01-01T00:00:00Z", new Source("p", "s", null),
                new Actor("agent", "a"), "k", payload, null, null, 1, List.of());
    }

    @Test
    void everyWalkHandlesTheMaximumDepthOnASmallStack() throws Exception {
        Json atLimit = JsonParser.parse(JsonWriter.canonical(payload(JsonParser.MAX_DEPTH)));
        assertThat(JsonDepth.exceeds(atLimit, JsonParser.MAX_DEPTH - 1)).isTrue();
        List<Throwable> failures = onSmallStack(atLimit);
        assertThat(failures).hasSize(walks().size()).containsOnlyNulls();
        assertThat(JsonParser.parse(JsonWriter.pretty(atLimit))).isEqualTo(atLimit);
        assertThat(JsonWriter.canonical(atLimit)).startsWith("{\"deep\":[{\"k\":[{\"k\":").endsWith("}]}],\"outcome\":\"success\"}");
    }

    @Test
    void deeperTreesBuiltInCodeAreRefusedNotOverflowed() throws Exception {
        for (int depth : new int[] {JsonParser.MAX_DEPTH + 1, 100_000}) {
            List<Throwable> failures = onSmallStack(payload(depth));
            assertThat(failures).hasSize(walks().size()).allSatisfy(t -> {
                assertThat(t).isInstanceOf(DgException.class);
                assertThat(((DgException) t).code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
                assertThat(((DgException) t).message()).isEqualTo("Payload is not JSON-serializable: nesting deeper than 1000 levels");
            });
        }
    }

    @Test
    void theParserHandlesDeepTextOnASmallStack() throws Exception {
        int max = JsonParser.MAX_DEPTH;
        String ok = "{\"a\":".repeat(max / 2) + "[".repeat(max / 2) + "1" + "]".repeat(max / 2) + "}".repeat(max / 2);
        assertThat(runOnSmallStack(() -> JsonParser.parse(ok))).isNull();
        for (String text : List.of("[".repeat(max + 1), "[".repeat(max) + "x", "[".repeat(max - 1) + "{\"a\" 1}")) {
            Throwable t = runOnSmallStack(() -> JsonParser.parse(text));
            assertThat(t).isInstanceOf(DgException.class);
            assertThat(((DgException) t).message()).startsWith("Invalid JSON: ");
        }
    }

    @Test
    void depthIsMeasuredWithoutRecursion() {
        assertThat(JsonDepth.exceeds(Json.of(1), 0)).isFalse();
        assertThat(JsonDepth.exceeds(JsonArray.empty(), 0)).isTrue();
        assertThat(JsonDepth.exceeds(JsonArray.empty(), 1)).isFalse();
        assertThat(JsonDepth.exceeds(nested(1_000_000), 999_999)).isTrue();
        assertThat(JsonDepth.exceeds(nested(1_000_000), 1_000_000)).isFalse();
        Json wide = Json.obj("a", nested(3), "b", nested(7), "c", Json.of(1));
        assertThat(JsonDepth.exceeds(wide, 8)).isFalse();
        assertThat(JsonDepth.exceeds(wide, 7)).isTrue();
    }

    /** What {@code r} throws on a thread with a reduced stack (null when it returns); fails on anything but DgException. */
    private static Throwable runOnSmallStack(Runnable r) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                r.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        t.join();
        assertThat(thrown.get()).as("only DgException may be thrown").satisfiesAnyOf(
                e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(DgException.class));
        return thrown.get();
    }

    /** Runs every walk on a thread with a reduced stack; collects what each throws (null = returned normally). */
    private static List<Throwable> onSmallStack(Json tree) throws InterruptedException {
        List<Throwable> out = new ArrayList<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            for (Consumer<Json> walk : walks()) {
                try {
                    walk.accept(tree);
                    out.add(null);
                } catch (DgException e) {
                    out.add(e);
                } catch (Throwable e) {
                    crash.set(e);
                    return;
                }
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        t.join();
        assertThat(crash.get()).as("no walk may fail with anything but a DgException").isNull();
        return out;
    }
}
