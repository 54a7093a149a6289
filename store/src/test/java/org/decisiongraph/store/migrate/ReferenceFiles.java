package org.decisiongraph.store.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonWriter;

/**
 * Builds a SQLite file in the layout the Python reference writes (core spec 6: migrations 0001-0005,
 * {@code schema_migrations}, WAL mode), with plain SQL, and fills it with events in the reference's
 * column formats. Stands in for a file written by {@code python -m decisiongraph}.
 */
public final class ReferenceFiles {
    private ReferenceFiles() {
    }

    private static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (datetime('now')))""",
            """
            CREATE TABLE dg_event_log (
                log_seq INTEGER PRIMARY KEY,
                event_id TEXT UNIQUE NOT NULL,
                trace_id TEXT NOT NULL,
                trace_seq INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                producer_id TEXT NOT NULL,
                system TEXT NOT NULL,
                subsystem TEXT NULL,
                actor_type TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                correlation_id TEXT NULL,
                causation_event_id TEXT NULL,
                idempotency_key TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                payload_json TEXT NOT NULL,
                payload_hash TEXT NOT NULL,
                tags_json TEXT NOT NULL DEFAULT '[]')""",
            "CREATE UNIQUE INDEX idx_event_log_trace_seq ON dg_event_log (trace_id, trace_seq)",
            "CREATE UNIQUE INDEX idx_event_log_idempotency ON dg_event_log (producer_id, idempotency_key)",
            "CREATE INDEX idx_event_log_event_type ON dg_event_log (event_type)",
            "CREATE INDEX idx_event_log_correlation_id ON dg_event_log (correlation_id) WHERE correlation_id IS NOT NULL",
            "CREATE INDEX idx_event_log_trace_id ON dg_event_log (trace_id)",
            """
            CREATE TABLE dg_cg_nodes (node_id TEXT PRIMARY KEY, node_type TEXT NOT NULL, trace_id TEXT NOT NULL,
                log_seq INTEGER NOT NULL, created_at TEXT NOT NULL, metadata_json TEXT NOT NULL DEFAULT '{}')""",
            """
            CREATE TABLE dg_cg_edges (edge_id TEXT PRIMARY KEY, edge_type TEXT NOT NULL,
                from_node_id TEXT NOT NULL REFERENCES dg_cg_nodes(node_id),
                to_node_id TEXT NOT NULL REFERENCES dg_cg_nodes(node_id), trace_id TEXT NOT NULL,
                log_seq INTEGER NOT NULL, created_at TEXT NOT NULL, metadata_json TEXT NOT NULL DEFAULT '{}')""",
            """
            CREATE TABLE dg_trace_summary (trace_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, title TEXT NOT NULL,
                primary_entity_type TEXT NULL, primary_entity_id TEXT NULL, outcome TEXT NULL,
                started_at TEXT NOT NULL, finished_at TEXT NULL, event_count INTEGER NOT NULL DEFAULT 0,
                last_log_seq INTEGER NOT NULL)""",
            """
            CREATE TABLE dg_projection_meta (projection_name TEXT PRIMARY KEY,
                last_processed_log_seq INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)""",
            """
            CREATE TABLE dg_policy_eval_index (index_id TEXT PRIMARY KEY,
                trace_id TEXT NOT NULL REFERENCES dg_trace_summary(trace_id), policy_id TEXT NOT NULL,
                policy_version TEXT NOT NULL, log_seq INTEGER NOT NULL, created_at TEXT NOT NULL)""",
            """
            CREATE TRIGGER dg_block_events_after_finish BEFORE INSERT ON dg_event_log
            WHEN NEW.event_type <> 'TraceFinished' AND EXISTS (SELECT 1 FROM dg_event_log
                WHERE trace_id = NEW.trace_id AND event_type = 'TraceFinished')
            BEGIN SELECT RAISE(ABORT, 'trace_finished'); END""",
            """
            CREATE TABLE dg_precedent_index (source_event_id TEXT PRIMARY KEY, log_seq INTEGER NOT NULL,
                trace_id TEXT NOT NULL REFERENCES dg_trace_summary(trace_id), policy_id TEXT NOT NULL,
                policy_version TEXT NOT NULL, exception_id TEXT NULL, primary_entity_type TEXT NULL,
                primary_entity_system TEXT NULL, primary_entity_id TEXT NULL)""",
            "INSERT INTO schema_migrations (version, name) VALUES (1, 'event_log'), (2, 'projections'),"
                    + " (3, 'policy_eval_index'), (4, 'trace_finished_lock'), (5, 'precedent_index_v2')",
            "INSERT INTO dg_projection_meta (projection_name, last_processed_log_seq, updated_at)"
                    + " VALUES ('context_graph', 0, '2026-03-01T12:00:00.000000Z')");

    /** Creates {@code file} in the reference layout (WAL mode, like the reference) with {@code events}, log_seq 1..N. */
    public static void create(Path file, List<EventEnvelope> events, String recordedAt) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                for (String sql : DDL) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dg_event_log (event_id, trace_id, trace_seq,"
                    + " event_type, occurred_at, recorded_at, producer_id, system, subsystem, actor_type, actor_id,"
                    + " correlation_id, causation_event_id, idempotency_key, schema_version, payload_json,"
                    + " payload_hash, tags_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EventEnvelope e : events) {
                    ps.setString(1, e.eventId());
                    ps.setString(2, e.traceId());
                    ps.setLong(3, e.traceSeq());
                    ps.setString(4, e.eventType());
                    ps.setString(5, e.occurredAt());
                    ps.setString(6, recordedAt);
                    ps.setString(7, e.source().producerId());
                    ps.setString(8, e.source().system());
                    setNullable(ps, 9, e.source().subsystem());
                    ps.setString(10, e.actor().actorType());
                    ps.setString(11, e.actor().actorId());
                    setNullable(ps, 12, e.correlationId());
                    setNullable(ps, 13, e.causationEventId());
                    ps.setString(14, e.idempotencyKey());
                    ps.setLong(15, e.schemaVersion());
                    ps.setString(16, JsonWriter.pythonStorage(e.payload()));
                    ps.setString(17, Hashing.payloadHash(e.payload()));
                    ps.setString(18, JsonWriter.pythonStorage(Json.strings(e.tags())));
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
