package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.migrate.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg migrate <db>}: runs the pending schema migrations explicitly (and the audit chain back-fill), then
 * prints the versions applied and the schema version. A schema newer than this build is refused (exit 1).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply pending schema migrations; prints the applied versions and the schema version.")
public final class MigrateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = Database.open(DbArguments.location(db), StoreConfig.DEFAULTS)) {
            Migrations.Result r = database.migration();
            out.print(JsonWriter.pretty(JsonObject.builder()
                    .put("applied", Json.strings(r.applied()))
                    .put("schema_version", r.schemaVersion())
                    .build()) + "\n");
            out.flush();
            return 0;
        } catch (DgException e) {
            spec.commandLine().getErr().println("Error: " + e.message());
            return 1;
        }
    }
}
