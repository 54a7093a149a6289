package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.backup.PostgresBackup;
import org.decisiongraph.store.backup.SqliteBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg backup <db> --out FILE}: an online, consistent backup; prints each tenant's last log_seq in the copy.
 * SQLite: a copy of the file ({@code VACUUM INTO}). Postgres: a logical export of every table from one
 * repeatable-read snapshot ({@link PostgresBackup}, a zip of JSON Lines plus a manifest with row counts and SHA-256).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Online, consistent backup: a SQLite file copy (VACUUM INTO) or a Postgres logical export (one snapshot).")
public final class BackupCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    @Option(names = "--out", required = true, description = "Backup file to create (never overwritten).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            switch (DbArguments.location(db)) {
                case DbLocation.SqliteFile f -> print(spec.commandLine().getOut(), out.toString(), SqliteBackup.backup(f.path(), out));
                case DbLocation.PostgresUrl u -> {
                    PostgresBackup.Result r = PostgresBackup.backup(u, out, Clock.systemUTC(), ReleaseValidation.releaseVersion());
                    print(spec.commandLine().getOut(), out.toString(), r.lastLogSeq());
                }
            }
            return 0;
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        }
    }

    static void print(PrintWriter out, String file, Map<String, Long> heads) {
        JsonObject.Builder t = JsonObject.builder();
        heads.forEach(t::put);
        out.print(JsonWriter.pretty(JsonObject.builder().put("file", file).put("last_log_seq", t.build()).build()) + "\n");
        out.flush();
    }
}
