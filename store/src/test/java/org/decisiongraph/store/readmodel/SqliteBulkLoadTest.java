package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * The SQLite rebuild mode ({@link SqlReadModelStore#bulkLoad}): secondary indexes are absent during the load and
 * afterwards exactly as the migration created them; they stay when another tenant has rows; a missing index is
 * re-created when the store is opened; a failing load still restores them.
 */
class SqliteBulkLoadTest {
    private static final Set<ProjectionName> ALL = EnumSet.allOf(ProjectionName.class);

    private static List<String> indexes(Path file) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index'"
                     + " AND sql IS NOT NULL ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void fill(ReadModelStore store, String id) {
        store.write(ALL, w -> {
            w.insertNodeIfAbsent(new NodeRow("trace:" + id, "trace", id, 1, "c"));
            w.insertEdgeIfAbsent(new EdgeRow("e:" + id, "x", "trace:" + id, "trace:" + id, id, 1, "c"));
            w.startTraceSummary(new TraceSummaryRow(id, "w", "t", null, null, null, null, "s", null, 1, 1));
            w.insertPolicyEvalIfAbsent(new PolicyEvalRow("pe:" + id, id, "p", "1", 1, "c"));
        });
    }

    @Test
    void indexesAreDroppedDuringTheLoadAndRecreatedExactly() throws SQLException {
        Path file = TestDatabases.newSqlitePath();
        try (Database db = Database.sqlite(file)) {
            List<String> before = indexes(file);
            assertThat(before).anyMatch(s -> s.startsWith("idx_cg_edges_from_seq: "));
            SqlReadModelStore store = SqlReadModelStore.open(db, "a", SqliteReadModelStoreTest.CLOCK);
            List<String> during = store.bulkLoad(ALL, () -> {
                fill(store, "t1");
                try {
                    return indexes(file);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(during).noneMatch(s -> s.startsWith("idx_cg_edges_") || s.startsWith("idx_precedent_policy")
                    || s.startsWith("idx_trace_summary_last_seq") || s.startsWith("idx_policy_eval_seq"));
            assertThat(during).anyMatch(s -> s.startsWith("idx_precedent_trace: "));
            assertThat(indexes(file)).isEqualTo(before);
            assertThat(store.edge("e:t1")).isPresent();
            assertThat(store.edgesOf("trace:t1", EdgeDirection.OUTGOING, null, 10)).hasSize(1);
        }
    }

    @Test
    void anotherTenantsRowsKeepTheIndexesOfTheirTables() throws SQLException {
        Path file = TestDatabases.newSqlitePath();
        try (Database db = Database.sqlite(file)) {
            SqlReadModelStore b = SqlReadModelStore.open(db, "b", SqliteReadModelStoreTest.CLOCK);
            fill(b, "other");
            SqlReadModelStore a = SqlReadModelStore.open(db, "a", SqliteReadModelStoreTest.CLOCK);
            List<String> during = a.bulkLoad(ALL, () -> {
                try {
                    return indexes(file);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(during).anyMatch(s -> s.startsWith("idx_cg_edges_from: "));
            // clearing tenant a leaves tenant b's rows
            a.write(ALL, w -> ProjectionName.CANONICAL_ORDER.forEach(w::clear));
            assertThat(b.edge("e:other")).isPresent();
            assertThat(b.traceSummary("other")).isPresent();
        }
    }

    @Test
    void aFailedLoadRestoresTheIndexesAndOpeningRepairsMissingOnes() throws SQLException {
        Path file = TestDatabases.newSqlitePath();
        try (Database db = Database.sqlite(file)) {
            List<String> before = indexes(file);
            SqlReadModelStore store = SqlReadModelStore.open(db, "a", SqliteReadModelStoreTest.CLOCK);
            assertThatThrownBy(() -> store.bulkLoad(ALL, () -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(indexes(file)).isEqualTo(before);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("DROP INDEX idx_cg_edges_to_seq"); // as a crash mid-rebuild leaves it
            }
            assertThat(indexes(file)).isNotEqualTo(before);
            SqlReadModelStore.open(db, "a", SqliteReadModelStoreTest.CLOCK);
            assertThat(indexes(file)).isEqualTo(before);
        }
    }
}
