package org.decisiongraph.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonWriter;

/**
 * The cases of {@link CanonicalHashBenchmark} timed by <b>thread CPU time</b> as well as wall time. On a shared
 * machine (other processes competing for the cores) JMH's wall-clock ns/op include time the benchmark thread
 * spent descheduled; CPU ns/op is the cost on one core. Same warm-up (3 x 2 s) and measurement (5 x 2 s) as the
 * JMH run; prints the median round as a markdown table.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.decisiongraph.bench.CanonicalHashCpuTime
 * </pre>
 */
public final class CanonicalHashCpuTime {
    private static final long ROUND_NANOS = 2_000_000_000L;

    private CanonicalHashCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        List<Json> golden = CanonicalHashBenchmark.goldenPayloads();
        Json nested = CanonicalHashBenchmark.nestedPayload();
        byte[] nestedCanonical = JsonWriter.canonicalBytes(nested);
        long goldenBytes = golden.stream().mapToLong(p -> JsonWriter.canonicalBytes(p).length).sum();

        Map<String, LongSupplier> cases = new LinkedHashMap<>();
        cases.put("goldenPayloads40", () -> {
            long h = 0;
            for (Json p : golden) {
                h += Hashing.payloadHash(p).hashCode();
            }
            return h;
        });
        cases.put("nested10kb", () -> Hashing.payloadHash(nested).hashCode());
        cases.put("nested10kbCanonicalOnly", () -> JsonWriter.canonicalBytes(nested).length);
        cases.put("nested10kbSha256Only", () -> Hashing.sha256(nestedCanonical).hashCode());
        Map<String, Long> bytes = Map.of("goldenPayloads40", goldenBytes, "nested10kb", (long) nestedCanonical.length,
                "nested10kbCanonicalOnly", (long) nestedCanonical.length, "nested10kbSha256Only", (long) nestedCanonical.length);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        System.out.println("| Benchmark | bytes/op | CPU ns/op | MB/s per core (CPU) | wall ns/op |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (var c : cases.entrySet()) {
            List<double[]> rounds = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long ops = 0;
                while (System.nanoTime() - wall0 < ROUND_NANOS) {
                    for (int i = 0; i < 100; i++) {
                        sink += c.getValue().getAsLong();
                    }
                    ops += 100;
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / (double) ops;
                double wall = (System.nanoTime() - wall0) / (double) ops;
                if (round >= 3) { // rounds 0-2 are warm-up
                    rounds.add(new double[] {cpu, wall});
                }
            }
            double[] cpu = rounds.stream().mapToDouble(r -> r[0]).sorted().toArray();
            double[] wall = rounds.stream().mapToDouble(r -> r[1]).sorted().toArray();
            double cpuMedian = cpu[cpu.length / 2];
            long b = bytes.get(c.getKey());
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", c.getKey(), b, cpuMedian, b * 1000.0 / cpuMedian,
                    wall[wall.length / 2]);
            System.err.println(c.getKey() + " CPU ns/op per round: " + Arrays.toString(Arrays.stream(cpu).mapToLong(Math::round).toArray()));
        }
        System.err.println("(checksum " + sink + ")");
    }
}
