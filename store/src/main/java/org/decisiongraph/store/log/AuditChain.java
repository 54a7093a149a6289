package org.decisiongraph.store.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.Tx;

/**
 * The audit chain of a DecisionGraph-layout database: reading the stored links, recomputing them from
 * genesis, and the one-time back-fill of rows written before migration V6. See {@link ChainHash}.
 */
public final class AuditChain {
    private static final int BATCH = 10_000;
    private static final int PARALLEL_HASHING = 512;
    /** The columns for recomputing a chain: the payload is not needed (it enters via payload_hash). */
    private static final String LIGHT_COLUMNS = EventRows.COLUMNS.replace("payload_json", "'null'") + ", chain_hash";
    private static final String FULL_COLUMNS = EventRows.COLUMNS + ", chain_hash";

    /** A stored event with its event hash (recomputed) and its stored chain hash. */
    public record ChainedEvent(StoredEvent event, String eventHash, String chainHash) {
    }

    /** The first link that does not recompute: stored {@code chain_hash} (null when missing) vs expected. */
    public record Break(long logSeq, String expected, String stored, String reason) {
        public String describe() {
            return "chain broken at log_seq=" + logSeq + ": " + reason;
        }
    }

    /** The outcome of recomputing a tenant's chain up to {@code untilLogSeq}. */
    public record Report(String tenant, long checked, long lastLogSeq, String head, Break firstBreak) {
        public boolean ok() {
            return firstBreak == null;
        }
    }

    private final Tx tx;
    private final Dialect dialect;

    private AuditChain(Database db) {
        this.tx = db.tx();
        this.dialect = db.dialect();
    }

    /** The chain of a DecisionGraph-layout database (reference-layout files have no chain). */
    public static AuditChain of(Database db) {
        Objects.requireNonNull(db, "db");
        if (db.layout() != Layout.DECISIONGRAPH) {
            throw DgErrors.invalidArgument("the database has no audit chain (layout " + db.layout() + ")");
        }
        return new AuditChain(db);
    }

    /** A removed event's link, kept by retention (table {@code dg_event_tombstones}, migration V8). */
    public record Tombstone(long logSeq, String eventId, String traceId, String eventHash, String chainHash,
                            String runId) {
    }

    /** Serialises with the tenant's appends until the transaction ends (the append lock). */
    public void lockTenant(Handle h, String tenant) throws SQLException {
        LogAccess.of(dialect, h).lockTenant(tenant);
    }

    /**
     * The tenant's retention tombstones with {@code from <= log_seq <= to}, by log_seq; empty when the schema
     * predates V8 (a read-only old file).
     */
    public java.util.NavigableMap<Long, Tombstone> tombstones(String tenant, long from, long to) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> tombstones(h, t, from, to));
    }

    static java.util.NavigableMap<Long, Tombstone> tombstones(Handle h, String tenant, long from, long to)
            throws SQLException {
        java.util.TreeMap<Long, Tombstone> out = new java.util.TreeMap<>();
        if (!hasTable(h, "dg_event_tombstones")) {
            return out;
        }
        PreparedStatement ps = h.prepare("SELECT log_seq, event_id, trace_id, event_hash, chain_hash, run_id"
                + " FROM dg_event_tombstones WHERE tenant_id = ? AND log_seq >= ? AND log_seq <= ? ORDER BY log_seq");
        ps.setString(1, tenant);
        ps.setLong(2, from);
        ps.setLong(3, to);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Tombstone(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return out;
    }

    /** Whether the table exists (a read-only file may predate the migration that creates it). */
    public static boolean hasTable(Handle h, String table) throws SQLException {
        try (ResultSet rs = h.connection().getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    /** Tenants with at least one event, in code-point order. */
    public List<String> tenants() {
        return tx.read(h -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = h.prepare("SELECT DISTINCT tenant_id FROM dg_event_log").executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            out.sort(org.decisiongraph.core.json.CodePointOrder.INSTANCE);
            return out;
        });
    }

    /** The stored chain hash after {@code logSeq} ({@link ChainHash#GENESIS} for 0); null when absent. */
    public String storedChainAt(String tenant, long logSeq) {
        String t = EventLog.normalizeTenant(tenant);
        if (logSeq == 0) {
            return ChainHash.GENESIS;
        }
        return tx.read(h -> chainAt(h, t, logSeq));
    }

    private static String chainAt(Handle h, String tenant, long logSeq) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT chain_hash FROM dg_event_log WHERE tenant_id = ? AND log_seq = ?");
        ps.setString(1, tenant);
        ps.setLong(2, logSeq);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return rs.getString(1);
            }
        }
        Tombstone removed = tombstones(h, tenant, logSeq, logSeq).get(logSeq);
        return removed == null ? null : removed.chainHash();
    }

    /** Events {@code from..to} (inclusive, log_seq order) with payloads, event hashes and stored chain hashes. */
    public List<ChainedEvent> range(String tenant, long from, long to) {
        String t = EventLog.normalizeTenant(tenant);
        List<ChainedEvent> out = new ArrayList<>();
        long cursor = from - 1;
        while (cursor < to) {
            List<ChainedEvent> page = page(t, cursor, to, FULL_COLUMNS);
            if (page.isEmpty()) {
                break;
            }
            out.addAll(page);
            cursor = page.get(page.size() - 1).event().logSeq();
        }
        return out;
    }

    /** As {@link #range} without payloads (the events carry JSON null): the chain links {@code from..to}. */
    public List<ChainedEvent> links(String tenant, long from, long to) {
        String t = EventLog.normalizeTenant(tenant);
        List<ChainedEvent> out = new ArrayList<>();
        long cursor = from - 1;
        while (cursor < to) {
            List<ChainedEvent> page = page(t, cursor, to, LIGHT_COLUMNS);
            if (page.isEmpty()) {
                break;
            }
            out.addAll(page);
            cursor = page.get(page.size() - 1).event().logSeq();
        }
        return out;
    }

    /** Events of one trace in log_seq order, with hashes, as {@link #range}. */
    public List<ChainedEvent> trace(String tenant, String traceId) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + FULL_COLUMNS
                    + " FROM dg_event_log WHERE tenant_id = ? AND trace_id = ? ORDER BY log_seq");
            ps.setString(1, t);
            ps.setString(2, traceId);
            return readChained(ps, t);
        });
    }

    private List<ChainedEvent> page(String tenant, long after, long to, String columns) {
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + columns + " FROM dg_event_log"
                    + " WHERE tenant_id = ? AND log_seq > ? AND log_seq <= ? ORDER BY log_seq LIMIT " + BATCH);
            ps.setString(1, tenant);
            ps.setLong(2, after);
            ps.setLong(3, to);
            return readChained(ps, tenant);
        });
    }

    private static List<ChainedEvent> readChained(PreparedStatement ps, String tenant) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        List<String> chainHashes = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(EventRows.read(rs, tenant));
                chainHashes.add(rs.getString(20));
            }
        }
        // event hashes are independent of each other: large pages hash on all cores
        ChainedEvent[] out = new ChainedEvent[events.size()];
        IntStream range = IntStream.range(0, out.length);
        (out.length >= PARALLEL_HASHING ? range.parallel() : range).forEach(i ->
                out[i] = new ChainedEvent(events.get(i), ChainHash.eventHash(events.get(i)), chainHashes.get(i)));
        return Arrays.asList(out);
    }

    /**
     * Recomputes the tenant's chain from genesis through {@code untilLogSeq} (null: the whole log). A log_seq
     * removed by retention links through its tombstone's event hash, and the tombstone's chain hash must be the
     * recomputed one; a missing log_seq without a tombstone breaks the chain.
     */
    public Report verify(String tenant, Long untilLogSeq) {
        String t = EventLog.normalizeTenant(tenant);
        long to = untilLogSeq == null ? Long.MAX_VALUE : untilLogSeq;
        java.util.NavigableMap<Long, Tombstone> removed = tombstones(t, 1, to);
        ChainVerifier v = new ChainVerifier(t, removed);
        // the next page is read while the current one is hashed
        try (java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            ChainVerifier.Page page = ChainVerifier.read(tx, t, 0, to, BATCH);
            while (page.size() > 0) {
                long after = page.lastLogSeq();
                java.util.concurrent.Future<ChainVerifier.Page> next = after < to
                        ? reader.submit(() -> ChainVerifier.read(tx, t, after, to, BATCH))
                        : java.util.concurrent.CompletableFuture.completedFuture(new ChainVerifier.Page(t, 0));
                if (!v.fold(page)) {
                    next.cancel(false); // no interrupt: it would close a Postgres connection mid-read
                    return v.report();
                }
                page = join(next);
            }
        }
        v.finish(untilLogSeq);
        return v.report();
    }

    private static ChainVerifier.Page join(java.util.concurrent.Future<ChainVerifier.Page> next) {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DgErrors.storage("interrupted while reading the chain", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw DgErrors.storage(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /**
     * Fills {@code chain_hash} of rows written before migration V6, per tenant in log_seq order, each
     * tenant in one transaction holding its append lock. Returns the number of rows filled.
     */
    public static long backfill(Database db) {
        if (db.isReadOnly() || db.layout() != Layout.DECISIONGRAPH) {
            return 0;
        }
        AuditChain chain = new AuditChain(db);
        List<String> tenants = db.tx().read(h -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = h.prepare("SELECT DISTINCT tenant_id FROM dg_event_log WHERE chain_hash IS NULL")
                    .executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        long filled = 0;
        for (String tenant : tenants) {
            filled += db.tx().write(h -> chain.backfillTenant(h, tenant));
        }
        return filled;
    }

    private long backfillTenant(Handle h, String tenant) throws SQLException {
        LogAccess.of(dialect, h).lockTenant(tenant);
        long first;
        PreparedStatement min = h.prepare(
                "SELECT MIN(log_seq) FROM dg_event_log WHERE tenant_id = ? AND chain_hash IS NULL");
        min.setString(1, tenant);
        try (ResultSet rs = min.executeQuery()) {
            if (!rs.next() || rs.getObject(1) == null) {
                return 0;
            }
            first = rs.getLong(1);
        }
        String prev = first == 1 ? ChainHash.GENESIS : chainAt(h, tenant, first - 1);
        if (prev == null) {
            throw DgErrors.storage("cannot back-fill the audit chain of tenant '" + tenant + "': log_seq "
                    + (first - 1) + " is missing or unchained", null);
        }
        long cursor = first - 1;
        long filled = 0;
        PreparedStatement select = h.prepare("SELECT " + LIGHT_COLUMNS + " FROM dg_event_log"
                + " WHERE tenant_id = ? AND log_seq > ? ORDER BY log_seq LIMIT " + BATCH);
        PreparedStatement update = h.prepare(
                "UPDATE dg_event_log SET chain_hash = ? WHERE tenant_id = ? AND log_seq = ?");
        while (true) {
            select.setString(1, tenant);
            select.setLong(2, cursor);
            List<StoredEvent> page = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    page.add(EventRows.read(rs, tenant));
                }
            }
            if (page.isEmpty()) {
                return filled;
            }
            for (StoredEvent e : page) {
                prev = ChainHash.next(prev, e);
                update.setString(1, prev);
                update.setString(2, tenant);
                update.setLong(3, e.logSeq());
                update.addBatch();
                cursor = e.logSeq();
                filled++;
            }
            update.executeBatch();
        }
    }
}
