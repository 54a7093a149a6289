package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.workload.TraceGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dg bench ...}: workload tools for benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark workload tools.",
        subcommands = BenchCommand.Generate.class)
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * {@code dg bench generate --events N --seed S [--out file]}: the first N events of the seeded realistic
     * workload ({@link TraceGenerator}) as JSON Lines (one envelope per line, sorted keys, ASCII), ready for
     * {@code dg import}. The same seed gives the same bytes.
     */
    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Write a seeded workload as JSON Lines.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--events", required = true, description = "Number of events.") long events;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = "--out", description = "Output file (default: stdout).") Path outFile;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (events < 0 || events > Integer.MAX_VALUE) {
                err.println("Error: --events must be between 0 and " + Integer.MAX_VALUE + ", got " + events);
                return 2;
            }
            // traces have 7-10 events: enough traces to produce N events, cut at exactly N
            int traces = (int) Math.min(Integer.MAX_VALUE, events / 7 + 1);
            TraceGenerator generator = new TraceGenerator(TraceGenerator.Config.realistic(seed, traces));
            try {
                if (outFile == null) {
                    write(generator, spec.commandLine().getOut());
                } else {
                    try (Writer w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
                        write(generator, w);
                    }
                }
            } catch (IOException e) {
                err.println("Error: cannot write '" + outFile + "': " + e.getMessage());
                return 1;
            }
            return 0;
        }

        private void write(TraceGenerator generator, Writer target) throws IOException {
            for (long i = 0; i < events && generator.hasNext(); i++) {
                EventEnvelope e = generator.next();
                target.write(JsonWriter.ascii(EnvelopeJson.toJson(e)));
                target.write('\n');
            }
            target.flush();
        }
    }
}
