package org.decisiongraph.store.readmodel;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.store.Database;

/**
 * The console's trace index (platform spec 4.3): trace summaries of a tenant by last activity ({@code last_log_seq DESC,
 * trace_id ASC}, the order of {@code idx_trace_summary_last_seq}) with filters, paged by a keyset cursor. One page reads
 * at most {@code window} index rows whatever the filters match, so a selective filter answers in bounded time with
 * fewer rows and a cursor to continue older.
 */
public final class TraceIndex {
    /** The filters; null members do not filter. {@code status} is {@code running}, {@code finished} or an outcome. */
    public record Filter(String workflow, String status, String eventType, String entityType, String entityId, String policyId,
                         String startedFrom, String startedTo) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null, null, null);

        boolean any() {
            return workflow != null || status != null || eventType != null || entityType != null || entityId != null
                    || policyId != null || startedFrom != null || startedTo != null;
        }
    }

    /** One row of the index. */
    public record Row(String traceId, String workflow, String title, String entityType, String entitySystem, String entityId,
                      String outcome, String startedAt, String finishedAt, long eventCount, long lastLogSeq) {
        /** {@code outcome} if set, else {@code finished} if finished, else {@code running} (platform spec 4.2). */
        public String status() {
            return outcome != null ? outcome : finishedAt != null ? "finished" : "running";
        }
    }

    /** A page: rows, and the position to continue from (null at the end). */
    public record Page(List<Row> rows, Long nextLogSeq, String nextTraceId, long examined) {
    }

    private final Database db;

    public TraceIndex(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Up to {@code limit} rows older than the cursor ({@code afterLogSeq}/{@code afterTraceId}, both null for the
     * newest), examining at most {@code window} summary rows.
     */
    public Page page(String tenant, Filter filter, Long afterLogSeq, String afterTraceId, int limit, int window) {
        return db.tx().read(h -> {
            StringBuilder inner = new StringBuilder("SELECT trace_id, workflow, title, primary_entity_type, primary_entity_system,"
                    + " primary_entity_id, outcome, started_at, finished_at, event_count, last_log_seq FROM dg_trace_summary"
                    + " WHERE tenant_id = ?");
            List<Object> args = new ArrayList<>();
            args.add(tenant);
            if (afterLogSeq != null) {
                inner.append(" AND (last_log_seq < ? OR (last_log_seq = ? AND trace_id > ?))");
                args.add(afterLogSeq);
                args.add(afterLogSeq);
                args.add(afterTraceId == null ? "" : afterTraceId);
            }
            inner.append(" ORDER BY last_log_seq DESC, trace_id ASC LIMIT ?");
            args.add(filter.any() ? window : limit + 1);
            StringBuilder sql = new StringBuilder("SELECT * FROM (").append(inner).append(") s WHERE 1 = 1");
            if (filter.workflow() != null) {
                sql.append(" AND s.workflow = ?");
                args.add(filter.workflow());
            }
            if ("running".equals(filter.status())) {
                sql.append(" AND s.outcome IS NULL AND s.finished_at IS NULL");
            } else if ("finished".equals(filter.status())) {
                sql.append(" AND s.finished_at IS NOT NULL");
            } else if (filter.status() != null) {
                sql.append(" AND s.outcome = ?");
                args.add(filter.status());
            }
            if (filter.entityType() != null) {
                sql.append(" AND s.primary_entity_type = ?");
                args.add(filter.entityType());
            }
            if (filter.entityId() != null) {
                sql.append(" AND s.primary_entity_id = ?");
                args.add(filter.entityId());
            }
            if (filter.startedFrom() != null) {
                sql.append(" AND s.started_at >= ?");
                args.add(filter.startedFrom());
            }
            if (filter.startedTo() != null) {
                sql.append(" AND s.started_at < ?");
                args.add(filter.startedTo());
            }
            if (filter.policyId() != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM dg_precedent_index p WHERE p.tenant_id = ? AND p.trace_id = s.trace_id"
                        + " AND p.policy_id = ?)");
                args.add(tenant);
                args.add(filter.policyId());
            }
            if (filter.eventType() != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM dg_event_log e WHERE e.tenant_id = ? AND e.trace_id = s.trace_id"
                        + " AND e.event_type = ?)");
                args.add(tenant);
                args.add(filter.eventType());
            }
            sql.append(" ORDER BY s.last_log_seq DESC, s.trace_id ASC");
            PreparedStatement ps = h.prepare(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11)));
                }
            }
            if (!filter.any()) {
                if (rows.size() > limit) {
                    Row last = rows.get(limit - 1);
                    return new Page(List.copyOf(rows.subList(0, limit)), last.lastLogSeq(), last.traceId(), limit);
                }
                return new Page(rows, null, null, rows.size());
            }
            // filtered: the window bounds the work; continue after the last row shown, or after the window
            long examinedEnd;
            String examinedEndId;
            boolean windowFull;
            PreparedStatement edge = h.prepare("SELECT last_log_seq, trace_id FROM (" + inner + ") w ORDER BY last_log_seq ASC, trace_id DESC LIMIT 1");
            int n = 1;
            edge.setString(n++, tenant);
            if (afterLogSeq != null) {
                edge.setLong(n++, afterLogSeq);
                edge.setLong(n++, afterLogSeq);
                edge.setString(n++, afterTraceId == null ? "" : afterTraceId);
            }
            edge.setInt(n, window);
            try (ResultSet rs = edge.executeQuery()) {
                if (!rs.next()) {
                    return new Page(List.of(), null, null, 0);
                }
                examinedEnd = rs.getLong(1);
                examinedEndId = rs.getString(2);
            }
            PreparedStatement count = h.prepare("SELECT COUNT(*) FROM (" + inner + ") w");
            n = 1;
            count.setString(n++, tenant);
            if (afterLogSeq != null) {
                count.setLong(n++, afterLogSeq);
                count.setLong(n++, afterLogSeq);
                count.setString(n++, afterTraceId == null ? "" : afterTraceId);
            }
            count.setInt(n, window);
            long examined;
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                examined = rs.getLong(1);
            }
            windowFull = examined >= window;
            if (rows.size() > limit) {
                Row last = rows.get(limit - 1);
                return new Page(List.copyOf(rows.subList(0, limit)), last.lastLogSeq(), last.traceId(), examined);
            }
            return windowFull ? new Page(rows, examinedEnd, examinedEndId, examined) : new Page(rows, null, null, examined);
        });
    }
}
