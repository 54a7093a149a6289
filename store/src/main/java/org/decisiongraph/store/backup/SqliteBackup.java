package org.decisiongraph.store.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.migrate.Layout;

/**
 * Online, consistent backup of a SQLite database file with {@code VACUUM INTO} (a snapshot taken inside one read
 * transaction, so appends running at the same time are either wholly in it or not at all), and its restore into
 * a new file. Both return each tenant's last {@code log_seq} in the copy.
 */
public final class SqliteBackup {
    private SqliteBackup() {
    }

    public static Map<String, Long> backup(Path db, Path out) {
        Path src = db.toAbsolutePath();
        Path dst = out.toAbsolutePath();
        if (!Files.isRegularFile(src)) {
            throw DgErrors.invalidArgument("Database file '" + db + "' not found");
        }
        if (Files.exists(dst)) {
            throw DgErrors.invalidArgument("'" + out + "' already exists; a backup never overwrites a file");
        }
        try (Database probe = Database.sqliteReadOnly(src)) {
            if (probe.layout() != Layout.DECISIONGRAPH) {
                throw DgErrors.invalidArgument("'" + db + "' is not a DecisionGraph database (layout " + probe.layout() + ")");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src)) {
            try (var st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
            }
            try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, dst.toString());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw DgErrors.storage("backup of '" + db + "' failed: " + e.getMessage(), e);
        }
        return heads(dst);
    }

    public static Map<String, Long> restore(Path backup, Path target) {
        Path src = backup.toAbsolutePath();
        Path dst = target.toAbsolutePath();
        if (!Files.isRegularFile(src)) {
            throw DgErrors.invalidArgument("Backup file '" + backup + "' not found");
        }
        if (Files.exists(dst)) {
            throw DgErrors.invalidArgument("'" + target + "' already exists; restore into a new file");
        }
        try (Database probe = Database.sqliteReadOnly(src)) {
            if (probe.layout() != Layout.DECISIONGRAPH) {
                throw DgErrors.invalidArgument("'" + backup + "' is not a DecisionGraph backup (layout " + probe.layout() + ")");
            }
        }
        try {
            if (dst.getParent() != null) {
                Files.createDirectories(dst.getParent());
            }
            Files.copy(src, dst);
        } catch (IOException e) {
            throw DgErrors.storage("restore into '" + target + "' failed: " + e.getMessage(), e);
        }
        // open writable once: migrates a backup taken by an older build and back-fills its chain
        try (Database db = Database.sqlite(dst)) {
            return heads(dst);
        }
    }

    /** Each tenant's last log_seq in a database file. */
    public static Map<String, Long> heads(Path file) {
        Map<String, Long> out = new TreeMap<>(CodePointOrder.INSTANCE);
        try (Database db = Database.sqliteReadOnly(file)) {
            db.tx().read(h -> {
                PreparedStatement ps = h.prepare("SELECT tenant_id, MAX(log_seq) FROM dg_event_log GROUP BY tenant_id");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return null;
            });
        }
        return out;
    }
}
