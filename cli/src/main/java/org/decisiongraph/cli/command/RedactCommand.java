package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg redact [<db>] [--tenant T] --event ID --field PATH --reason TEXT}: replaces one payload value by the
 * redaction marker, recorded (docs/OPERATIONS.md, "Redaction"), then rebuilds the tenant's projections. Prints the
 * redaction record and the salt of its value commitment (shown once). Exit 0, or 1 with {@code Error: …}.
 */
@Command(name = "redact", mixinStandardHelpOptions = true,
        description = "Redact one payload value of an event (recorded and audited; the hash chain stays verifiable).")
public final class RedactCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<db>",
            description = "SQLite file or jdbc:postgresql:// URL (default: $DG_DATABASE_URL, else " + LifecycleSupport.DEFAULT_DB + ")")
    String db;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--event", required = true, description = "event_id of the event to redact.")
    String eventId;

    @Option(names = "--field", required = true, description = "Payload field: a top-level name, or names joined by '.'.")
    String field;

    @Option(names = "--reason", required = true, description = "Why (stored in the redaction record and the audit log).")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open(DbArguments.location(LifecycleSupport.database(db)), StoreConfig.DEFAULTS)) {
            Redactions.Result r = new Redactions(database, IdGenerator.RANDOM_UUID, new SecureRandom())
                    .redact(tenant, eventId, field, reason, LifecycleSupport.actor(), clock.instant());
            LifecycleSupport.rebuildProjections(database, tenant, clock);
            out.print(JsonWriter.pretty(r.toJson()) + "\n");
            out.flush();
            return 0;
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        }
    }
}
