package org.decisiongraph.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection lent to one {@link SqlWork}. {@link #prepare} hands out prepared statements owned by the
 * handle: never close them. On the long-lived SQLite writer connection they are cached across
 * transactions (preparing a statement costs about as much as running it); on pooled connections they are
 * closed when the work ends.
 */
public final class Handle implements AutoCloseable {
    private final Connection connection;
    private final boolean cacheStatements;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int savepoints;

    Handle(Connection connection, boolean cacheStatements) {
        this.connection = connection;
        this.cacheStatements = cacheStatements;
    }

    public Connection connection() {
        return connection;
    }

    /** A prepared statement for {@code sql}, parameters cleared. Do not close it. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Runs {@code body} inside a savepoint; on failure rolls back to it and rethrows. */
    public <T> T savepoint(SqlWork<T> body) throws SQLException {
        String name = "dg_sp_" + (savepoints++);
        try (var st = connection.createStatement()) {
            st.execute("SAVEPOINT " + name);
        }
        try {
            T result = body.run(this);
            try (var st = connection.createStatement()) {
                st.execute("RELEASE SAVEPOINT " + name);
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try (var st = connection.createStatement()) {
                st.execute("ROLLBACK TO SAVEPOINT " + name);
                st.execute("RELEASE SAVEPOINT " + name);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    void endWork() {
        savepoints = 0;
        if (!cacheStatements) {
            closeStatements();
        }
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a connection that is going away anyway
            }
        }
        statements.clear();
    }

    @Override
    public void close() {
        closeStatements();
    }
}
