package org.decisiongraph.cli.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.backup.SqliteBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dg restore FILE <db>}: restores a {@code dg backup} file into a new SQLite database file. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a dg backup file into a new SQLite database file.")
public final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Backup file (from dg backup)")
    Path file;

    @Parameters(index = "1", paramLabel = "<db>", description = "New SQLite database file (must not exist)")
    String db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            if (!(DbArguments.location(db) instanceof DbLocation.SqliteFile f)) {
                spec.commandLine().getErr().println("Error: dg restore writes SQLite files; restore Postgres with pg_restore");
                return 1;
            }
            BackupCommand.print(spec.commandLine().getOut(), db, SqliteBackup.restore(file, f.path()));
            return 0;
        } catch (DgException e) {
            spec.commandLine().getErr().println("Error: " + e.message());
            return 1;
        }
    }
}
