package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.SigningKeys;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg checkpoint <db> [--tenant T] --key <file>}: catches the projections up, then signs and stores a
 * checkpoint of the tenant's chain hash and projection digests at the projected log_seq. Prints it as JSON. When
 * this key already signed a checkpoint at that log_seq, that checkpoint is printed again (no new row).
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Sign and store a checkpoint (chain hash + projection digests) of a tenant.")
public final class CheckpointCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--key", required = true, description = "Private key file (from dg keys generate).")
    Path key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SigningKeys.Keys keys = SigningKeys.read(key);
            try (Database database = Database.open(DbArguments.location(db), StoreConfig.DEFAULTS)) {
                Checkpoint c = create(database, tenant, keys, Clock.systemUTC());
                out.print(JsonWriter.pretty(c.toJson()) + "\n");
                out.flush();
                return 0;
            }
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        }
    }

    /** Catch up, take the digests with the projection locks held, sign the statement at the projected log_seq. */
    static Checkpoint create(Database database, String tenant, SigningKeys.Keys keys, Clock clock) {
        return org.decisiongraph.projection.CheckpointSigner.create(database, tenant, keys, clock);
    }
}
