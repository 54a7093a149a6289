package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg projection-status <db> [--include-digests] [--tenant T]}: the reference's health JSON of the stored
 * projection tables (projections spec 5.2), byte for byte. The projected cursor is the lowest of the three
 * projection cursors (a reference-layout file's single {@code dg_projection_meta} cursor). Read-only.
 */
@Command(name = "projection-status", mixinStandardHelpOptions = true,
        description = "Print the projection health as JSON (read-only, byte-compatible).")
public final class ProjectionStatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    @Option(names = "--include-digests", description = "Also compute the digests of the stored projection tables.")
    boolean includeDigests;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Database database = ReadOnlyDatabase.open(db, err)) {
            if (database == null) {
                return 1;
            }
            Projections projections = Projections.open(database, tenant, Clock.systemUTC());
            out.print(JsonWriter.pretty(projections.health(includeDigests).toJson()) + "\n");
            out.flush();
            return 0;
        } catch (DgException e) {
            err.println("Error getting projection status: " + ReadOnlyDatabase.pythonStr(e));
            return 1;
        }
    }
}
