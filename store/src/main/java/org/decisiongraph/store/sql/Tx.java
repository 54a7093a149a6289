package org.decisiongraph.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;

/**
 * Runs units of work against one database, and is the only place that retries: SQLITE_BUSY/LOCKED and
 * Postgres serialization failures or deadlocks re-run the whole unit up to {@code maxAttempts} times
 * (earlier failures are attached to the last one as suppressed exceptions), everything else fails at once. A
 * {@link DgException} thrown by the work rolls the transaction back and passes through unchanged; any
 * other {@link SQLException} becomes {@code DG_ERR_STORAGE "Database error: <driver message>"}.
 *
 * <p>SQLite has one writer: writes take a JVM lock, then {@code BEGIN IMMEDIATE} on a dedicated writer
 * connection (which also excludes other processes; they wait up to the busy timeout). Postgres writes run
 * on a pooled connection in one READ COMMITTED transaction; the work takes its own advisory locks.
 *
 * <p>Thread-safe.
 */
public final class Tx implements AutoCloseable {
    /** Opens the SQLite writer connection. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final DataSource pool;
    private final ConnectionFactory sqliteWriter;
    private final int maxAttempts;
    private final boolean readOnly;
    private final ReentrantLock writeLock = new ReentrantLock();
    private Handle writer;

    private Tx(DataSource pool, ConnectionFactory sqliteWriter, int maxAttempts, boolean readOnly) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sqliteWriter = sqliteWriter;
        this.maxAttempts = maxAttempts;
        this.readOnly = readOnly;
    }

    public static Tx sqlite(DataSource readers, ConnectionFactory writer, int maxAttempts, boolean readOnly) {
        return new Tx(readers, Objects.requireNonNull(writer, "writer"), maxAttempts, readOnly);
    }

    public static Tx postgres(DataSource pool, int maxAttempts, boolean readOnly) {
        return new Tx(pool, null, maxAttempts, readOnly);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode (each statement sees committed data). */
    public <T> T read(SqlWork<T> work) {
        return withRetry(() -> {
            try (Connection c = pool.getConnection(); Handle h = new Handle(c, false)) {
                return work.run(h);
            }
        });
    }

    /** Runs {@code work} in one write transaction: all of it commits, or none of it. */
    public <T> T write(SqlWork<T> work) {
        if (readOnly) {
            throw DgErrors.storage("attempt to write a readonly database", null);
        }
        return sqliteWriter != null ? withRetry(() -> sqliteWrite(work)) : withRetry(() -> postgresWrite(work));
    }

    private <T> T sqliteWrite(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            if (writer == null || writer.connection().isClosed()) {
                writer = new Handle(sqliteWriter.open(), true);
            }
            Handle h = writer;
            try (Statement st = h.connection().createStatement()) {
                st.execute("BEGIN IMMEDIATE");
            }
            boolean committed = false;
            try {
                T result = work.run(h);
                try (Statement st = h.connection().createStatement()) {
                    st.execute("COMMIT");
                }
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(h.connection(), "ROLLBACK");
                }
                h.endWork();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T postgresWrite(SqlWork<T> work) throws SQLException {
        try (Connection c = pool.getConnection(); Handle h = new Handle(c, false)) {
            c.setAutoCommit(false);
            boolean committed = false;
            try {
                T result = work.run(h);
                c.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is broken; the pool will discard it
                    }
                }
                c.setAutoCommit(true);
            }
        }
    }

    private static void rollbackQuietly(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException ignored) {
            // no transaction was open (BEGIN failed) or the connection is gone
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException;
    }

    private <T> T withRetry(Attempt<T> attempt) {
        List<SQLException> earlier = new ArrayList<>();
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                if (SqlErrors.isRetryable(e) && n < maxAttempts) {
                    earlier.add(e);
                    backoff(n);
                    continue;
                }
                earlier.forEach(e::addSuppressed);
                throw DgErrors.storage(SqlErrors.driverMessage(e), e);
            }
        }
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(1L << attempt, 50L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (writer != null) {
                writer.close();
                try {
                    writer.connection().close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
                writer = null;
            }
        } finally {
            writeLock.unlock();
        }
    }
}
