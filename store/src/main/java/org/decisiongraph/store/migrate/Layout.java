package org.decisiongraph.store.migrate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** What a database holds, decided by the shape of {@code dg_event_log}. */
public enum Layout {
    /** No {@code dg_event_log} table: a new (or foreign) database. */
    EMPTY,
    /** This project's schema: {@code dg_event_log} with a {@code tenant_id} column (Flyway-managed). */
    DECISIONGRAPH,
    /**
     * Written by the Python reference: {@code dg_event_log} without {@code tenant_id} (plus
     * {@code schema_migrations}, {@code dg_projection_meta}, ...). Read-only; its events are tenant {@code default}.
     */
    REFERENCE;

    /** Inspects the current schema of {@code c} without writing. */
    public static Layout detect(Connection c) throws SQLException {
        Set<String> columns = new HashSet<>();
        DatabaseMetaData md = c.getMetaData();
        String schema = md.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("sqlite") ? null : c.getSchema();
        try (ResultSet rs = md.getColumns(null, schema, "dg_event_log", null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        if (columns.isEmpty()) {
            return EMPTY;
        }
        return columns.contains("tenant_id") ? DECISIONGRAPH : REFERENCE;
    }
}
