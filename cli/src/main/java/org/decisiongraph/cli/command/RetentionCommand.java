package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.audit.Retention;
import org.decisiongraph.store.audit.SigningKeys;
import org.decisiongraph.store.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg retention set|run|show} (docs/OPERATIONS.md, "Retention"): a tenant's policy of N days, a run that
 * archives and removes the finished traces older than that (then rebuilds the tenant's projections), and the policy
 * with the recorded runs. JSON on stdout; exit 0, or 1 with {@code Error: …}.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Per-tenant retention: set a policy, run it (archive + remove old traces), show policy and runs.",
        subcommands = {RetentionCommand.Set.class, RetentionCommand.Run.class, RetentionCommand.Show.class})
public final class RetentionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    abstract static class Base implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<db>",
                description = "SQLite file or jdbc:postgresql:// URL (default: $DG_DATABASE_URL, else "
                        + LifecycleSupport.DEFAULT_DB + ")")
        String db;

        @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Spec
        CommandSpec spec;

        abstract JsonObject run(Database database);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Database database = Database.open(DbArguments.location(LifecycleSupport.database(db)), StoreConfig.DEFAULTS)) {
                out.print(JsonWriter.pretty(run(database)) + "\n");
                out.flush();
                return 0;
            } catch (DgException e) {
                err.println("Error: " + e.message());
                return 1;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Create or replace the tenant's policy.")
    static final class Set extends Base {
        @Option(names = "--days", required = true, description = "Keep traces finished within the last N days.")
        long days;

        @Option(names = "--archive-dir", required = true, description = "Where runs write their archive and manifest.")
        Path archiveDir;

        @Override
        JsonObject run(Database database) {
            return new Retention(database, IdGenerator.RANDOM_UUID).setPolicy(tenant, days,
                    archiveDir.toAbsolutePath().normalize().toString(), LifecycleSupport.actor(), Instant.now()).toJson();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Archive and remove the tenant's finished traces older than its policy, then rebuild projections.")
    static final class Run extends Base {
        @Option(names = "--key", description = "Private key file (dg keys generate) that signs the manifest.")
        Path key;

        @Option(names = "--now", description = "Run as of this RFC 3339 time (default: the current time; for drills).")
        String now;

        @Override
        JsonObject run(Database database) {
            SigningKeys.Keys keys = key == null ? null : SigningKeys.read(key);
            Instant at;
            if (now == null) {
                at = Instant.now();
            } else {
                try {
                    at = Timestamps.parse(now);
                } catch (RuntimeException e) {
                    throw DgErrors.invalidArgument("--now must be an RFC 3339 time, got '" + now + "'");
                }
            }
            Retention.Outcome outcome = new Retention(database, IdGenerator.RANDOM_UUID)
                    .run(tenant, keys, LifecycleSupport.actor(), at);
            if (outcome.run() != null) {
                LifecycleSupport.rebuildProjections(database, tenant, Clock.systemUTC());
            }
            return outcome.toJson();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The tenant's policy and recorded runs.")
    static final class Show extends Base {
        @Override
        JsonObject run(Database database) {
            Retention r = new Retention(database, IdGenerator.RANDOM_UUID);
            return JsonObject.builder()
                    .put("tenant_id", EventLog.normalizeTenant(tenant))
                    .put("policy", r.policy(tenant).<Json>map(Retention.Policy::toJson).orElse(JsonNull.INSTANCE))
                    .put("runs", JsonArray.of(r.runs(tenant).stream().<Json>map(Retention.Run::toJson).toList()))
                    .build();
        }
    }
}
