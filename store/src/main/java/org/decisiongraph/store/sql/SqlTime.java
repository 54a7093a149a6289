package org.decisiongraph.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.decisiongraph.core.event.Timestamps;

/**
 * Instants in timestamp columns: {@code timestamptz} on Postgres, RFC 3339 text (six fractional digits, {@code Z}) on
 * SQLite. One place for the two dialects, used by every store that keeps times in its own columns.
 */
public final class SqlTime {
    private SqlTime() {
    }

    /** Binds {@code t} (null: SQL NULL) as parameter {@code index}. */
    public static void set(PreparedStatement ps, int index, Instant t, boolean postgres) throws SQLException {
        if (t == null) {
            ps.setNull(index, postgres ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR);
        } else if (postgres) {
            ps.setObject(index, t.atOffset(ZoneOffset.UTC));
        } else {
            ps.setString(index, Timestamps.toRfc3339(t));
        }
    }

    /** The instant in {@code column}, or null. */
    public static Instant get(ResultSet rs, String column, boolean postgres) throws SQLException {
        if (postgres) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        String s = rs.getString(column);
        return s == null ? null : Timestamps.parse(s); // the text set() wrote; parsed without the java.time formatters
    }
}
