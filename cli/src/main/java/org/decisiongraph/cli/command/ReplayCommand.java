package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.projection.EventLogFeed;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg replay <db> [--tenant T]}: rebuilds the projections of the log in memory and prints their digests
 * exactly as the reference CLI does. Read-only; works on this project's databases and reference-layout files.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Rebuild the projections in memory and print their digests (read-only, byte-compatible).")
public final class ReplayCommand implements Callable<Integer> {
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
            EventLogFeed feed = new EventLogFeed(EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC()), tenant);
            InMemoryReadModelStore store = new InMemoryReadModelStore(feed.tenantId());
            new Projector(store, feed).rebuildAll(Projector.DEFAULT_BATCH_SIZE);
            ProjectionDigests d = Digests.compute(store);
            out.print("Projection digests after replay:\n"
                    + "  context_graph: " + d.contextGraph() + "\n"
                    + "  full_projection: " + d.fullProjection() + "\n"
                    + "  precedent_index: " + d.precedentIndex() + "\n"
                    + "  trace_summary: " + d.traceSummary() + "\n");
            out.flush();
            return 0;
        } catch (DgException e) {
            err.println("Error replaying projections: " + ReadOnlyDatabase.pythonStr(e));
            return 1;
        }
    }
}
