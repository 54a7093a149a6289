package org.decisiongraph.store.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.sql.Handle;

/**
 * The reads and writes of one append transaction, for one dialect. SQLite runs in-process, so it looks
 * rows up one at a time with cached statements; Postgres answers each question for a whole batch in one
 * round trip (arrays and {@code unnest}).
 */
abstract sealed class LogAccess permits LogAccess.Sqlite, LogAccess.Postgres {
    /** Advisory-lock namespace of tenant append locks ("DG" + 1), so other lock families never collide. */
    static final int APPEND_LOCK_NAMESPACE = 0x4447_0001;

    record IdemKey(String producerId, String key) {
    }

    /** The last event of a trace: its {@code trace_seq} and whether it finished the trace. */
    record TraceHead(long lastSeq, boolean finished) {
    }

    final Handle h;

    LogAccess(Handle h) {
        this.h = h;
    }

    static LogAccess of(Dialect dialect, Handle h) {
        return dialect == Dialect.SQLITE ? new Sqlite(h) : new Postgres(h);
    }

    /** Serialises appends of the tenant until the transaction ends. */
    abstract void lockTenant(String tenant) throws SQLException;

    abstract Map<IdemKey, StoredEvent> byIdempotencyKeys(String tenant, Collection<IdemKey> keys) throws SQLException;

    abstract Map<String, TraceHead> traceHeads(String tenant, Collection<String> traceIds) throws SQLException;

    abstract Set<String> existingEventIds(String tenant, Collection<String> eventIds) throws SQLException;

    /** The tenant's last event: its {@code log_seq} and {@code chain_hash} (0 and the genesis when empty). */
    record Head(long logSeq, String chainHash) {
    }

    Head head(String tenant) throws SQLException {
        PreparedStatement ps = h.prepare(
                "SELECT log_seq, chain_hash FROM dg_event_log WHERE tenant_id = ? ORDER BY log_seq DESC LIMIT 1");
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Head(0, ChainHash.GENESIS);
            }
            long seq = rs.getLong(1);
            String chain = rs.getString(2);
            if (chain == null) {
                throw DgErrors.storage("dg_event_log row log_seq=" + seq + " of tenant '" + tenant
                        + "' has no chain_hash (the audit chain back-fill has not run)", null);
            }
            return new Head(seq, chain);
        }
    }

    void insertBatch(List<EventRows.Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement ps = h.prepare(EventRows.INSERT);
        if (rows.size() == 1) {
            EventRows.bindInsert(ps, rows.get(0));
            ps.executeUpdate();
            return;
        }
        for (EventRows.Row row : rows) {
            EventRows.bindInsert(ps, row);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    void insertOne(EventRows.Row row) throws SQLException {
        PreparedStatement ps = h.prepare(EventRows.INSERT);
        EventRows.bindInsert(ps, row);
        ps.executeUpdate();
    }

    static final class Sqlite extends LogAccess {
        Sqlite(Handle h) {
            super(h);
        }

        @Override
        void lockTenant(String tenant) {
            // BEGIN IMMEDIATE already holds the database's single write lock
        }

        /*
         * A batch's lookups go to SQLite as one statement each: the keys, trace ids or event ids as a JSON array,
         * unpacked by json_each and joined with the log's unique indexes, so a batch of 1000 costs one statement
         * and answers only the rows that exist (the usual answer is none), where one probe per value cost a
         * statement execution and a result set each, all while the database's single write lock is held. A single
         * value, or a value JSON text cannot carry through SQLite unchanged (NUL, unpaired surrogates), is probed
         * on its own. json_each stays the outer loop of each plan (EXISTS, or CROSS JOIN, which SQLite never
         * reorders): with the log as the outer loop a join scans the tenant's whole log.
         */

        /** The values as a JSON array for json_each, or null when one of them must be probed on its own. */
        private static String jsonArray(List<? extends Json> values) {
            if (values.size() < 2) {
                return null;
            }
            for (Json v : values) {
                if (!safe(v)) {
                    return null;
                }
            }
            return JsonWriter.canonical(Json.array(values));
        }

        /** {@link #jsonArray} of strings. */
        private static String jsonStrings(List<String> values) {
            return jsonArray(values.stream().map(v -> (Json) Json.of(v)).toList());
        }

        /** Runs a json_each statement ({@code ?1} the tenant, {@code ?2} the JSON array) and hands over each row. */
        private void eachRow(String sql, String tenant, String json, RowAction action) throws SQLException {
            PreparedStatement ps = h.prepare(sql);
            ps.setString(1, tenant);
            ps.setString(2, json);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    action.accept(rs);
                }
            }
        }

        private interface RowAction {
            void accept(ResultSet rs) throws SQLException;
        }

        private static boolean safe(Json v) {
            if (v instanceof JsonArray a) {
                return a.items().stream().allMatch(Sqlite::safe);
            }
            String s = ((JsonString) v).value();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0 || Character.isSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        Map<IdemKey, StoredEvent> byIdempotencyKeys(String tenant, Collection<IdemKey> keys) throws SQLException {
            List<IdemKey> list = List.copyOf(keys);
            List<IdemKey> hits = new ArrayList<>();
            String json = jsonArray(list.stream().map(k -> (Json) Json.strings(List.of(k.producerId(), k.key()))).toList());
            if (json != null) {
                eachRow("SELECT j.key FROM json_each(?2) AS j WHERE EXISTS (SELECT 1 FROM dg_event_log e"
                        + " WHERE e.tenant_id = ?1 AND e.producer_id = json_extract(j.value, '$[0]')"
                        + " AND e.idempotency_key = json_extract(j.value, '$[1]'))", tenant, json,
                        rs -> hits.add(list.get(rs.getInt(1))));
            } else {
                PreparedStatement probe = h.prepare(
                        "SELECT log_seq FROM dg_event_log WHERE tenant_id = ? AND producer_id = ? AND idempotency_key = ?");
                for (IdemKey k : list) {
                    probe.setString(1, tenant);
                    probe.setString(2, k.producerId());
                    probe.setString(3, k.key());
                    try (ResultSet rs = probe.executeQuery()) {
                        if (rs.next()) {
                            hits.add(k);
                        }
                    }
                }
            }
            Map<IdemKey, StoredEvent> found = new HashMap<>();
            if (hits.isEmpty()) {
                return found;
            }
            PreparedStatement ps = h.prepare("SELECT " + EventRows.COLUMNS
                    + " FROM dg_event_log WHERE tenant_id = ? AND producer_id = ? AND idempotency_key = ?");
            for (IdemKey k : hits) {
                ps.setString(1, tenant);
                ps.setString(2, k.producerId());
                ps.setString(3, k.key());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found.put(k, EventRows.read(rs, tenant));
                    }
                }
            }
            return found;
        }

        @Override
        Map<String, TraceHead> traceHeads(String tenant, Collection<String> traceIds) throws SQLException {
            List<String> list = List.copyOf(traceIds);
            Map<String, TraceHead> heads = new HashMap<>();
            String json = jsonStrings(list);
            if (json != null) {
                eachRow("SELECT j.key, e.trace_seq, e.event_type FROM json_each(?2) AS j"
                        + " CROSS JOIN dg_event_log e ON e.tenant_id = ?1 AND e.trace_id = j.value AND e.trace_seq ="
                        + " (SELECT MAX(m.trace_seq) FROM dg_event_log m WHERE m.tenant_id = ?1 AND m.trace_id = j.value)",
                        tenant, json, rs -> heads.put(list.get(rs.getInt(1)),
                                new TraceHead(rs.getLong(2), "TraceFinished".equals(rs.getString(3)))));
                return heads;
            }
            PreparedStatement ps = h.prepare("SELECT trace_seq, event_type FROM dg_event_log"
                    + " WHERE tenant_id = ? AND trace_id = ? ORDER BY trace_seq DESC LIMIT 1");
            for (String traceId : list) {
                ps.setString(1, tenant);
                ps.setString(2, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        heads.put(traceId, new TraceHead(rs.getLong(1), "TraceFinished".equals(rs.getString(2))));
                    }
                }
            }
            return heads;
        }

        @Override
        Set<String> existingEventIds(String tenant, Collection<String> eventIds) throws SQLException {
            List<String> list = List.copyOf(eventIds);
            Set<String> found = new HashSet<>();
            String json = jsonStrings(list);
            if (json != null) {
                eachRow("SELECT j.key FROM json_each(?2) AS j WHERE EXISTS"
                        + " (SELECT 1 FROM dg_event_log e WHERE e.tenant_id = ?1 AND e.event_id = j.value)", tenant, json,
                        rs -> found.add(list.get(rs.getInt(1))));
                return found;
            }
            PreparedStatement ps = h.prepare("SELECT 1 FROM dg_event_log WHERE tenant_id = ? AND event_id = ?");
            for (String id : list) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found.add(id);
                    }
                }
            }
            return found;
        }
    }

    static final class Postgres extends LogAccess {
        Postgres(Handle h) {
            super(h);
        }

        @Override
        void lockTenant(String tenant) throws SQLException {
            PreparedStatement ps = h.prepare("SELECT pg_advisory_xact_lock(?, hashtext(?))");
            ps.setInt(1, APPEND_LOCK_NAMESPACE);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }

        @Override
        Map<IdemKey, StoredEvent> byIdempotencyKeys(String tenant, Collection<IdemKey> keys) throws SQLException {
            Map<IdemKey, StoredEvent> found = new HashMap<>();
            if (keys.isEmpty()) {
                return found;
            }
            String[] producers = new String[keys.size()];
            String[] idem = new String[keys.size()];
            int i = 0;
            for (IdemKey k : keys) {
                producers[i] = k.producerId();
                idem[i++] = k.key();
            }
            PreparedStatement ps = h.prepare("SELECT " + prefixed("e.")
                    + " FROM unnest(?::text[], ?::text[]) AS k(p, ik)"
                    + " JOIN dg_event_log e ON e.tenant_id = ? AND e.producer_id = k.p AND e.idempotency_key = k.ik");
            ps.setArray(1, h.connection().createArrayOf("text", producers));
            ps.setArray(2, h.connection().createArrayOf("text", idem));
            ps.setString(3, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredEvent s = EventRows.read(rs, tenant);
                    found.put(new IdemKey(s.source().producerId(), s.idempotencyKey()), s);
                }
            }
            return found;
        }

        @Override
        Map<String, TraceHead> traceHeads(String tenant, Collection<String> traceIds) throws SQLException {
            Map<String, TraceHead> heads = new HashMap<>();
            if (traceIds.isEmpty()) {
                return heads;
            }
            PreparedStatement ps = h.prepare("SELECT t.id, l.trace_seq, l.event_type FROM unnest(?::text[]) AS t(id)"
                    + " CROSS JOIN LATERAL (SELECT trace_seq, event_type FROM dg_event_log"
                    + " WHERE tenant_id = ? AND trace_id = t.id ORDER BY trace_seq DESC LIMIT 1) l");
            ps.setArray(1, h.connection().createArrayOf("text", traceIds.toArray(String[]::new)));
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new TraceHead(rs.getLong(2), "TraceFinished".equals(rs.getString(3))));
                }
            }
            return heads;
        }

        @Override
        Set<String> existingEventIds(String tenant, Collection<String> eventIds) throws SQLException {
            Set<String> found = new HashSet<>();
            if (eventIds.isEmpty()) {
                return found;
            }
            PreparedStatement ps = h.prepare(
                    "SELECT event_id FROM dg_event_log WHERE tenant_id = ? AND event_id = ANY(?::text[])");
            ps.setString(1, tenant);
            ps.setArray(2, h.connection().createArrayOf("text", eventIds.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }

        private static String prefixed(String alias) {
            StringBuilder sb = new StringBuilder();
            for (String c : EventRows.COLUMNS.split(", ")) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(alias).append(c);
            }
            return sb.toString();
        }
    }
}
