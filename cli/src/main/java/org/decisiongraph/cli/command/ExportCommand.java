package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.SigningKeys;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.EvidenceExport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg export <db> --trace <id> | --from N --to M | --review <workflow_id> [--tenant T] [--checkpoint-key <file>]
 * --out FILE}: writes a self-contained evidence bundle (docs/OPERATIONS.md); a review bundle also carries the item's
 * audit export document as {@code review}. The newest stored checkpoint covering the events is used
 * (by the given key, if any); with {@code --checkpoint-key} and no such checkpoint, a new one is signed first.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write an evidence bundle (events, hashes, chain links, signed checkpoint) to a JSON file.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    static final class Selection {
        @Option(names = "--trace", description = "Export the events of one trace.")
        String trace;

        @Option(names = "--review", paramLabel = "<workflow_id>",
                description = "Export a review item: its source events plus its audit export document as 'review'.")
        String review;

        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, description = "First log_seq (inclusive).")
        long from;

        @Option(names = "--to", required = true, description = "Last log_seq (inclusive).")
        long to;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--checkpoint-key", description = "Private key: use its newest covering checkpoint, or sign one.")
    Path checkpointKey;

    @Option(names = "--out", required = true, description = "Bundle file to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SigningKeys.Keys keys = checkpointKey == null ? null : SigningKeys.read(checkpointKey);
            Database database = keys != null ? Database.open(DbArguments.location(db), StoreConfig.DEFAULTS)
                    : ReadOnlyDatabase.open(db, err);
            if (database == null) {
                return 1;
            }
            try (database) {
                JsonObject bundle = build(database, keys);
                Files.writeString(out, JsonWriter.pretty(bundle) + "\n", StandardCharsets.UTF_8);
                stdout.print(JsonWriter.pretty(JsonObject.builder()
                        .put("events", bundle.getArray("events").size())
                        .put("chain_links", bundle.getArray("chain_links").size())
                        .put("key_id", bundle.getObject("checkpoint").getString("key_id"))
                        .put("out", out.toString())
                        .build()) + "\n");
                stdout.flush();
                return 0;
            }
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        } catch (IOException e) {
            err.println("Error: cannot write '" + out + "': " + e.getMessage());
            return 1;
        }
    }

    private JsonObject build(Database database, SigningKeys.Keys keys) {
        String t = EventLog.normalizeTenant(tenant);
        EvidenceExport export = new EvidenceExport(database, Clock.systemUTC());
        EvidenceExport.Selection sel;
        if (selection.review != null) {
            sel = new EvidenceExport.Review(selection.review);
        } else if (selection.trace != null) {
            sel = new EvidenceExport.Trace(selection.trace);
        } else {
            if (selection.range.from < 1 || selection.range.to < selection.range.from) {
                throw DgErrors.invalidArgument("--from must be >= 1 and --to >= --from");
            }
            sel = new EvidenceExport.Range(selection.range.from, selection.range.to);
        }
        List<AuditChain.ChainedEvent> events = export.events(t, sel);
        if (events.isEmpty() && selection.review != null) {
            throw DgErrors.invalidArgument("Workflow not found: " + selection.review);
        }
        if (events.isEmpty()) {
            throw DgErrors.invalidArgument("no events of tenant '" + t + "' match the selection");
        }
        long last = EvidenceExport.lastLogSeq(events);
        Optional<Checkpoint> checkpoint = export.covering(t, events, keys == null ? null : keys.keyId());
        if (checkpoint.isEmpty() && keys != null) {
            checkpoint = Optional.of(CheckpointCommand.create(database, t, keys, Clock.systemUTC()));
        }
        if (checkpoint.isEmpty()) {
            throw DgErrors.invalidArgument("no checkpoint of tenant '" + t + "' covers log_seq=" + last
                    + "; run dg checkpoint first or pass --checkpoint-key");
        }
        return export.bundle(t, sel, events, checkpoint.get());
    }
}
