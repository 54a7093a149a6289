package org.decisiongraph.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg query <kind> <db> [options]}: read-only queries printed as JSON (2-space indent, sorted keys). Any
 * failure prints {@code {"error":{"code","message"}}} on stdout and exits 1. {@code dg query batch} runs one query
 * per line of a file and prints one compact line per query.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Read events and projections as JSON (read-only).",
        subcommands = {
                QueryCommand.Events.class,
                QueryCommand.TraceEvents.class,
                QueryCommand.TraceSummary.class,
                QueryCommand.Subgraph.class,
                QueryCommand.Edges.class,
                QueryCommand.Precedents.class,
                QueryCommand.Batch.class,
        })
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The {@code <db>} and {@code --tenant} of every kind. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
        String db;

        @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
        String tenant;
    }

    /** Opens the database read-only: null after printing the error object when it cannot be opened. */
    private static Database open(Target target, PrintWriter out, PrintWriter err, boolean compact) {
        StringWriter checks = new StringWriter();
        try {
            Database database = ReadOnlyDatabase.open(target.db, new PrintWriter(checks, true));
            err.print(checks);
            err.flush();
            if (database == null) {
                String text = checks.toString().strip();
                String last = text.substring(text.lastIndexOf('\n') + 1);
                print(out, QueryRunner.error(new DgException(org.decisiongraph.core.error.ErrorCode.DG_ERR_STORAGE,
                        last.replaceFirst("^Error: ", ""))), compact);
            }
            return database;
        } catch (DgException e) {
            print(out, QueryRunner.error(e), compact);
            return null;
        }
    }

    private static void print(PrintWriter out, JsonObject value, boolean compact) {
        out.print((compact ? JsonWriter.ascii(value) : JsonWriter.pretty(value)) + "\n");
        out.flush();
    }

    /** Runs one kind with its parameters against the target. */
    static int execute(CommandSpec spec, Target target, String kind, JsonObject params) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Database database = open(target, out, err, false)) {
            if (database == null) {
                return 1;
            }
            try {
                JsonObject result = new QueryRunner(Projections.open(database, target.tenant, Clock.systemUTC())).run(kind, params);
                print(out, result, false);
                return 0;
            } catch (DgException e) {
                print(out, QueryRunner.error(e), false);
                return 1;
            }
        }
    }

    /** A comma-separated option as a JSON list; {@code ''} is the empty list. */
    static Json list(String value) {
        if (value == null) {
            return null;
        }
        List<String> items = value.isEmpty() ? List.of() : Arrays.asList(value.split(",", -1));
        return Json.strings(items);
    }

    /** Builds the params object, skipping nulls (a missing param takes its default). */
    static final class ParamsBuilder {
        private final JsonObject.Builder b = JsonObject.builder();

        ParamsBuilder put(String key, Object value) {
            if (value instanceof String s) {
                b.put(key, s);
            } else if (value instanceof Long n) {
                b.put(key, n);
            } else if (value instanceof Integer n) {
                b.put(key, n.longValue());
            } else if (value instanceof Json j) {
                b.put(key, j);
            }
            return this;
        }

        JsonObject build() {
            return b.build();
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "Events of the log in log_seq order.")
    static final class Events implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Option(names = "--since-log-seq") Long since;
        @Option(names = "--until-log-seq") Long until;
        @Option(names = "--event-type") String eventType;
        @Option(names = "--limit") Long limit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "events", new ParamsBuilder().put("since_log_seq", since).put("until_log_seq", until)
                    .put("event_type", eventType).put("limit", limit).build());
        }
    }

    @Command(name = "trace-events", mixinStandardHelpOptions = true, description = "Events of one trace in trace_seq order.")
    static final class TraceEvents implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Parameters(index = "1", paramLabel = "<trace_id>") String traceId;
        @Option(names = "--since-trace-seq") Long since;
        @Option(names = "--limit") Long limit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "trace-events", new ParamsBuilder().put("trace_id", traceId)
                    .put("since_trace_seq", since).put("limit", limit).build());
        }
    }

    @Command(name = "trace-summary", mixinStandardHelpOptions = true, description = "The summary of one trace.")
    static final class TraceSummary implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Parameters(index = "1", paramLabel = "<trace_id>") String traceId;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "trace-summary", new ParamsBuilder().put("trace_id", traceId).build());
        }
    }

    @Command(name = "subgraph", mixinStandardHelpOptions = true, description = "The context subgraph around a node.")
    static final class Subgraph implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Option(names = "--node-type") String nodeType;
        @Option(names = "--node-id") String nodeId;
        @Option(names = "--max-depth") Long maxDepth;
        @Option(names = "--max-nodes") Long maxNodes;
        @Option(names = "--max-edges") Long maxEdges;
        @Option(names = "--edge-types", description = "Comma-separated edge types.") String edgeTypes;
        @Option(names = "--node-types", description = "Comma-separated node types.") String nodeTypes;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "subgraph", new ParamsBuilder().put("node_type", nodeType).put("node_id", nodeId)
                    .put("max_depth", maxDepth).put("max_nodes", maxNodes).put("max_edges", maxEdges)
                    .put("edge_types", list(edgeTypes)).put("node_types", list(nodeTypes)).build());
        }
    }

    @Command(name = "edges", mixinStandardHelpOptions = true, description = "One page of a node's edges.")
    static final class Edges implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Option(names = "--node-type") String nodeType;
        @Option(names = "--node-id") String nodeId;
        @Option(names = "--direction", description = "both, incoming or outgoing") String direction;
        @Option(names = "--limit") Long limit;
        @Option(names = "--cursor-edge-key") String cursorEdgeKey;
        @Option(names = "--cursor-log-seq") Long cursorLogSeq;
        @Option(names = "--cursor-direction") String cursorDirection;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "edges", new ParamsBuilder().put("node_type", nodeType).put("node_id", nodeId)
                    .put("direction", direction).put("limit", limit).put("cursor_edge_key", cursorEdgeKey)
                    .put("cursor_log_seq", cursorLogSeq).put("cursor_direction", cursorDirection).build());
        }
    }

    @Command(name = "precedents", mixinStandardHelpOptions = true, description = "Finished traces, newest first.")
    static final class Precedents implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Option(names = "--policy-id") String policyId;
        @Option(names = "--policy-version") String policyVersion;
        @Option(names = "--entity-type") String entityType;
        @Option(names = "--entity-id") String entityId;
        @Option(names = "--outcome") String outcome;
        @Option(names = "--limit") Long limit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return execute(spec, target, "precedents", new ParamsBuilder().put("policy_id", policyId)
                    .put("policy_version", policyVersion).put("entity_type", entityType).put("entity_id", entityId)
                    .put("outcome", outcome).put("limit", limit).build());
        }
    }

    @Command(name = "batch", mixinStandardHelpOptions = true,
            description = "Run one query per line of <file> ({\"kind\":...,\"params\":{...}}); one compact JSON line each.")
    static final class Batch implements Callable<Integer> {
        @Mixin Target target = new Target();
        @Parameters(index = "1", paramLabel = "<file>") Path file;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Database database = open(target, out, err, true)) {
                if (database == null) {
                    return 1;
                }
                QueryRunner runner;
                try {
                    runner = new QueryRunner(Projections.open(database, target.tenant, Clock.systemUTC()));
                } catch (DgException e) {
                    print(out, QueryRunner.error(e), true);
                    return 1;
                }
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        print(out, one(runner, line), true);
                    }
                } catch (IOException e) {
                    err.println("Error: cannot read '" + file + "': " + e.getMessage());
                    return 1;
                }
                return 0;
            }
        }

        private static JsonObject one(QueryRunner runner, String line) {
            try {
                Json parsed = JsonParser.parse(line);
                if (!(parsed instanceof JsonObject q) || !(q.get("kind") instanceof JsonString kind)) {
                    throw DgErrors.invalidArgument("each line must be an object {\"kind\":...,\"params\":{...}}");
                }
                Json params = q.get("params");
                if (params != null && !(params instanceof JsonObject) && !(params instanceof org.decisiongraph.core.json.JsonNull)) {
                    throw DgErrors.invalidArgument("params must be an object");
                }
                return runner.run(kind.value(), params instanceof JsonObject o ? o : null);
            } catch (DgException e) {
                return QueryRunner.error(e);
            } catch (RuntimeException e) {
                return QueryRunner.error(DgErrors.invalidArgument("invalid query line: " + e.getMessage()));
            }
        }
    }

}
