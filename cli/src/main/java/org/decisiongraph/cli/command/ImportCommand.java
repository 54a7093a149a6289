package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.AppendOutcome;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg import <db> <file> [--tenant T] [--fail-fast] [--quiet]}: appends the events of a file through
 * the full append pipeline, in file order, in batches of {@value #CHUNK}. Prints one compact JSON line per
 * input event ({@code {"index":0,"outcome":"appended","log_seq":1,"error_code":null,"message":null}}).
 * Exit 0 when the file was processed (rejections included), 1 when the file or the database could not be
 * read or written, 3 with {@code --fail-fast} at the first rejection. Afterwards every projection of the tenant is
 * caught up. A file is read on its own thread
 * while the previous batch is appended.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Append the events of a file (JSON Lines, events.json, fixture bundle or SQLite file).")
public final class ImportCommand implements Callable<Integer> {
    static final int CHUNK = 5000;

    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file (created if missing) or jdbc:postgresql:// URL")
    String db;

    @Parameters(index = "1", paramLabel = "<file>")
    Path file;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--fail-fast", description = "Stop at the first rejected event (exit 3).")
    boolean failFast;

    @Option(names = "--quiet", description = "Print only a summary line on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private record Chunk(List<ImportFileReader.Item> items, Exception failure) {
    }

    private static final Chunk END = new Chunk(List.of(), null);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String t;
        try {
            t = EventLog.normalizeTenant(tenant);
        } catch (DgException e) {
            throw new ParameterException(spec.commandLine(), "--tenant: " + e.message());
        }
        ImportFileReader reader;
        try {
            reader = ImportFileReader.open(file);
        } catch (IOException | UncheckedIOException | DgException e) {
            err.println("Error: cannot read '" + file + "': " + e.getMessage());
            return 1;
        }
        try (reader; Database database = Database.open(DbArguments.location(db), StoreConfig.DEFAULTS)) {
            EventLog log = EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC());
            int code = run(log, t, reader, out, err);
            if (code != 1) {
                // then bring every projection up to date (and store the digest checkpoints)
                org.decisiongraph.projection.Projections.open(database, t, Clock.systemUTC()).catchUp();
            }
            return code;
        } catch (DgException e) {
            err.println("Error: " + e);
            return 1;
        }
    }

    private int run(EventLog log, String t, ImportFileReader reader, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(4);
        Thread producer = Thread.ofPlatform().daemon().name("dg-import-reader").start(() -> produce(reader, queue));
        boolean progress = stderrIsTerminal();
        long appended = 0;
        long reused = 0;
        long rejected = 0;
        try {
            while (true) {
                Chunk chunk = queue.take();
                if (chunk.failure() != null) {
                    err.println("Error: cannot read '" + file + "': " + chunk.failure().getMessage());
                    return 1;
                }
                if (chunk == END) {
                    break;
                }
                List<ImportFileReader.Item> items = chunk.items();
                if (failFast) {
                    // never append past an unreadable event
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i).error() != null) {
                            items = items.subList(0, i + 1);
                            break;
                        }
                    }
                }
                List<EventEnvelope> envelopes = new ArrayList<>(items.size());
                for (ImportFileReader.Item item : items) {
                    if (item.envelope() != null) {
                        envelopes.add(item.envelope());
                    }
                }
                List<AppendOutcome> outcomes = log.appendBatch(t, envelopes, failFast);
                StringBuilder lines = new StringBuilder(items.size() * 80);
                int next = 0;
                for (ImportFileReader.Item item : items) {
                    AppendOutcome outcome;
                    if (item.error() != null) {
                        outcome = new AppendOutcome.Rejected(item.error());
                    } else if (next < outcomes.size()) {
                        outcome = outcomes.get(next++);
                    } else {
                        break; // the batch stopped at a rejection (--fail-fast)
                    }
                    switch (outcome) {
                        case AppendOutcome.Appended a -> appended++;
                        case AppendOutcome.Reused r -> reused++;
                        case AppendOutcome.Rejected r -> rejected++;
                    }
                    if (!quiet) {
                        lines.append(line(item.index(), outcome)).append('\n');
                    }
                    if (failFast && outcome instanceof AppendOutcome.Rejected) {
                        out.print(lines);
                        out.flush();
                        summary(err, appended, reused, rejected, progress);
                        return 3;
                    }
                }
                out.print(lines);
                if (progress) {
                    err.print("\rimport: " + (appended + reused + rejected) + " events");
                    err.flush();
                }
            }
            out.flush();
            summary(err, appended, reused, rejected, progress);
            return 0;
        } finally {
            producer.interrupt();
        }
    }

    private static void produce(ImportFileReader reader, BlockingQueue<Chunk> queue) {
        try {
            List<ImportFileReader.Item> items = new ArrayList<>(CHUNK);
            while (reader.hasNext()) {
                items.add(reader.next());
                if (items.size() == CHUNK) {
                    queue.put(new Chunk(items, null));
                    items = new ArrayList<>(CHUNK);
                }
            }
            if (!items.isEmpty()) {
                queue.put(new Chunk(items, null));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                queue.put(new Chunk(List.of(), e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code {"index":0,"outcome":"appended","log_seq":1,"error_code":null,"message":null}} in this key order. */
    static String line(int index, AppendOutcome outcome) {
        Json logSeq = outcome.eventOrNull() == null ? JsonNull.INSTANCE : Json.of(outcome.eventOrNull().logSeq());
        DgException error = outcome instanceof AppendOutcome.Rejected r ? r.error() : null;
        return JsonWriter.asciiInOrder(JsonObject.builder()
                .put("index", index)
                .put("outcome", outcome.outcome())
                .put("log_seq", logSeq)
                .put("error_code", error == null ? null : error.code().name())
                .put("message", error == null ? null : error.message())
                .build());
    }

    private static void summary(PrintWriter err, long appended, long reused, long rejected, boolean progress) {
        if (progress) {
            err.println();
        }
        err.println("import: " + (appended + reused + rejected) + " events: " + appended + " appended, "
                + reused + " reused, " + rejected + " rejected");
        err.flush();
    }

    /** Whether this process's stderr is a terminal (Linux: fd 2 is a tty device). */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
