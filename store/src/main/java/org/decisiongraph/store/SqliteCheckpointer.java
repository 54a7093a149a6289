package org.decisiongraph.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteDataSource;

/**
 * Copies the SQLite write-ahead log into the database file on a background thread (a PASSIVE checkpoint
 * every {@value #INTERVAL_MS} ms, which never blocks writers or readers), so that commits never pay for a
 * checkpoint's writes and fsyncs. The writer connection turns automatic checkpoints off. Committed data
 * is in the WAL either way; a checkpoint only moves it.
 */
final class SqliteCheckpointer implements AutoCloseable {
    static final long INTERVAL_MS = 100;

    private final SQLiteDataSource source;
    private final Thread thread;
    private volatile boolean running = true;

    SqliteCheckpointer(SQLiteDataSource source, String name) {
        this.source = source;
        this.thread = Thread.ofPlatform().daemon().name("dg-sqlite-checkpoint " + name).start(this::loop);
    }

    private void loop() {
        Connection c = null;
        while (running) {
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (c == null) {
                    c = source.getConnection();
                }
                checkpoint(c, "PASSIVE");
            } catch (SQLException e) {
                // busy or transient: try again next round with a fresh connection
                closeQuietly(c);
                c = null;
            }
        }
        closeQuietly(c);
    }

    private static void checkpoint(Connection c, String mode) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
