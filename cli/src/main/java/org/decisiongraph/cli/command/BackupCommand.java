package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.backup.SqliteBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg backup <db> --out FILE}: an online, consistent copy of a SQLite database ({@code VACUUM INTO}); prints
 * each tenant's last log_seq in the copy. Postgres databases are backed up with the server's own tools.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Online, consistent backup of a SQLite database file (VACUUM INTO).")
public final class BackupCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file")
    String db;

    @Option(names = "--out", required = true, description = "Backup file to create (never overwritten).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!(DbArguments.location(db) instanceof DbLocation.SqliteFile f)) {
                err.println("Error: dg backup supports SQLite files; back up Postgres with pg_dump (docs/OPERATIONS.md)");
                return 1;
            }
            print(spec.commandLine().getOut(), out.toString(), SqliteBackup.backup(f.path(), out));
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
