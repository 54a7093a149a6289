package org.decisiongraph.cli.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonWriter;

/**
 * A SQLite file in the layout of the Python reference ({@code dg_event_log} without {@code tenant_id},
 * {@code schema_migrations}, WAL mode), written with plain SQL as the reference would.
 */
final class ReferenceLayoutFile {
    private ReferenceLayoutFile() {
    }

    static void create(Path file, List<EventEnvelope> events, String recordedAt) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        + " applied_at TEXT NOT NULL DEFAULT (datetime('now')))");
                st.execute("CREATE TABLE dg_event_log (log_seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL,"
                        + " trace_id TEXT NOT NULL, trace_seq INTEGER NOT NULL, event_type TEXT NOT NULL,"
                        + " occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, producer_id TEXT NOT NULL,"
                        + " system TEXT NOT NULL, subsystem TEXT NULL, actor_type TEXT NOT NULL, actor_id TEXT NOT NULL,"
                        + " correlation_id TEXT NULL, causation_event_id TEXT NULL, idempotency_key TEXT NOT NULL,"
                        + " schema_version INTEGER NOT NULL, payload_json TEXT NOT NULL, payload_hash TEXT NOT NULL,"
                        + " tags_json TEXT NOT NULL DEFAULT '[]')");
                st.execute("CREATE UNIQUE INDEX idx_event_log_trace_seq ON dg_event_log (trace_id, trace_seq)");
                st.execute("CREATE UNIQUE INDEX idx_event_log_idempotency ON dg_event_log (producer_id, idempotency_key)");
                st.execute("CREATE TABLE dg_projection_meta (projection_name TEXT PRIMARY KEY,"
                        + " last_processed_log_seq INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)");
                st.execute("INSERT INTO schema_migrations (version, name) VALUES (1, 'event_log'), (2, 'projections'),"
                        + " (3, 'policy_eval_index'), (4, 'trace_finished_lock'), (5, 'precedent_index_v2')");
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
                    ps.setString(9, e.source().subsystem());
                    ps.setString(10, e.actor().actorType());
                    ps.setString(11, e.actor().actorId());
                    ps.setString(12, e.correlationId());
                    ps.setString(13, e.causationEventId());
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
}
