package org.decisiongraph.store.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;

/** The columns of {@code dg_event_log} and their mapping to {@link StoredEvent}. */
final class EventRows {
    private EventRows() {
    }

    /** Every column but the tenant, in the order {@link #read} expects; valid for both layouts. */
    static final String COLUMNS = "log_seq, event_id, trace_id, trace_seq, event_type, occurred_at, recorded_at, "
            + "producer_id, system, subsystem, actor_type, actor_id, correlation_id, causation_event_id, "
            + "idempotency_key, schema_version, payload_json, payload_hash, tags_json";

    static final String INSERT = "INSERT INTO dg_event_log (tenant_id, " + COLUMNS + ", chain_hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** An event ready to insert: the stored event plus its column texts and its audit chain hash. */
    record Row(StoredEvent event, String payloadJson, String tagsJson, String chainHash) {
    }

    /** Reads the current row, selected as {@link #COLUMNS}; payload and tags are parsed back from their text. */
    static StoredEvent read(ResultSet rs, String tenant) throws SQLException {
        String eventId = rs.getString(2);
        String payloadText = rs.getString(17);
        String tagsText = rs.getString(19);
        Json payload;
        List<String> tags;
        try {
            payload = JsonParser.parse(payloadText);
            tags = parseTags(tagsText);
        } catch (DgException | IllegalArgumentException | NullPointerException e) {
            throw new DgException(ErrorCode.DG_ERR_STORAGE,
                    "Failed to deserialize event data for event_id=" + eventId + ": " + e.getMessage(), e);
        }
        EventEnvelope envelope = new EventEnvelope(
                eventId,
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6),
                new Source(rs.getString(8), rs.getString(9), rs.getString(10)),
                new Actor(rs.getString(11), rs.getString(12)),
                rs.getString(15),
                payload,
                rs.getString(13),
                rs.getString(14),
                rs.getLong(16),
                tags);
        return new StoredEvent(tenant, rs.getLong(1), rs.getString(7), rs.getString(18), envelope);
    }

    private static List<String> parseTags(String text) {
        if (text == null) {
            return List.of();
        }
        Json json = JsonParser.parse(text);
        if (!(json instanceof JsonArray array)) {
            throw new IllegalArgumentException("tags_json is not a JSON array");
        }
        List<String> tags = new ArrayList<>(array.size());
        for (Json t : array) {
            if (!(t instanceof JsonString s)) {
                throw new IllegalArgumentException("tags_json holds a non-string tag");
            }
            tags.add(s.value());
        }
        return tags;
    }

    static List<StoredEvent> readAll(ResultSet rs, String tenant) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        while (rs.next()) {
            out.add(read(rs, tenant));
        }
        return out;
    }

    /** Binds {@link #INSERT}'s parameters. */
    static void bindInsert(PreparedStatement ps, Row row) throws SQLException {
        StoredEvent s = row.event();
        EventEnvelope e = s.envelope();
        ps.setString(1, s.tenantId());
        ps.setLong(2, s.logSeq());
        ps.setString(3, e.eventId());
        ps.setString(4, e.traceId());
        ps.setLong(5, e.traceSeq());
        ps.setString(6, e.eventType());
        ps.setString(7, e.occurredAt());
        ps.setString(8, s.recordedAt());
        ps.setString(9, e.source().producerId());
        ps.setString(10, e.source().system());
        setNullable(ps, 11, e.source().subsystem());
        ps.setString(12, e.actor().actorType());
        ps.setString(13, e.actor().actorId());
        setNullable(ps, 14, e.correlationId());
        setNullable(ps, 15, e.causationEventId());
        ps.setString(16, e.idempotencyKey());
        ps.setLong(17, e.schemaVersion());
        ps.setString(18, row.payloadJson());
        ps.setString(19, s.payloadHash());
        ps.setString(20, row.tagsJson());
        ps.setString(21, row.chainHash());
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
