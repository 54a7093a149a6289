package org.decisiongraph.store.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.validate.EventValidator;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Tx;

/**
 * {@link EventLog} on SQLite or Postgres. On a reference-layout file (no {@code tenant_id} column) every
 * event belongs to tenant {@code default} and the other tenants are empty.
 */
final class SqlEventLog implements EventLog {
    private final EventTypeSet types;
    private final Tx tx;
    private final boolean tenantColumn;
    private final boolean hasTable;
    private final AppendPipeline pipeline;
    private final AppendCombiner combiner;

    SqlEventLog(Database db, EventTypeSet types, Clock clock) {
        Objects.requireNonNull(db, "db");
        this.types = Objects.requireNonNull(types, "types");
        this.tx = db.tx();
        this.tenantColumn = db.layout() != Layout.REFERENCE;
        this.hasTable = db.layout() != Layout.EMPTY;
        this.pipeline = new AppendPipeline(new EventValidator(types), clock, db.config().maxPayloadBytes(), tx,
                db.dialect());
        this.combiner = new AppendCombiner(pipeline);
    }

    @Override
    public EventTypeSet eventTypes() {
        return types;
    }

    @Override
    public AppendOutcome append(String tenant, EventEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        String t = EventLog.normalizeTenant(tenant);
        if (!tenantColumn) {
            throw DgErrors.storage("attempt to write a readonly database", null);
        }
        AppendOutcome outcome = combiner.append(t, envelope);
        if (outcome instanceof AppendOutcome.Rejected r) {
            throw r.error();
        }
        return outcome;
    }

    @Override
    public List<AppendOutcome> appendBatch(String tenant, List<EventEnvelope> envelopes, boolean stopAtFirstRejection) {
        String t = EventLog.normalizeTenant(tenant);
        Objects.requireNonNull(envelopes, "envelopes");
        if (envelopes.isEmpty()) {
            return List.of();
        }
        if (!tenantColumn) {
            throw DgErrors.storage("attempt to write a readonly database", null);
        }
        return pipeline.append(t, envelopes, stopAtFirstRejection);
    }

    // --- reads ------------------------------------------------------------------------------------

    /** A query's SQL and parameters, with the tenant predicate only where the layout has tenants. */
    private final class Select {
        private final StringBuilder sql;
        private final List<Object> params = new ArrayList<>();

        Select(String head, String tenant) {
            sql = new StringBuilder(head).append(" WHERE 1 = 1");
            if (tenantColumn) {
                sql.append(" AND tenant_id = ?");
                params.add(tenant);
            }
        }

        Select and(String predicate, Object value) {
            sql.append(" AND ").append(predicate);
            params.add(value);
            return this;
        }

        Select tail(String text) {
            sql.append(' ').append(text);
            return this;
        }

        Select limit(Integer limit) {
            if (limit != null) {
                sql.append(" LIMIT ?");
                params.add(limit);
            }
            return this;
        }

        PreparedStatement bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                Object v = params.get(i);
                if (v instanceof String s) {
                    ps.setString(i + 1, s);
                } else if (v instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setLong(i + 1, (Long) v);
                }
            }
            return ps;
        }

        List<StoredEvent> events(String tenant) {
            return tx.read(h -> {
                try (ResultSet rs = bind(h.prepare(sql.toString())).executeQuery()) {
                    return EventRows.readAll(rs, tenant);
                }
            });
        }

        long number() {
            return tx.read(h -> {
                try (ResultSet rs = bind(h.prepare(sql.toString())).executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            });
        }
    }

    /** Null when the tenant has nothing here (other tenants of a reference-layout file, or no table yet). */
    private String readableTenant(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        if (!hasTable) {
            throw DgErrors.storage("no such table: dg_event_log", null);
        }
        return !tenantColumn && !DEFAULT_TENANT.equals(t) ? null : t;
    }

    @Override
    public List<StoredEvent> traceEvents(String tenant, String traceId, Long sinceTraceSeq, Integer limit) {
        Objects.requireNonNull(traceId, "traceId");
        if (sinceTraceSeq != null && sinceTraceSeq < 0) {
            throw DgErrors.negativeTraceSeq(sinceTraceSeq);
        }
        if (limit != null) {
            EventLog.checkLimit(limit);
        }
        String t = readableTenant(tenant);
        if (t == null) {
            return List.of();
        }
        Select s = new Select("SELECT " + EventRows.COLUMNS + " FROM dg_event_log", t).and("trace_id = ?", traceId);
        if (sinceTraceSeq != null) {
            s.and("trace_seq > ?", sinceTraceSeq);
        }
        return s.tail("ORDER BY trace_seq ASC").limit(limit).events(t);
    }

    @Override
    public List<StoredEvent> listEvents(String tenant, EventQuery query) {
        Objects.requireNonNull(query, "query");
        String t = readableTenant(tenant);
        if (t == null) {
            return List.of();
        }
        Select s = new Select("SELECT " + EventRows.COLUMNS + " FROM dg_event_log", t);
        if (query.sinceLogSeq() != null) {
            s.and("log_seq > ?", query.sinceLogSeq());
        }
        if (query.untilLogSeq() != null) {
            s.and("log_seq <= ?", query.untilLogSeq());
        }
        if (query.eventType() != null) {
            s.and("event_type = ?", query.eventType());
        }
        if (query.traceId() != null) {
            s.and("trace_id = ?", query.traceId());
        }
        return s.tail("ORDER BY log_seq ASC").limit(query.limit()).events(t);
    }

    @Override
    public Iterable<List<StoredEvent>> batches(String tenant, long sinceLogSeq, Long untilLogSeq, int batchSize) {
        if (batchSize <= 0) {
            throw DgErrors.batchSizeNotPositive();
        }
        String t = EventLog.normalizeTenant(tenant);
        EventQuery first = new EventQuery(sinceLogSeq, untilLogSeq, null, null, null);
        return () -> new Iterator<>() {
            private long cursor = first.sinceLogSeq();
            private List<StoredEvent> next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    if (untilLogSeq != null && cursor >= untilLogSeq) {
                        done = true;
                    } else {
                        List<StoredEvent> page = listPage(t, cursor, untilLogSeq, batchSize);
                        if (page.isEmpty()) {
                            done = true;
                        } else {
                            next = page;
                            cursor = page.get(page.size() - 1).logSeq();
                        }
                    }
                }
                return next != null;
            }

            @Override
            public List<StoredEvent> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<StoredEvent> page = next;
                next = null;
                return page;
            }
        };
    }

    private List<StoredEvent> listPage(String tenant, long since, Long until, int batchSize) {
        String t = readableTenant(tenant);
        if (t == null) {
            return List.of();
        }
        Select s = new Select("SELECT " + EventRows.COLUMNS + " FROM dg_event_log", t).and("log_seq > ?", since);
        if (until != null) {
            s.and("log_seq <= ?", until);
        }
        return s.tail("ORDER BY log_seq ASC").limit(batchSize).events(t);
    }

    @Override
    public long lastLogSeq(String tenant) {
        String t = readableTenant(tenant);
        return t == null ? 0 : new Select("SELECT MAX(log_seq) FROM dg_event_log", t).number();
    }

    @Override
    public String redactedPayloadHash(String tenant, long logSeq) {
        String t = readableTenant(tenant);
        if (t == null || !tenantColumn) {
            return null;
        }
        return tx.read(h -> {
            if (!AuditChain.hasTable(h, "dg_redactions")) {
                return null;
            }
            java.sql.PreparedStatement ps = h.prepare("SELECT after_payload_hash FROM dg_redactions"
                    + " WHERE tenant_id = ? AND log_seq = ? ORDER BY seq DESC LIMIT 1");
            ps.setString(1, t);
            ps.setLong(2, logSeq);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public boolean isTraceFinished(String tenant, String traceId) {
        Objects.requireNonNull(traceId, "traceId");
        String t = readableTenant(tenant);
        return t != null && new Select("SELECT COUNT(*) FROM (SELECT 1 FROM dg_event_log", t)
                .and("trace_id = ?", traceId).tail("AND event_type = 'TraceFinished' LIMIT 1) f").number() > 0;
    }

    @Override
    public long nextTraceSeq(String tenant, String traceId) {
        Objects.requireNonNull(traceId, "traceId");
        String t = readableTenant(tenant);
        if (t == null) {
            return 0;
        }
        return new Select("SELECT COALESCE(MAX(trace_seq) + 1, 0) FROM dg_event_log", t)
                .and("trace_id = ?", traceId).number();
    }

    @Override
    public long eventCount(String tenant) {
        String t = readableTenant(tenant);
        return t == null ? 0 : new Select("SELECT COUNT(*) FROM dg_event_log", t).number();
    }

    @Override
    public long traceCount(String tenant) {
        String t = readableTenant(tenant);
        return t == null ? 0 : new Select("SELECT COUNT(DISTINCT trace_id) FROM dg_event_log", t).number();
    }
}
