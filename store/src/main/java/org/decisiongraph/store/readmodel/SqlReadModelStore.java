package org.decisiongraph.store.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.SqlErrors;
import org.decisiongraph.store.sql.SqlWork;
import org.decisiongraph.store.sql.Tx;

/**
 * The {@link ReadModelStore} of one tenant in the projection tables of a SQLite or Postgres database (Flyway V2,
 * projections spec 1.2). Orderings come from the database: SQLite compares text by UTF-8 bytes and the Postgres
 * columns are {@code COLLATE "C"}, both code point order.
 *
 * <p>{@link #write} is one database transaction holding the write lock of each projection in scope (Postgres:
 * {@code pg_advisory_xact_lock} on a namespaced key per (tenant, projection); SQLite: the database's single
 * writer). Inserts are sent as JDBC batches, flushed in an order that keeps the writer's semantics. Scans stream
 * rows (Postgres: a cursor with a fetch size), so digests never hold a table in memory.
 *
 * <p>On a reference-layout file (written by the Python reference) the store reads the Python tables of
 * projections spec 1.1 read-only: tenant {@code default} only, every cursor is the single
 * {@code dg_projection_meta} cursor, {@code primary_entity_system} of summaries is null, and there are no digest
 * checkpoints.
 */
public final class SqlReadModelStore implements ReadModelStore {
    /** Advisory-lock namespace of projection write locks ("DG" + 2); the event log uses "DG" + 1. */
    static final int PROJECTION_LOCK_NAMESPACE = 0x4447_0002;
    private static final int FLUSH_ROWS = 2000;
    private static final int FETCH_SIZE = 1000;
    /** Page cache of the SQLite writer connection while it writes projections, in KiB. */
    private static final int SQLITE_WRITER_CACHE_KIB = Integer.getInteger("dg.sqlite.projectionCacheKib", 65_536);
    /**
     * Page cache of the SQLite writer connection during a rebuild ({@link #bulkLoad}), in KiB: native memory, not
     * Java heap; it holds the primary-key B-trees the rebuild inserts into at random.
     */
    private static final int SQLITE_REBUILD_CACHE_KIB = Integer.getInteger("dg.sqlite.rebuildCacheKib", 262_144);

    private final String tenantId;
    private final Tx tx;
    private final Dialect dialect;
    private final boolean reference;
    private final boolean readOnly;
    private final Clock clock;
    /** The connection of a {@link #snapshot} running on this thread, else null. */
    private final ThreadLocal<Handle> pinned = new ThreadLocal<>();
    /** Rebuilds in progress through this store (the writer connection's page cache is larger meanwhile). */
    private final java.util.concurrent.atomic.AtomicInteger bulkLoads = new java.util.concurrent.atomic.AtomicInteger();

    private SqlReadModelStore(Database db, String tenantId, Clock clock) {
        this.tenantId = tenantId;
        this.tx = db.tx();
        this.dialect = db.dialect();
        this.reference = db.layout() == Layout.REFERENCE;
        this.readOnly = db.isReadOnly() || reference;
        this.clock = clock;
    }

    /**
     * The read model of {@code tenant} ({@code null}: {@code default}; trimmed; blank fails with INVALID_ARGUMENT
     * {@code tenant_id cannot be empty}) in {@code db}; {@code clock} stamps {@code updated_at} of cursors.
     */
    public static SqlReadModelStore open(Database db, String tenant, Clock clock) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(clock, "clock");
        if (db.layout() == Layout.EMPTY) {
            throw DgErrors.storage("no such table: dg_event_log", null);
        }
        SqlReadModelStore store = new SqlReadModelStore(db, EventLog.normalizeTenant(tenant), clock);
        if (store.dialect == Dialect.SQLITE && !store.readOnly) {
            SqliteBulkLoad.repair(store.tx);
        }
        return store;
    }

    /** Whether this store reads the Python reference's tables (read-only). */
    public boolean isReferenceLayout() {
        return reference;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    // --- snapshots ------------------------------------------------------------------------------------

    /** A read on the snapshot's connection when one is pinned on this thread, else on a pooled connection. */
    private <T> T read(SqlWork<T> work) {
        Handle h = pinned.get();
        if (h == null) {
            return tx.read(work);
        }
        try {
            return work.run(h);
        } catch (SQLException e) {
            throw storageError(e);
        }
    }

    /**
     * Runs {@code work} with every read of this store on the calling thread (cursors, checkpoints, scans, queries)
     * on one connection inside one read transaction, so they all see one committed state (SQLite: a WAL read
     * transaction; Postgres: REPEATABLE READ). Holds no write lock: writers continue meanwhile. Nested calls join
     * the outer snapshot.
     */
    public void snapshot(Runnable work) {
        Objects.requireNonNull(work, "work");
        if (pinned.get() != null) {
            work.run();
            return;
        }
        tx.read(h -> {
            Connection c = h.connection();
            int isolation = c.getTransactionIsolation();
            if (dialect == Dialect.POSTGRES) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            c.setAutoCommit(false);
            pinned.set(h);
            try {
                work.run();
            } finally {
                pinned.remove();
                try {
                    c.rollback();
                } finally {
                    c.setAutoCommit(true);
                    if (dialect == Dialect.POSTGRES) {
                        c.setTransactionIsolation(isolation);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Stores digest checkpoints computed from a {@link #snapshot} in one short write transaction that takes no
     * projection lock, unless a stored checkpoint of one of them is already newer (a higher {@code last_log_seq})
     * and the projection's cursor is no longer at the snapshot's position: then nothing is written. Returns
     * whether they were written.
     */
    public boolean putCheckpointsUnlessNewer(List<DigestCheckpoint> checkpoints) {
        Objects.requireNonNull(checkpoints, "checkpoints");
        if (readOnly) {
            throw DgErrors.storage("attempt to write a readonly database", null);
        }
        boolean[] written = new boolean[1];
        write(EnumSet.noneOf(ProjectionName.class), w -> {
            Writer writer = (Writer) w;
            for (DigestCheckpoint c : checkpoints) {
                long current = ProjectionName.FULL_PROJECTION.equals(c.name())
                        ? ProjectionName.CANONICAL_ORDER.stream().mapToLong(writer::cursor).min().orElse(0)
                        : writer.cursor(ProjectionName.parse(c.name()));
                // an older snapshot never replaces a newer checkpoint, unless it is what the cursor says now
                // (after a rebuild's clear the cursor goes back)
                if (writer.storedCheckpointSeq(c.name()) > c.lastLogSeq() && current != c.lastLogSeq()) {
                    return;
                }
            }
            checkpoints.forEach(writer::putDigestCheckpoint);
            written[0] = true;
        });
        return written[0];
    }

    // --- SQL text: tenant predicates differ between the layouts ----------------------------------------

    /**
     * Expands {@code {T}} (the tenant predicate, one parameter), {@code {T.x}} (the same on alias x),
     * {@code {J.p.s}} (p's tenant equals s's) and {@code {PES}} (the summary's primary_entity_system column).
     */
    private String sql(String template) {
        String s = template;
        if (reference) {
            s = s.replace("{T.s}", "'default' = ?").replace("{T}", "'default' = ?")
                    .replace("{J.p.s}", "1 = 1").replace("{PES}", "NULL AS primary_entity_system")
                    .replace("{PES.s}", "NULL AS primary_entity_system");
        } else {
            s = s.replace("{T.s}", "s.tenant_id = ?").replace("{T}", "tenant_id = ?")
                    .replace("{J.p.s}", "p.tenant_id = s.tenant_id").replace("{PES}", "primary_entity_system")
                    .replace("{PES.s}", "s.primary_entity_system");
        }
        return s;
    }

    private static final String NODE_COLS = "node_id, node_type, trace_id, log_seq, created_at";
    private static final String EDGE_COLS = "edge_id, edge_type, from_node_id, to_node_id, trace_id, log_seq, created_at";
    private static final String SUMMARY_COLS = "trace_id, workflow, title, primary_entity_type, {PES}, primary_entity_id,"
            + " outcome, started_at, finished_at, event_count, last_log_seq";
    private static final String SUMMARY_COLS_S = "s.trace_id, s.workflow, s.title, s.primary_entity_type, {PES.s},"
            + " s.primary_entity_id, s.outcome, s.started_at, s.finished_at, s.event_count, s.last_log_seq";
    private static final String PRECEDENT_COLS = "source_event_id, log_seq, trace_id, policy_id, policy_version,"
            + " exception_id, primary_entity_type, primary_entity_system, primary_entity_id";
    private static final String EVAL_COLS = "index_id, trace_id, policy_id, policy_version, log_seq, created_at";

    private static NodeRow node(ResultSet rs) throws SQLException {
        return new NodeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5));
    }

    private static EdgeRow edge(ResultSet rs) throws SQLException {
        return new EdgeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7));
    }

    private static TraceSummaryRow summary(ResultSet rs) throws SQLException {
        return new TraceSummaryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11));
    }

    private static PrecedentRow precedent(ResultSet rs) throws SQLException {
        return new PrecedentRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static PolicyEvalRow policyEval(ResultSet rs) throws SQLException {
        return new PolicyEvalRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6));
    }

    @FunctionalInterface
    private interface RowMapper<R> {
        R map(ResultSet rs) throws SQLException;
    }

    // --- cursors and checkpoints ---------------------------------------------------------------------

    @Override
    public long cursor(ProjectionName projection) {
        Objects.requireNonNull(projection, "projection");
        return read(h -> readCursor(h, projection));
    }

    private long readCursor(Handle h, ProjectionName projection) throws SQLException {
        PreparedStatement ps;
        if (reference) {
            ps = h.prepare("SELECT last_processed_log_seq FROM dg_projection_meta WHERE projection_name = 'context_graph'");
        } else {
            ps = h.prepare("SELECT last_log_seq FROM dg_projection_cursors WHERE tenant_id = ? AND projection_name = ?");
            ps.setString(1, tenantId);
            ps.setString(2, projection.wireName());
        }
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    @Override
    public Optional<DigestCheckpoint> digestCheckpoint(String name) {
        Objects.requireNonNull(name, "name");
        if (reference) {
            return Optional.empty();
        }
        return read(h -> {
            PreparedStatement ps = h.prepare("SELECT projection_name, digest_value, last_log_seq, updated_at"
                    + " FROM dg_projection_digests WHERE tenant_id = ? AND projection_name = ?");
            ps.setString(1, tenantId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new DigestCheckpoint(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                        : Optional.<DigestCheckpoint>empty();
            }
        });
    }

    /** Number of {@code dg_projection_failures} rows of the projection with status {@code open} (0 on a reference file). */
    public long openFailureCount(ProjectionName projection) {
        Objects.requireNonNull(projection, "projection");
        if (reference) {
            return 0;
        }
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT COUNT(*) FROM dg_projection_failures"
                    + " WHERE tenant_id = ? AND projection_name = ? AND status = 'open'");
            ps.setString(1, tenantId);
            ps.setString(2, projection.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The tenant's queued or running rows of {@code dg_projection_runs}, oldest request first (empty on a reference file). */
    public List<ProjectionRun> openRuns() {
        if (reference) {
            return List.of();
        }
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT job_id, projection_name, mode, status, requested_at, started_at,"
                    + " processed_events, last_log_seq, until_log_seq FROM dg_projection_runs"
                    + " WHERE tenant_id = ? AND status IN ('queued', 'running') ORDER BY requested_at ASC, job_id ASC");
            ps.setString(1, tenantId);
            List<ProjectionRun> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long until = rs.getLong(9);
                    Long untilOrNull = rs.wasNull() ? null : until;
                    runs.add(new ProjectionRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), untilOrNull));
                }
            }
            return runs;
        });
    }

    // --- streamed scans ------------------------------------------------------------------------------

    private <R> void scan(String template, RowMapper<R> mapper, Consumer<? super R> action) {
        String text = sql(template);
        read(h -> {
            Connection c = h.connection();
            boolean cursorMode = dialect == Dialect.POSTGRES && pinned.get() == null; // a snapshot is a transaction already
            if (cursorMode) {
                c.setAutoCommit(false);
            }
            try {
                PreparedStatement ps = h.prepare(text);
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        action.accept(mapper.map(rs));
                    }
                }
            } finally {
                if (cursorMode) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    @Override
    public void forEachNode(Consumer<? super NodeRow> action) {
        scan("SELECT " + NODE_COLS + " FROM dg_cg_nodes WHERE {T} ORDER BY node_id", SqlReadModelStore::node, action);
    }

    @Override
    public void forEachEdge(Consumer<? super EdgeRow> action) {
        scan("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} ORDER BY edge_id", SqlReadModelStore::edge, action);
    }

    @Override
    public void forEachTraceSummary(Consumer<? super TraceSummaryRow> action) {
        scan("SELECT " + SUMMARY_COLS + " FROM dg_trace_summary WHERE {T} ORDER BY trace_id", SqlReadModelStore::summary,
                action);
    }

    @Override
    public void forEachPrecedent(Consumer<? super PrecedentRow> action) {
        scan("SELECT " + PRECEDENT_COLS + " FROM dg_precedent_index WHERE {T} ORDER BY source_event_id",
                SqlReadModelStore::precedent, action);
    }

    @Override
    public void forEachPolicyEval(Consumer<? super PolicyEvalRow> action) {
        scan("SELECT " + EVAL_COLS + " FROM dg_policy_eval_index WHERE {T} ORDER BY log_seq, index_id",
                SqlReadModelStore::policyEval, action);
    }

    // --- queries -------------------------------------------------------------------------------------

    @Override
    public Optional<TraceSummaryRow> traceSummary(String traceId) {
        Objects.requireNonNull(traceId, "traceId");
        String text = sql("SELECT " + SUMMARY_COLS + " FROM dg_trace_summary WHERE {T} AND trace_id = ?");
        return read(h -> {
            PreparedStatement ps = h.prepare(text);
            ps.setString(1, tenantId);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(summary(rs)) : Optional.<TraceSummaryRow>empty();
            }
        });
    }

    @Override
    public List<NodeRow> nodes(Collection<String> nodeIds) {
        Set<String> ids = new LinkedHashSet<>(nodeIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        String text = sql("SELECT " + NODE_COLS + " FROM dg_cg_nodes WHERE {T} AND node_id = ?");
        List<NodeRow> out = read(h -> {
            List<NodeRow> rows = new ArrayList<>();
            PreparedStatement ps = h.prepare(text);
            for (String id : ids) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        rows.add(node(rs));
                    }
                }
            }
            return rows;
        });
        out.sort(Comparator.comparing(NodeRow::nodeId, CodePointOrder.INSTANCE));
        return out;
    }

    @Override
    public Optional<EdgeRow> edge(String edgeId) {
        Objects.requireNonNull(edgeId, "edgeId");
        String text = sql("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} AND edge_id = ?");
        return read(h -> {
            PreparedStatement ps = h.prepare(text);
            ps.setString(1, tenantId);
            ps.setString(2, edgeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(edge(rs)) : Optional.<EdgeRow>empty();
            }
        });
    }

    @Override
    public List<EdgeRow> edgesTouching(Collection<String> nodeIds, Collection<String> edgeTypes, int limit) {
        Set<String> ids = new LinkedHashSet<>(nodeIds);
        List<String> types = edgeTypes == null ? null : List.copyOf(new LinkedHashSet<>(edgeTypes));
        if (ids.isEmpty() || limit <= 0 || (types != null && types.isEmpty())) {
            return List.of();
        }
        String typeFilter = types == null ? "" : " AND edge_type IN (" + "?, ".repeat(types.size() - 1) + "?)";
        String from = sql("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} AND from_node_id = ?" + typeFilter
                + " ORDER BY edge_id LIMIT ?");
        String to = sql("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} AND to_node_id = ?" + typeFilter
                + " ORDER BY edge_id LIMIT ?");
        List<List<EdgeRow>> sources = read(h -> {
            List<List<EdgeRow>> lists = new ArrayList<>(ids.size() * 2);
            for (String id : ids) {
                for (String text : List.of(from, to)) {
                    PreparedStatement ps = h.prepare(text);
                    int i = 1;
                    ps.setString(i++, tenantId);
                    ps.setString(i++, id);
                    if (types != null) {
                        for (String t : types) {
                            ps.setString(i++, t);
                        }
                    }
                    ps.setInt(i, limit);
                    List<EdgeRow> rows = readAll(ps, SqlReadModelStore::edge);
                    if (!rows.isEmpty()) {
                        lists.add(rows);
                    }
                }
            }
            return lists;
        });
        return merge(sources, Comparator.comparing(EdgeRow::edgeId, CodePointOrder.INSTANCE), limit);
    }

    @Override
    public List<EdgeRow> edgesOf(String nodeId, EdgeDirection direction, EdgePosition after, int limit) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(direction, "direction");
        if (limit <= 0) {
            return List.of();
        }
        String keyset = after == null ? "" : " AND (log_seq > ? OR (log_seq = ? AND edge_id > ?))";
        List<String> texts = new ArrayList<>(2);
        if (direction != EdgeDirection.INCOMING) {
            texts.add(sql("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} AND from_node_id = ?" + keyset
                    + " ORDER BY log_seq, edge_id LIMIT ?"));
        }
        if (direction != EdgeDirection.OUTGOING) {
            texts.add(sql("SELECT " + EDGE_COLS + " FROM dg_cg_edges WHERE {T} AND to_node_id = ?" + keyset
                    + " ORDER BY log_seq, edge_id LIMIT ?"));
        }
        List<List<EdgeRow>> sources = read(h -> {
            List<List<EdgeRow>> lists = new ArrayList<>(2);
            for (String text : texts) {
                PreparedStatement ps = h.prepare(text);
                int i = 1;
                ps.setString(i++, tenantId);
                ps.setString(i++, nodeId);
                if (after != null) {
                    ps.setLong(i++, after.logSeq());
                    ps.setLong(i++, after.logSeq());
                    ps.setString(i++, after.edgeId());
                }
                ps.setInt(i, limit);
                lists.add(readAll(ps, SqlReadModelStore::edge));
            }
            return lists;
        });
        return merge(sources, Comparator.comparing(EdgeRow::position), limit);
    }

    private static <R> List<R> readAll(PreparedStatement ps, RowMapper<R> mapper) throws SQLException {
        List<R> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
        }
        return rows;
    }

    /** K-way merge of sorted lists, dropping repeated edge ids (they are adjacent: equal rows sort together). */
    private static List<EdgeRow> merge(List<List<EdgeRow>> sources, Comparator<EdgeRow> order, int limit) {
        record Head(EdgeRow row, int source, int index) {
        }
        PriorityQueue<Head> queue = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> order.compare(a.row, b.row));
        for (int s = 0; s < sources.size(); s++) {
            if (!sources.get(s).isEmpty()) {
                queue.add(new Head(sources.get(s).getFirst(), s, 0));
            }
        }
        List<EdgeRow> out = new ArrayList<>();
        String lastSeen = null;
        while (!queue.isEmpty() && out.size() < limit) {
            Head head = queue.poll();
            if (!head.row.edgeId().equals(lastSeen)) {
                lastSeen = head.row.edgeId();
                out.add(head.row);
            }
            List<EdgeRow> list = sources.get(head.source);
            if (head.index + 1 < list.size()) {
                queue.add(new Head(list.get(head.index + 1), head.source, head.index + 1));
            }
        }
        return out;
    }

    @Override
    public List<PrecedentMatch> findPrecedents(PrecedentSearch search) {
        Objects.requireNonNull(search, "search");
        StringBuilder q = new StringBuilder();
        List<String> params = new ArrayList<>();
        String versionFilter = search.policyVersion() == null ? "" : " AND p.policy_version = ?";
        String best = "SELECT p.policy_version FROM dg_precedent_index p WHERE {J.p.s} AND p.trace_id = s.trace_id"
                + " AND p.policy_id = ?" + versionFilter
                + " ORDER BY (p.exception_id IS NULL), p.log_seq DESC, p.source_event_id LIMIT 1";
        boolean lateral = search.policyId() != null && dialect == Dialect.POSTGRES;
        if (search.policyId() == null) {
            q.append("SELECT ").append(SUMMARY_COLS_S).append(", NULL FROM dg_trace_summary s");
        } else if (lateral) {
            // a LATERAL ... LIMIT 1 cannot become a semi-join: Postgres walks the summaries newest first and stops
            // after `limit` matches instead of joining every precedent row of the policy
            q.append("SELECT ").append(SUMMARY_COLS_S).append(", b.policy_version FROM dg_trace_summary s")
                    .append(" CROSS JOIN LATERAL (").append(best).append(") b");
            addPolicy(params, search);
        } else {
            q.append("SELECT ").append(SUMMARY_COLS_S).append(", (").append(best).append(") FROM dg_trace_summary s");
            addPolicy(params, search);
        }
        q.append(" WHERE {T.s} AND s.outcome IS NOT NULL");
        params.add(tenantId);
        if (search.outcome() != null) {
            q.append(" AND s.outcome = ?");
            params.add(search.outcome());
        }
        if (search.entityType() != null) {
            q.append(" AND s.primary_entity_type = ?");
            params.add(search.entityType());
        }
        if (search.entityId() != null) {
            q.append(" AND s.primary_entity_id = ?");
            params.add(search.entityId());
        }
        if (search.policyId() != null && !lateral) {
            q.append(" AND EXISTS (SELECT 1 FROM dg_precedent_index p WHERE {J.p.s} AND p.trace_id = s.trace_id"
                    + " AND p.policy_id = ?" + versionFilter + ")");
            addPolicy(params, search);
        }
        q.append(" ORDER BY s.last_log_seq DESC, s.trace_id ASC LIMIT ?");
        String text = sql(q.toString());
        return read(h -> {
            PreparedStatement ps = h.prepare(text);
            int i = 1;
            for (String p : params) {
                ps.setString(i++, p);
            }
            ps.setInt(i, search.limit());
            List<PrecedentMatch> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TraceSummaryRow s = summary(rs);
                    String version = rs.getString(12);
                    out.add(search.policyId() == null ? new PrecedentMatch(s, null, null)
                            : new PrecedentMatch(s, search.policyId(), version));
                }
            }
            return out;
        });
    }

    private static void addPolicy(List<String> params, PrecedentSearch search) {
        params.add(search.policyId());
        if (search.policyVersion() != null) {
            params.add(search.policyVersion());
        }
    }

    // --- writes --------------------------------------------------------------------------------------

    /** SQLite: secondary indexes built once at the end, larger WAL checkpoint interval ({@link SqliteBulkLoad}). */
    @Override
    public <T> T bulkLoad(Set<ProjectionName> scope, java.util.function.Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (dialect != Dialect.SQLITE || readOnly || scope.isEmpty()) {
            return work.get();
        }
        bulkLoads.incrementAndGet();
        try {
            return SqliteBulkLoad.run(tx, tenantId, scope, work);
        } finally {
            bulkLoads.decrementAndGet();
        }
    }

    @Override
    public void write(Set<ProjectionName> scope, Consumer<ReadModelWriter> work) {
        Objects.requireNonNull(work, "work");
        Set<ProjectionName> locked = scope.isEmpty() ? EnumSet.noneOf(ProjectionName.class) : EnumSet.copyOf(scope);
        if (readOnly) {
            throw DgErrors.storage("attempt to write a readonly database", null);
        }
        tx.write(h -> {
            if (dialect == Dialect.POSTGRES) {
                PreparedStatement lock = h.prepare("SELECT pg_advisory_xact_lock(?, hashtext(?))");
                for (ProjectionName p : locked) { // EnumSet iterates in canonical order: no lock-order deadlock
                    lock.setInt(1, PROJECTION_LOCK_NAMESPACE);
                    lock.setString(2, tenantId + "/" + p.wireName());
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                    }
                }
            }
            if (dialect == Dialect.SQLITE && SQLITE_WRITER_CACHE_KIB > 0) {
                // projection batches dirty many index pages: a larger page cache on the writer connection keeps
                // them from spilling mid-transaction (native memory, not Java heap)
                try (Statement st = h.connection().createStatement()) {
                    st.execute("PRAGMA cache_size = -" + (bulkLoads.get() > 0
                            ? Math.max(SQLITE_WRITER_CACHE_KIB, SQLITE_REBUILD_CACHE_KIB) : SQLITE_WRITER_CACHE_KIB));
                }
            }
            Writer writer = new Writer(h, locked);
            boolean done = false;
            try {
                work.accept(writer);
                writer.flushAll();
                done = true;
            } catch (SqlFailure e) {
                throw storageError(e.getCause());
            } finally {
                writer.open = false;
                if (!done) {
                    writer.discard();
                }
            }
            return null;
        });
    }

    private static DgException storageError(SQLException e) {
        return DgErrors.storage(SqlErrors.driverMessage(e), e);
    }

    /** Carries a SQLException out of a {@link ReadModelWriter} method. */
    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void sqlDo(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    /** A JDBC batch of one statement, with the keys it holds (to flush before a dependent statement). */
    private static final class Batch {
        final PreparedStatement ps;
        final Set<String> keys = new java.util.HashSet<>();
        int rows;

        Batch(PreparedStatement ps) {
            this.ps = ps;
        }

        void add(String key) throws SQLException {
            ps.addBatch();
            if (key != null) {
                keys.add(key);
            }
            rows++;
        }

        void flush() throws SQLException {
            if (rows > 0) {
                ps.executeBatch();
                ps.clearBatch();
                rows = 0;
                keys.clear();
            }
        }
    }

    private final class Writer implements ReadModelWriter {
        private final Handle h;
        private final Set<ProjectionName> scope;
        private final String now;
        private boolean open = true;
        private Batch nodes;
        private Batch edges;
        private Batch starts;
        private Batch finishes;
        private Batch evals;
        private Batch precedents;

        Writer(Handle h, Set<ProjectionName> scope) {
            this.h = h;
            this.scope = scope;
            this.now = Timestamps.toRfc3339(clock.instant());
        }

        private void require(ProjectionName projection) {
            if (!open) {
                throw new IllegalStateException("the write transaction is over");
            }
            if (!scope.contains(projection)) {
                throw new IllegalStateException("projection " + projection + " is not in the transaction's scope " + scope);
            }
        }

        private Batch batch(Batch current, String text) throws SQLException {
            // a separate statement per batch: Handle.prepare would share (and clear) one per SQL text
            return current != null ? current : new Batch(h.prepare(text));
        }

        private void maybeFlush(Batch b) throws SQLException {
            if (b.rows >= FLUSH_ROWS) {
                b.flush();
            }
        }

        void flushAll() {
            sqlDo(() -> {
                for (Batch b : new Batch[] {nodes, edges, starts, finishes, evals, precedents}) {
                    if (b != null) {
                        b.flush();
                    }
                }
            });
        }

        /** Drops unsent batch rows (statements are cached on the SQLite writer connection across transactions). */
        void discard() {
            for (Batch b : new Batch[] {nodes, edges, starts, finishes, evals, precedents}) {
                if (b != null) {
                    try {
                        b.ps.clearBatch();
                    } catch (SQLException ignored) {
                        // the transaction is rolled back anyway
                    }
                }
            }
        }

        @Override
        public long cursor(ProjectionName projection) {
            if (!open) {
                throw new IllegalStateException("the write transaction is over");
            }
            try {
                return readCursor(h, projection);
            } catch (SQLException e) {
                throw new SqlFailure(e);
            }
        }

        @Override
        public void setCursor(ProjectionName projection, long logSeq) {
            require(projection);
            sqlDo(() -> {
                PreparedStatement ps = h.prepare("INSERT INTO dg_projection_cursors (tenant_id, projection_name,"
                        + " last_log_seq, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, projection_name)"
                        + " DO UPDATE SET last_log_seq = excluded.last_log_seq, updated_at = excluded.updated_at");
                ps.setString(1, tenantId);
                ps.setString(2, projection.wireName());
                ps.setLong(3, logSeq);
                ps.setString(4, now);
                ps.executeUpdate();
            });
        }

        @Override
        public void clear(ProjectionName projection) {
            require(projection);
            flushAll();
            List<String> tables = switch (projection) {
                case CONTEXT_GRAPH -> List.of("dg_cg_edges", "dg_cg_nodes");
                case TRACE_SUMMARY -> List.of("dg_trace_summary");
                case PRECEDENT_INDEX -> List.of("dg_precedent_index", "dg_policy_eval_index");
            };
            sqlDo(() -> {
                for (String table : tables) {
                    if (dialect == Dialect.SQLITE && !SqliteBulkLoad.otherTenantRows(h, table, tenantId)) {
                        // only this tenant's rows: an unqualified DELETE frees whole pages (SQLite's truncate
                        // optimization) instead of deleting row by row from the table and every index
                        try (Statement st = h.connection().createStatement()) {
                            st.execute("DELETE FROM " + table);
                        }
                        continue;
                    }
                    PreparedStatement ps = h.prepare("DELETE FROM " + table + " WHERE tenant_id = ?");
                    ps.setString(1, tenantId);
                    ps.executeUpdate();
                }
            });
            setCursor(projection, 0);
        }

        @Override
        public void insertNodeIfAbsent(NodeRow node) {
            require(ProjectionName.CONTEXT_GRAPH);
            sqlDo(() -> {
                nodes = batch(nodes, "INSERT INTO dg_cg_nodes (tenant_id, " + NODE_COLS + ") VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, node_id) DO NOTHING");
                PreparedStatement ps = nodes.ps;
                ps.setString(1, tenantId);
                ps.setString(2, node.nodeId());
                ps.setString(3, node.nodeType());
                ps.setString(4, node.traceId());
                ps.setLong(5, node.logSeq());
                ps.setString(6, node.createdAt());
                nodes.add(null);
                maybeFlush(nodes);
            });
        }

        @Override
        public void insertEdgeIfAbsent(EdgeRow edge) {
            require(ProjectionName.CONTEXT_GRAPH);
            sqlDo(() -> {
                edges = batch(edges, "INSERT INTO dg_cg_edges (tenant_id, " + EDGE_COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, edge_id) DO NOTHING");
                PreparedStatement ps = edges.ps;
                ps.setString(1, tenantId);
                ps.setString(2, edge.edgeId());
                ps.setString(3, edge.edgeType());
                ps.setString(4, edge.fromNodeId());
                ps.setString(5, edge.toNodeId());
                ps.setString(6, edge.traceId());
                ps.setLong(7, edge.logSeq());
                ps.setString(8, edge.createdAt());
                edges.add(null);
                maybeFlush(edges);
            });
        }

        @Override
        public void startTraceSummary(TraceSummaryRow row) {
            require(ProjectionName.TRACE_SUMMARY);
            sqlDo(() -> {
                starts = batch(starts, "INSERT INTO dg_trace_summary (tenant_id, trace_id, workflow, title,"
                        + " primary_entity_type, primary_entity_system, primary_entity_id, outcome, started_at,"
                        + " finished_at, event_count, last_log_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, trace_id) DO UPDATE SET"
                        + " event_count = dg_trace_summary.event_count + 1, last_log_seq = excluded.last_log_seq");
                // one upsert per trace per statement (a multi-row upsert may not touch a row twice)
                if (starts.keys.contains(row.traceId())) {
                    starts.flush();
                }
                if (finishes != null && finishes.keys.contains(row.traceId())) {
                    finishes.flush();
                }
                PreparedStatement ps = starts.ps;
                ps.setString(1, tenantId);
                ps.setString(2, row.traceId());
                ps.setString(3, row.workflow());
                ps.setString(4, row.title());
                setNullable(ps, 5, row.primaryEntityType());
                setNullable(ps, 6, row.primaryEntitySystem());
                setNullable(ps, 7, row.primaryEntityId());
                setNullable(ps, 8, row.outcome());
                ps.setString(9, row.startedAt());
                setNullable(ps, 10, row.finishedAt());
                ps.setLong(11, row.eventCount());
                ps.setLong(12, row.lastLogSeq());
                starts.add(row.traceId());
                maybeFlush(starts);
            });
        }

        @Override
        public void finishTraceSummary(String traceId, String outcome, String finishedAt, long logSeq) {
            require(ProjectionName.TRACE_SUMMARY);
            sqlDo(() -> {
                if (starts != null && starts.keys.contains(traceId)) {
                    starts.flush();
                }
                finishes = batch(finishes, "UPDATE dg_trace_summary SET outcome = ?, finished_at = ?,"
                        + " event_count = event_count + 1, last_log_seq = ? WHERE tenant_id = ? AND trace_id = ?");
                PreparedStatement ps = finishes.ps;
                setNullable(ps, 1, outcome);
                setNullable(ps, 2, finishedAt);
                ps.setLong(3, logSeq);
                ps.setString(4, tenantId);
                ps.setString(5, traceId);
                finishes.add(traceId);
                maybeFlush(finishes);
            });
        }

        @Override
        public void insertPolicyEvalIfAbsent(PolicyEvalRow row) {
            require(ProjectionName.PRECEDENT_INDEX);
            sqlDo(() -> {
                evals = batch(evals, "INSERT INTO dg_policy_eval_index (tenant_id, " + EVAL_COLS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, index_id) DO NOTHING");
                PreparedStatement ps = evals.ps;
                ps.setString(1, tenantId);
                ps.setString(2, row.indexId());
                ps.setString(3, row.traceId());
                ps.setString(4, row.policyId());
                ps.setString(5, row.policyVersion());
                ps.setLong(6, row.logSeq());
                ps.setString(7, row.createdAt());
                evals.add(null);
                maybeFlush(evals);
            });
        }

        @Override
        public void replacePrecedents(String traceId, List<PrecedentRow> rows) {
            require(ProjectionName.PRECEDENT_INDEX);
            sqlDo(() -> {
                precedents = batch(precedents, "INSERT INTO dg_precedent_index (tenant_id, " + PRECEDENT_COLS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, source_event_id) DO NOTHING");
                // pending rows may belong to this trace (deleted below) or share a source_event_id with it
                if (precedents.rows > 0) {
                    precedents.flush();
                }
                PreparedStatement del = h.prepare("DELETE FROM dg_precedent_index WHERE tenant_id = ? AND trace_id = ?");
                del.setString(1, tenantId);
                del.setString(2, traceId);
                del.executeUpdate();
                PreparedStatement ps = precedents.ps;
                for (PrecedentRow r : rows) {
                    ps.setString(1, tenantId);
                    ps.setString(2, r.sourceEventId());
                    ps.setLong(3, r.logSeq());
                    ps.setString(4, r.traceId());
                    ps.setString(5, r.policyId());
                    ps.setString(6, r.policyVersion());
                    setNullable(ps, 7, r.exceptionId());
                    setNullable(ps, 8, r.primaryEntityType());
                    setNullable(ps, 9, r.primaryEntitySystem());
                    setNullable(ps, 10, r.primaryEntityId());
                    precedents.add(null);
                }
            });
        }

        /** {@code last_log_seq} of the stored checkpoint with this name, -1 without one. */
        long storedCheckpointSeq(String name) {
            long[] seq = {-1};
            sqlDo(() -> {
                PreparedStatement ps = h.prepare("SELECT last_log_seq FROM dg_projection_digests WHERE tenant_id = ?"
                        + " AND projection_name = ?");
                ps.setString(1, tenantId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        seq[0] = rs.getLong(1);
                    }
                }
            });
            return seq[0];
        }

        @Override
        public void putDigestCheckpoint(DigestCheckpoint checkpoint) {
            if (!open) {
                throw new IllegalStateException("the write transaction is over");
            }
            sqlDo(() -> {
                PreparedStatement ps = h.prepare("INSERT INTO dg_projection_digests (tenant_id, projection_name,"
                        + " digest_value, last_log_seq, updated_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, projection_name) DO UPDATE SET digest_value = excluded.digest_value,"
                        + " last_log_seq = excluded.last_log_seq, updated_at = excluded.updated_at");
                ps.setString(1, tenantId);
                ps.setString(2, checkpoint.name());
                ps.setString(3, checkpoint.digest());
                ps.setLong(4, checkpoint.lastLogSeq());
                ps.setString(5, checkpoint.updatedAt());
                ps.executeUpdate();
            });
        }
    }
}
