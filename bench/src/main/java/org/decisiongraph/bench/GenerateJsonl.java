package org.decisiongraph.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;

/**
 * Writes a JSON Lines file of realistic traces for {@code dg import}:
 * {@code java -cp bench/target/benchmarks.jar org.decisiongraph.bench.GenerateJsonl <out.jsonl> [events=1000000] [seed=42]}.
 */
public final class GenerateJsonl {
    private GenerateJsonl() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long events = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        TraceGenerator gen = new TraceGenerator(TraceGenerator.findBundle(), seed, 10_000);
        long written = 0;
        long bytes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            while (written < events) {
                for (JsonObject e : gen.nextTraceJson()) {
                    if (written == events) {
                        break;
                    }
                    String line = JsonWriter.ascii(e);
                    w.write(line);
                    w.write('\n');
                    bytes += line.length() + 1;
                    written++;
                }
            }
        }
        System.out.println("wrote " + written + " events, " + bytes / (1024 * 1024) + " MiB, to " + out);
    }
}
