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
            StringBuilder cond = new StringBuilder("1 = 1");
            List<Object> condArgs = new ArrayList<>();
            if (filter.workflow() != null) {
                cond.append(" AND s.workflow = ?");
                condArgs.add(filter.workflow());
            }
            if ("running".equals(filter.status())) {
                cond.append(" AND s.outcome IS NULL AND s.finished_at IS NULL");
            } else if ("finished".equals(filter.status())) {
                cond.append(" AND s.finished_at IS NOT NULL");
            } else if (filter.status() != null) {
                cond.append(" AND s.outcome = ?");
                condArgs.add(filter.status());
            }
            if (filter.entityType() != null) {
                cond.append(" AND s.primary_entity_type = ?");
                condArgs.add(filter.entityType());
            }
            if (filter.entityId() != null) {
                cond.append(" AND s.primary_entity_id = ?");
                condArgs.add(filter.entityId());
            }
            if (filter.startedFrom() != null) {
                cond.append(" AND s.started_at >= ?");
                condArgs.add(filter.startedFrom());
            }
            if (filter.startedTo() != null) {
                cond.append(" AND s.started_at < ?");
                condArgs.add(filter.startedTo());
            }
            if (filter.policyId() != null) {
                cond.append(" AND EXISTS (SELECT 1 FROM dg_precedent_index p WHERE p.tenant_id = ? AND p.trace_id = s.trace_id"
                        + " AND p.policy_id = ?)");
                condArgs.add(tenant);
                condArgs.add(filter.policyId());
            }
            if (filter.eventType() != null) {
                // per candidate trace, its own events (tenant, trace_id, trace_seq index); SQLite's planner would
                // otherwise walk every event of that type for each candidate
                cond.append(" AND EXISTS (SELECT 1 FROM dg_event_log e")
                        .append(db.dialect() == org.decisiongraph.store.Dialect.SQLITE ? " INDEXED BY idx_event_log_trace_seq" : "")
                        .append(" WHERE e.tenant_id = ? AND e.trace_id = s.trace_id AND e.event_type = ?)");
                condArgs.add(tenant);
                condArgs.add(filter.eventType());
            }
            // one pass over the window: every window row with its match flag (so the page knows where the window ended)
            String sql = "SELECT s.*, CASE WHEN " + cond + " THEN 1 ELSE 0 END AS hit FROM (" + inner + ") s"
                    + " ORDER BY s.last_log_seq DESC, s.trace_id ASC";
            List<Object> all = new ArrayList<>(condArgs);
            all.addAll(args);
            PreparedStatement ps = h.prepare(sql);
            for (int i = 0; i < all.size(); i++) {
                Object a = all.get(i);
                if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            List<Row> rows = new ArrayList<>();
            long examined = 0;
            Row lastExamined = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11));
                    examined++;
                    lastExamined = row;
                    if (rs.getInt(12) == 1) {
                        rows.add(row);
                        if (rows.size() == limit + 1) {
                            break;
                        }
                    }
                }
            }
            if (rows.size() > limit) {
                Row last = rows.get(limit - 1);
                return new Page(List.copyOf(rows.subList(0, limit)), last.lastLogSeq(), last.traceId(), examined);
            }
            int windowSize = filter.any() ? window : limit + 1;
            if (filter.any() && examined >= windowSize && lastExamined != null) {
                return new Page(rows, lastExamined.lastLogSeq(), lastExamined.traceId(), examined);
            }
            return new Page(rows, null, null, examined);
        });
    }
}
