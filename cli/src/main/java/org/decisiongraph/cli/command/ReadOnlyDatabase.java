package org.decisiongraph.cli.command;

import java.io.PrintWriter;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.migrate.Layout;

/** Opening {@code <db>} for a read-only command as the reference CLI does, and its error texts. */
final class ReadOnlyDatabase {
    private ReadOnlyDatabase() {
    }

    /**
     * Runs the reference's path checks (SQLite files only) and opens the database read-only; null when a path
     * check failed (its message is already on {@code err}). A database without an event log fails with
     * {@code no such table: dg_event_log}, as the reference's first query would.
     */
    static Database open(String db, PrintWriter err) {
        DbLocation location = DbArguments.location(db);
        if (location instanceof DbLocation.SqliteFile && DbArguments.checkPath(db, err) != null) {
            return null;
        }
        Database database = Database.openReadOnly(location, StoreConfig.DEFAULTS);
        if (database.layout() == Layout.EMPTY) {
            database.close();
            throw DgErrors.storage("no such table: dg_event_log", null);
        }
        return database;
    }

    /** Python prints a driver error's own text and a DecisionGraphError as {@code CODE: message}. */
    static String pythonStr(DgException e) {
        String prefix = "Database error: ";
        if (e.code() == ErrorCode.DG_ERR_STORAGE && e.message().startsWith(prefix)) {
            return e.message().substring(prefix.length());
        }
        return e.toString();
    }
}
