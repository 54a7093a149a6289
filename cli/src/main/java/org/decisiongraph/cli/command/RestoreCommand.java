package org.decisiongraph.cli.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.backup.PostgresBackup;
import org.decisiongraph.store.backup.SqliteBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg restore FILE <db>}: restores a {@code dg backup} file into a new SQLite database file, or a Postgres
 * backup into an empty Postgres database (migrated to the backup's schema version, loaded, migrated to the newest,
 * checked against the manifest's row counts).
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a dg backup into a new SQLite file or an empty Postgres database.")
public final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Backup file (from dg backup)")
    Path file;

    @Parameters(index = "1", paramLabel = "<db>", description = "New SQLite database file (must not exist) or an empty jdbc:postgresql:// database")
    String db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            boolean pgBackup = PostgresBackup.isPostgresBackup(file);
            switch (DbArguments.location(db)) {
                case DbLocation.SqliteFile f -> {
                    if (pgBackup) {
                        spec.commandLine().getErr().println("Error: '" + file + "' is a Postgres backup; restore it into a jdbc:postgresql:// database");
                        return 1;
                    }
                    BackupCommand.print(spec.commandLine().getOut(), db, SqliteBackup.restore(file, f.path()));
                }
                case DbLocation.PostgresUrl u -> {
                    if (!pgBackup) {
                        spec.commandLine().getErr().println("Error: '" + file + "' is not a Postgres backup (dg backup of a jdbc:postgresql:// database)");
                        return 1;
                    }
                    BackupCommand.print(spec.commandLine().getOut(), u.toString(), PostgresBackup.restore(file, u).lastLogSeq());
                }
            }
            return 0;
        } catch (DgException e) {
            spec.commandLine().getErr().println("Error: " + e.message());
            return 1;
        }
    }
}
