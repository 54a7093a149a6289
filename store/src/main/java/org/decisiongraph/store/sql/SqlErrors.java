package org.decisiongraph.store.sql;

import java.sql.SQLException;
import java.util.Locale;

import org.postgresql.util.PSQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Classifies driver errors: which are worth a retry, which backstop fired, and the driver's own message. */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** What a failed insert into {@code dg_event_log} ran into (core spec 5.4, in its checking order). */
    public enum InsertFailure { TRACE_FINISHED, IDEMPOTENCY, TRACE_SEQ, EVENT_ID, OTHER }

    /**
     * SQLITE_BUSY / SQLITE_LOCKED, Postgres serialization failure (40001) or deadlock (40P01): the
     * transaction may succeed when run again.
     */
    public static boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se) {
                SQLiteErrorCode code = se.getResultCode();
                int primary = code == null ? se.getErrorCode() & 0xff : code.code & 0xff;
                if (primary == 5 || primary == 6) {
                    return true;
                }
            } else if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Maps a failed insert by its lowercased driver message, in the order of core spec 5.4. Only the
     * primary message and the constraint name count (never details that quote the offending values, which
     * are caller data).
     */
    public static InsertFailure classifyInsert(SQLException e) {
        PSQLException pe = postgresError(e);
        String text = pe != null
                ? pe.getServerErrorMessage().getMessage() + " " + pe.getServerErrorMessage().getConstraint()
                : String.valueOf(e.getMessage());
        String m = text.toLowerCase(Locale.ROOT);
        if (m.contains("trace_finished")) {
            return InsertFailure.TRACE_FINISHED;
        }
        if (m.contains("idempotency")) {
            return InsertFailure.IDEMPOTENCY;
        }
        if (m.contains("trace_seq")) {
            return InsertFailure.TRACE_SEQ;
        }
        if (m.contains("event_id")) {
            return InsertFailure.EVENT_ID;
        }
        return InsertFailure.OTHER;
    }

    /** The Postgres server error behind {@code e} (batch failures carry it as the next exception), or null. */
    private static PSQLException postgresError(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof PSQLException pe && pe.getServerErrorMessage() != null
                    && pe.getServerErrorMessage().getMessage() != null) {
                return pe;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return null;
    }

    /**
     * The driver's message without wrapper text, like the reference's {@code str(e)}: SQLite's native
     * message ({@code "UNIQUE constraint failed: ..."}), Postgres' primary message.
     */
    public static String driverMessage(SQLException e) {
        PSQLException pe = postgresError(e);
        if (pe != null) {
            return pe.getServerErrorMessage().getMessage();
        }
        String m = String.valueOf(e.getMessage());
        if (e instanceof SQLiteException && m.startsWith("[SQLITE_") && m.endsWith(")")) {
            int open = m.indexOf(" (");
            if (open > 0) {
                return m.substring(open + 2, m.length() - 1);
            }
        }
        return m;
    }
}
