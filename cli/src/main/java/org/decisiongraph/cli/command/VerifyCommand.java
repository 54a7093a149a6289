package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.Verification;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg verify <db> [--tenant T]}: the offline integrity check of {@link Verification}, printed as a JSON
 * report (2-space indent, sorted keys). Exit 0 when everything holds, 4 when anything does not, 1 when the
 * database cannot be read. Read-only.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the log and the stored projections offline; JSON report, exit 4 on any mismatch.")
public final class VerifyCommand implements Callable<Integer> {
    static final int MISMATCH = 4;

    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

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
            Verification.Report report = Projections.open(database, tenant, Clock.systemUTC()).verify();
            out.print(JsonWriter.pretty(report.toJson()) + "\n");
            out.flush();
            return report.clean() ? 0 : MISMATCH;
        } catch (DgException e) {
            err.println("Error verifying database: " + ReadOnlyDatabase.pythonStr(e));
            return 1;
        }
    }
}
