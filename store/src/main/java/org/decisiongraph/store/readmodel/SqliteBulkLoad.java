package org.decisiongraph.store.readmodel;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.Tx;

/**
 * The SQLite bulk-load mode of a projection rebuild ({@link ReadModelStore#bulkLoad}). A rebuild starts from empty
 * tables, so:
 * <ul>
 * <li>the secondary indexes of the tables in scope are dropped first and created once at the end, with the exact
 * DDL of the Flyway V2 migration (a sorted bulk build instead of one random B-tree insert per row and index).
 * Only indexes of tables that hold no rows of another tenant are dropped (other tenants' queries keep their
 * plans). {@code idx_precedent_trace} stays: {@code replacePrecedents} deletes by trace during the rebuild. The
 * primary keys, which {@code ON CONFLICT} needs, are never touched. If the process dies mid-rebuild the indexes
 * are re-created by the next {@link #repair} (every writable open of the store), and the rebuild itself restarts
 * from its committed cursors: nothing but build time is lost.</li>
 * <li>the writer connection's {@code wal_autocheckpoint} is raised for the duration, so the WAL is copied into the
 * database file a few times per rebuild instead of after every batch. It is a connection setting, restored at the
 * end; {@code synchronous} is not changed (the event log shares the file: its durability stays as configured).</li>
 * </ul>
 */
final class SqliteBulkLoad {
    /** A secondary index whose build is deferred to the end of a rebuild. */
    record DeferredIndex(ProjectionName projection, String table, String name, String ddl) {
    }

    /** Verbatim from {@code db/migration/sqlite/V2__projections.sql} (and {@code V7__console_users.sql}). */
    static final List<DeferredIndex> INDEXES = List.of(
            new DeferredIndex(ProjectionName.CONTEXT_GRAPH, "dg_cg_edges", "idx_cg_edges_from",
                    "CREATE INDEX idx_cg_edges_from ON dg_cg_edges (tenant_id, from_node_id, edge_id)"),
            new DeferredIndex(ProjectionName.CONTEXT_GRAPH, "dg_cg_edges", "idx_cg_edges_to",
                    "CREATE INDEX idx_cg_edges_to ON dg_cg_edges (tenant_id, to_node_id, edge_id)"),
            new DeferredIndex(ProjectionName.CONTEXT_GRAPH, "dg_cg_edges", "idx_cg_edges_from_seq",
                    "CREATE INDEX idx_cg_edges_from_seq ON dg_cg_edges (tenant_id, from_node_id, log_seq, edge_id)"),
            new DeferredIndex(ProjectionName.CONTEXT_GRAPH, "dg_cg_edges", "idx_cg_edges_to_seq",
                    "CREATE INDEX idx_cg_edges_to_seq ON dg_cg_edges (tenant_id, to_node_id, log_seq, edge_id)"),
            new DeferredIndex(ProjectionName.TRACE_SUMMARY, "dg_trace_summary", "idx_trace_summary_last_seq",
                    "CREATE INDEX idx_trace_summary_last_seq ON dg_trace_summary (tenant_id, last_log_seq DESC, trace_id)"),
            new DeferredIndex(ProjectionName.TRACE_SUMMARY, "dg_trace_summary", "idx_trace_summary_entity",
                    "CREATE INDEX idx_trace_summary_entity ON dg_trace_summary (tenant_id, primary_entity_type, primary_entity_id,"
                            + " last_log_seq DESC, trace_id)"),
            new DeferredIndex(ProjectionName.PRECEDENT_INDEX, "dg_policy_eval_index", "idx_policy_eval_seq",
                    "CREATE INDEX idx_policy_eval_seq ON dg_policy_eval_index (tenant_id, log_seq, index_id)"),
            new DeferredIndex(ProjectionName.PRECEDENT_INDEX, "dg_precedent_index", "idx_precedent_policy",
                    "CREATE INDEX idx_precedent_policy ON dg_precedent_index (tenant_id, policy_id, policy_version)"));

    /** {@code wal_autocheckpoint} (pages) of the writer connection during a rebuild (default 1000). */
    static final int REBUILD_WAL_AUTOCHECKPOINT = Integer.getInteger("dg.sqlite.rebuildWalAutocheckpoint", 50_000);

    private SqliteBulkLoad() {
    }

    static <T> T run(Tx tx, String tenantId, Set<ProjectionName> scope, Supplier<T> work) {
        int[] savedCheckpoint = {-1};
        List<DeferredIndex> dropped = tx.write(h -> {
            Set<String> present = existing(h);
            List<DeferredIndex> out = new ArrayList<>();
            try (Statement st = h.connection().createStatement()) {
                for (DeferredIndex ix : INDEXES) {
                    if (scope.contains(ix.projection()) && present.contains(ix.name())
                            && !otherTenantRows(h, ix.table(), tenantId)) {
                        st.execute("DROP INDEX " + ix.name());
                        out.add(ix);
                    }
                }
                try (ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint")) {
                    savedCheckpoint[0] = rs.next() ? rs.getInt(1) : -1;
                }
                if (savedCheckpoint[0] >= 0 && REBUILD_WAL_AUTOCHECKPOINT > savedCheckpoint[0]) {
                    st.execute("PRAGMA wal_autocheckpoint = " + REBUILD_WAL_AUTOCHECKPOINT);
                }
            }
            return out;
        });
        Throwable failure = null;
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                tx.write(h -> {
                    try (Statement st = h.connection().createStatement()) {
                        if (savedCheckpoint[0] >= 0) {
                            st.execute("PRAGMA wal_autocheckpoint = " + savedCheckpoint[0]);
                        }
                    }
                    createMissing(h, dropped);
                    return null;
                });
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /** Re-creates deferred indexes a crashed rebuild left missing (no write when all exist). */
    static void repair(Tx tx) {
        Set<String> present = tx.read(SqliteBulkLoad::existing);
        if (INDEXES.stream().allMatch(ix -> present.contains(ix.name()))) {
            return;
        }
        tx.write(h -> {
            createMissing(h, INDEXES);
            return null;
        });
    }

    private static void createMissing(Handle h, List<DeferredIndex> indexes) throws SQLException {
        Set<String> present = existing(h);
        try (Statement st = h.connection().createStatement()) {
            for (DeferredIndex ix : indexes) {
                if (!present.contains(ix.name())) {
                    st.execute(ix.ddl());
                }
            }
        }
    }

    private static Set<String> existing(Handle h) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement st = h.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Whether {@code table} holds rows of a tenant other than {@code tenantId}: two range probes on the leading
     * tenant_id column of the primary key (O(log n), unlike {@code tenant_id <> ?}, which scans this tenant's rows).
     */
    static boolean otherTenantRows(Handle h, String table, String tenantId) throws SQLException {
        for (String op : new String[] {"<", ">"}) {
            PreparedStatement ps = h.prepare("SELECT 1 FROM " + table + " WHERE tenant_id " + op + " ? LIMIT 1");
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
