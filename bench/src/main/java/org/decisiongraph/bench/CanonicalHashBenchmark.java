package org.decisiongraph.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Canonical JSON + payload hash, the per-event CPU cost of every append ({@code Hashing.payloadHash}: sort keys
 * by code point, escape, UTF-8 encode, SHA-256), on the 40 golden payloads of the fixture bundle and on a ~10 KB
 * nested payload. Two more benchmarks split the 10 KB case into its two halves (encoding only, SHA-256 only).
 *
 * <p>Throughput in MB/s = canonical bytes per operation / (ns per operation) x 1000; the setup prints the byte
 * counts. Run from the repository root (the fixtures are read from {@code fixtures/}, or from the folder in the
 * system property {@code dg.fixtures.dir}):
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests &amp;&amp; java -jar bench/target/benchmarks.jar CanonicalHash -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CanonicalHashBenchmark {
    private List<Json> golden;
    private Json nested;
    private byte[] nestedCanonical;

    @Setup
    public void setup() throws IOException {
        golden = goldenPayloads();
        nested = nestedPayload();
        nestedCanonical = JsonWriter.canonicalBytes(nested);
        long goldenBytes = golden.stream().mapToLong(p -> JsonWriter.canonicalBytes(p).length).sum();
        System.out.printf("%n[setup] golden payloads: %d payloads, %d canonical bytes in all; nested payload: %d canonical bytes%n",
                golden.size(), goldenBytes, nestedCanonical.length);
    }

    /** All 40 golden payloads per operation. */
    @Benchmark
    public void goldenPayloads40(Blackhole bh) {
        for (Json p : golden) {
            bh.consume(Hashing.payloadHash(p));
        }
    }

    @Benchmark
    public String nested10kb() {
        return Hashing.payloadHash(nested);
    }

    @Benchmark
    public byte[] nested10kbCanonicalOnly() {
        return JsonWriter.canonicalBytes(nested);
    }

    @Benchmark
    public String nested10kbSha256Only() {
        return Hashing.sha256(nestedCanonical);
    }

    static List<Json> goldenPayloads() throws IOException {
        JsonObject bundle = (JsonObject) JsonParser.parse(Files.readAllBytes(fixtures().resolve("reference_fixture_bundle.json")));
        List<Json> out = new ArrayList<>();
        for (Json s : bundle.getArray("scenarios")) {
            for (Json e : ((JsonObject) s).getArray("events")) {
                out.add(((JsonObject) e).get("payload"));
            }
        }
        if (out.size() != 40) {
            throw new IllegalStateException("expected the 40 golden events, found " + out.size());
        }
        return out;
    }

    /**
     * A realistic large payload: an InputObserved-style event with 60 facts, a nested context with evidence lists,
     * per-region maps and unicode text (accents, CJK, emoji), about 10 KB in canonical form. Built in member order
     * that is not sorted, as producers send it.
     */
    static Json nestedPayload() {
        List<Json> facts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            facts.add(Json.obj(
                    "key", Json.of("metric_" + (i * 7919 % 1000) + (i % 3 == 0 ? "_r\u00e9sum\u00e9" : "")),
                    "value", Json.obj("type", Json.of(i % 4 == 0 ? "decimal" : "string"),
                            "value", Json.of(i % 4 == 0 ? java.math.BigDecimal.valueOf(i * 12_345L + 7, 2).toPlainString() : "v-" + i + "-\u4e16\u754c")),
                    "as_of", i % 5 == 0 ? Json.ofNullable(null) : Json.of("2026-03-0" + (1 + i % 9) + "T10:00:00Z")));
        }
        List<Json> evidence = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            evidence.add(Json.obj(
                    "source", Json.obj("system", Json.of("crm"), "object_type", Json.of("ticket"),
                            "object_id", Json.of("T-" + (100_000 + i * 37)), "locator", Json.ofNullable(i % 2 == 0 ? null : "crm://t/" + i)),
                    "locator", Json.of("page " + i + " \u00a7 " + (i + 1)),
                    "excerpt_redacted", Json.of("Customer \u201cACME\u201d asked for a discount \ud83d\ude80 (#" + i + ")")));
        }
        JsonObject.Builder regions = JsonObject.builder();
        for (String r : List.of("emea", "apac", "amer", "latam", "nordics", "dach")) {
            regions.put(r, Json.obj("owner", Json.of("team-" + r), "quota", Json.of(r.length() * 125_000L),
                    "active", Json.of(r.length() % 2 == 0), "tags", Json.strings(List.of(r, "tier-1", "\u00fcber"))));
        }
        return Json.obj(
                "input_id", Json.of("input:bench:10kb"),
                "source", Json.obj("system", Json.of("salesforce"), "object_type", Json.of("opportunity"),
                        "object_id", Json.of("sf:opp:789"), "locator", Json.ofNullable(null)),
                "facts", JsonArray.of(facts),
                "context", Json.obj(
                        "regions", regions.build(),
                        "evidence", JsonArray.of(evidence),
                        "notes", Json.of("Renewal at 18 % \u2014 see \u201cexception policy\u201d; \u6b63\u5e38. \u00c9t\u00e9 \ud83c\udf0d"),
                        "nested", Json.obj("a", Json.obj("b", Json.obj("c", Json.obj("d", Json.array(List.of(Json.of(1), Json.of(2))))))),
                        "big", Json.of(new java.math.BigInteger("18446744073709551616"))));
    }

    static Path fixtures() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fixtures").resolve("reference_fixture_bundle.json"))) {
                return p.resolve("fixtures");
            }
        }
        throw new UncheckedIOException(new IOException("fixtures/reference_fixture_bundle.json not found above "
                + Paths.get("").toAbsolutePath() + "; run from the repository root or set -Ddg.fixtures.dir"));
    }
}
