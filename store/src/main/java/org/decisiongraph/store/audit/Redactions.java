package org.decisiongraph.store.audit;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.Tx;

/**
 * Redaction of one payload value (docs/OPERATIONS.md, "Redaction"): the value at a path of an event's payload is
 * replaced by {@link #MARKER}. The event's {@code payload_hash} and {@code chain_hash} stay as appended (the chain
 * commits to the payload only through its hash), and a {@code dg_redactions} record, itself hashed and entered in
 * the tenant's tamper-evident audit log, links the original payload hash to the hash of the redacted payload.
 * Verification ({@link #verify}) accepts a payload that does not hash to its {@code payload_hash} exactly when
 * the event's redaction records form an unbroken sequence from that hash to the stored payload's hash.
 */
public final class Redactions {
    /** The value a redacted field holds afterwards. */
    public static final String MARKER = "[REDACTED]";
    /** The audit log action of a redaction. */
    public static final String AUDIT_ACTION = "event.redact";

    /** One stored redaction record. */
    public record Redaction(String redactionId, String tenantId, long logSeq, long seq, String eventId, String fieldPath,
                            String reason, String actorId, String redactedAt, String originalPayloadHash,
                            String beforePayloadHash, String afterPayloadHash, String valueCommitment,
                            String recordHash, long auditId) {

        /** The hashed members: every column but {@code record_hash} and {@code audit_id}. */
        public JsonObject hashedMembers() {
            return JsonObject.builder()
                    .put("redaction_id", redactionId)
                    .put("tenant_id", tenantId)
                    .put("log_seq", logSeq)
                    .put("seq", seq)
                    .put("event_id", eventId)
                    .put("field_path", fieldPath)
                    .put("reason", reason)
                    .put("actor_id", actorId)
                    .put("redacted_at", redactedAt)
                    .put("original_payload_hash", originalPayloadHash)
                    .put("before_payload_hash", beforePayloadHash)
                    .put("after_payload_hash", afterPayloadHash)
                    .put("value_commitment", valueCommitment)
                    .build();
        }

        /** {@code sha256:} + hex of SHA-256 over the canonical JSON of {@link #hashedMembers}. */
        public String computeRecordHash() {
            return Hashing.sha256(JsonWriter.canonical(hashedMembers()));
        }

        public JsonObject toJson() {
            return hashedMembers().with("record_hash", Json.of(recordHash)).with("audit_id", Json.of(auditId));
        }
    }

    /** A new redaction and the salt of its value commitment (shown once, never stored). */
    public record Result(Redaction redaction, String salt) {
        public JsonObject toJson() {
            return redaction.toJson().with("value_salt", Json.of(salt));
        }
    }

    /** Who asks for the redaction (the audit row's actor). */
    public record Actor(String kind, String id, List<String> roles, String requestId) {
        public Actor {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            roles = List.copyOf(roles);
        }
    }

    private final Database db;
    private final Tx tx;
    private final AuditChain chain;
    private final AccessStore access;
    private final IdGenerator ids;
    private final SecureRandom random;

    public Redactions(Database db, IdGenerator ids, SecureRandom random) {
        this.db = Objects.requireNonNull(db, "db");
        if (db.layout() != Layout.DECISIONGRAPH) {
            throw DgErrors.invalidArgument("the database has no redactions (layout " + db.layout() + ")");
        }
        this.tx = db.tx();
        this.chain = AuditChain.of(db);
        this.access = new AccessStore(db);
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Replaces the value at {@code fieldPath} (top-level member name, or names joined by {@code .} into nested
     * objects) of the event's payload by {@link #MARKER}, in one transaction holding the tenant's append lock:
     * the redaction record, its audit row and the payload update commit together.
     */
    public Result redact(String tenant, String eventId, String fieldPath, String reason, Actor actor, Instant now) {
        String t = EventLog.normalizeTenant(tenant);
        if (eventId == null || eventId.isBlank()) {
            throw DgErrors.invalidArgument("event_id is required");
        }
        List<String> path = parsePath(fieldPath);
        if (reason == null || reason.isBlank()) {
            throw DgErrors.invalidArgument("a reason is required for a redaction");
        }
        Objects.requireNonNull(actor, "actor");
        return tx.write(h -> {
            chain.lockTenant(h, t);
            PreparedStatement ps = h.prepare("SELECT log_seq, payload_json, payload_hash FROM dg_event_log"
                    + " WHERE tenant_id = ? AND event_id = ?");
            ps.setString(1, t);
            ps.setString(2, eventId);
            long logSeq;
            String payloadText;
            String payloadHash;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DgException(ErrorCode.DG_ERR_NOT_FOUND,
                            "event '" + eventId + "' not found in tenant '" + t + "'");
                }
                logSeq = rs.getLong(1);
                payloadText = rs.getString(2);
                payloadHash = rs.getString(3);
            }
            List<Redaction> earlier = forEvent(h, t, logSeq);
            String before = earlier.isEmpty() ? payloadHash : earlier.getLast().afterPayloadHash();
            Json payload = JsonParser.parse(payloadText);
            String current = Hashing.payloadHash(payload);
            if (!current.equals(before)) {
                throw new DgException(ErrorCode.DG_ERR_CONFLICT, "the stored payload of event '" + eventId
                        + "' hashes to " + current + ", expected " + before + "; run dg verify before redacting");
            }
            Json value = valueAt(payload, path, fieldPath);
            if (value.equals(new JsonString(MARKER))) {
                throw new DgException(ErrorCode.DG_ERR_CONFLICT,
                        "field '" + fieldPath + "' of event '" + eventId + "' is already redacted");
            }
            Json redacted = replaced(payload, path, 0);
            String after = Hashing.payloadHash(redacted);
            byte[] saltBytes = new byte[16];
            random.nextBytes(saltBytes);
            String salt = HexFormat.of().formatHex(saltBytes);
            String commitment = Hashing.sha256(JsonWriter.canonical(
                    JsonObject.builder().put("salt", salt).put("value", value).build()));
            Redaction draft = new Redaction("red-" + ids.newId(), t, logSeq, earlier.size() + 1L, eventId, fieldPath,
                    reason, actor.id(), Timestamps.toRfc3339(now), payloadHash, before, after, commitment, null, 0);
            String recordHash = draft.computeRecordHash();
            AuditEntry audit = access.appendAudit(h, new AuditRecord(t, now, actor.kind(), actor.id(), actor.roles(),
                    AUDIT_ACTION, "event", eventId, "accepted", reason, null, actor.requestId(), null,
                    JsonObject.builder()
                            .put("redaction_id", draft.redactionId())
                            .put("record_hash", recordHash)
                            .put("log_seq", logSeq)
                            .put("field_path", fieldPath)
                            .put("after_payload_hash", after)
                            .build()));
            Redaction r = new Redaction(draft.redactionId(), t, logSeq, draft.seq(), eventId, fieldPath, reason,
                    actor.id(), draft.redactedAt(), payloadHash, before, after, commitment, recordHash, audit.auditId());
            insert(h, r);
            PreparedStatement update = h.prepare(
                    "UPDATE dg_event_log SET payload_json = ? WHERE tenant_id = ? AND log_seq = ?");
            update.setString(1, JsonWriter.pythonStorage(redacted));
            update.setString(2, t);
            update.setLong(3, logSeq);
            update.executeUpdate();
            return new Result(r, salt);
        });
    }

    private static List<String> parsePath(String fieldPath) {
        if (fieldPath == null || fieldPath.isEmpty()) {
            throw DgErrors.invalidArgument("a field path is required");
        }
        List<String> parts = List.of(fieldPath.split("\\.", -1));
        for (String p : parts) {
            if (p.isEmpty()) {
                throw DgErrors.invalidArgument("invalid field path '" + fieldPath + "'");
            }
        }
        return parts;
    }

    private static Json valueAt(Json payload, List<String> path, String fieldPath) {
        Json at = payload;
        for (String name : path) {
            if (!(at instanceof JsonObject o) || !o.has(name)) {
                throw DgErrors.invalidArgument("field '" + fieldPath + "' not found in the payload");
            }
            at = o.get(name);
        }
        return at;
    }

    private static Json replaced(Json at, List<String> path, int depth) {
        JsonObject o = (JsonObject) at;
        String name = path.get(depth);
        Json next = depth == path.size() - 1 ? new JsonString(MARKER) : replaced(o.get(name), path, depth + 1);
        return o.with(name, next);
    }

    private static void insert(Handle h, Redaction r) throws SQLException {
        PreparedStatement ps = h.prepare("INSERT INTO dg_redactions (redaction_id, tenant_id, log_seq, seq, event_id,"
                + " field_path, reason, actor_id, redacted_at, original_payload_hash, before_payload_hash,"
                + " after_payload_hash, value_commitment, record_hash, audit_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, r.redactionId());
        ps.setString(2, r.tenantId());
        ps.setLong(3, r.logSeq());
        ps.setLong(4, r.seq());
        ps.setString(5, r.eventId());
        ps.setString(6, r.fieldPath());
        ps.setString(7, r.reason());
        ps.setString(8, r.actorId());
        ps.setString(9, r.redactedAt());
        ps.setString(10, r.originalPayloadHash());
        ps.setString(11, r.beforePayloadHash());
        ps.setString(12, r.afterPayloadHash());
        ps.setString(13, r.valueCommitment());
        ps.setString(14, r.recordHash());
        ps.setLong(15, r.auditId());
        ps.executeUpdate();
    }

    private static final String COLUMNS = "redaction_id, tenant_id, log_seq, seq, event_id, field_path, reason, actor_id,"
            + " redacted_at, original_payload_hash, before_payload_hash, after_payload_hash, value_commitment,"
            + " record_hash, audit_id";

    private static Redaction read(ResultSet rs) throws SQLException {
        return new Redaction(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getLong(15));
    }

    private static List<Redaction> forEvent(Handle h, String tenant, long logSeq) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT " + COLUMNS + " FROM dg_redactions WHERE tenant_id = ? AND log_seq = ?"
                + " ORDER BY seq");
        ps.setString(1, tenant);
        ps.setLong(2, logSeq);
        List<Redaction> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** The tenant's redaction records, for readers that never redact (evidence bundles). */
    public static List<Redaction> recorded(Database db, String tenant) {
        if (db.layout() != Layout.DECISIONGRAPH) {
            return List.of();
        }
        return new Redactions(db, () -> "read-only", new SecureRandom()).list(tenant);
    }

    /** The tenant's redaction records by log_seq and seq (empty for a schema before V8). */
    public List<Redaction> list(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> {
            List<Redaction> out = new ArrayList<>();
            if (!AuditChain.hasTable(h, "dg_redactions")) {
                return out;
            }
            PreparedStatement ps = h.prepare("SELECT " + COLUMNS + " FROM dg_redactions WHERE tenant_id = ?"
                    + " ORDER BY log_seq, seq");
            ps.setString(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    /**
     * The outcome of checking a tenant's redaction records: {@code accepted} maps each redacted event's log_seq to
     * the payload hash its stored payload must have (the last record's {@code after_payload_hash}); an event is
     * only there when all its records verified. {@code problems} name every record that did not.
     */
    public record Check(int verified, Map<Long, String> accepted, java.util.Set<Long> recorded, List<String> problems) {
    }

    /**
     * Checks every record of the tenant: its hash, its audit row (same tenant chain, action, redaction id and
     * record hash, and the row's own entry hash), the sequence of an event's records (1, 2, …; the first starts at
     * the event's payload_hash, each next one where the previous ended), and the stored payload (holds the marker
     * at every redacted path and hashes to the last record's {@code after_payload_hash}). Events removed by
     * retention keep their records; their payload checks are skipped.
     */
    public Check verify(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        List<Redaction> all = list(t);
        Map<Long, List<Redaction>> byEvent = new LinkedHashMap<>();
        for (Redaction r : all) {
            byEvent.computeIfAbsent(r.logSeq(), k -> new ArrayList<>()).add(r);
        }
        List<String> problems = new ArrayList<>();
        Map<Long, String> accepted = new LinkedHashMap<>();
        int verified = 0;
        for (Map.Entry<Long, List<Redaction>> e : byEvent.entrySet()) {
            long logSeq = e.getKey();
            List<Redaction> records = e.getValue();
            int before = problems.size();
            for (Redaction r : records) {
                checkRecord(r, problems);
            }
            String[] row = tx.read(h -> eventRow(h, t, logSeq));
            if (row != null) {
                checkSequence(records, row, problems);
            }
            if (problems.size() == before) {
                verified += records.size();
                if (row != null) {
                    accepted.put(logSeq, records.getLast().afterPayloadHash());
                }
            }
        }
        return new Check(verified, accepted, byEvent.keySet(), problems);
    }

    private void checkRecord(Redaction r, List<String> problems) {
        String name = "redaction " + r.redactionId() + " of event " + r.eventId() + " (log_seq " + r.logSeq() + ")";
        String recomputed = r.computeRecordHash();
        if (!recomputed.equals(r.recordHash())) {
            problems.add(name + ": the record was changed: its members hash to " + recomputed + ", record_hash says "
                    + r.recordHash());
            return;
        }
        AuditEntry audit = access.auditEntry(r.auditId()).orElse(null);
        if (audit == null) {
            problems.add(name + ": audit log entry " + r.auditId() + " is missing");
            return;
        }
        JsonObject details = audit.record().details();
        if (!audit.chainId().equals(r.tenantId()) || !AUDIT_ACTION.equals(audit.record().action())
                || !r.redactionId().equals(details.has("redaction_id") ? details.getString("redaction_id") : null)
                || !r.recordHash().equals(details.has("record_hash") ? details.getString("record_hash") : null)) {
            problems.add(name + ": audit log entry " + r.auditId() + " does not record this redaction (record_hash "
                    + r.recordHash() + ")");
            return;
        }
        String entryHash = AuditEntry.entryHash(audit.prevHash(), audit.auditId(), audit.chainId(), audit.record());
        if (!entryHash.equals(audit.entryHash())) {
            problems.add(name + ": audit log entry " + r.auditId() + " was changed (its columns hash to " + entryHash
                    + ", entry_hash says " + audit.entryHash() + ")");
        }
    }

    private static void checkSequence(List<Redaction> records, String[] row, List<String> problems) {
        String payloadHash = row[1];
        String expectedBefore = payloadHash;
        for (int i = 0; i < records.size(); i++) {
            Redaction r = records.get(i);
            String name = "redaction " + r.redactionId() + " of event " + r.eventId() + " (log_seq " + r.logSeq() + ")";
            if (r.seq() != i + 1) {
                problems.add(name + ": seq " + r.seq() + ", expected " + (i + 1) + " (a redaction record is missing)");
                return;
            }
            if (!r.eventId().equals(row[2])) {
                problems.add(name + ": the event at log_seq " + r.logSeq() + " is " + row[2]);
                return;
            }
            if (!r.originalPayloadHash().equals(payloadHash)) {
                problems.add(name + ": original_payload_hash " + r.originalPayloadHash() + " differs from the event's "
                        + payloadHash);
                return;
            }
            if (!r.beforePayloadHash().equals(expectedBefore)) {
                problems.add(name + ": before_payload_hash " + r.beforePayloadHash() + ", expected " + expectedBefore);
                return;
            }
            expectedBefore = r.afterPayloadHash();
        }
        Json payload;
        try {
            payload = JsonParser.parse(row[0]);
        } catch (DgException e) {
            problems.add("event " + row[2] + ": the stored payload is not JSON: " + e.message());
            return;
        }
        String actual = Hashing.payloadHash(payload);
        Redaction last = records.getLast();
        if (!actual.equals(last.afterPayloadHash())) {
            problems.add("event " + row[2] + " (log_seq " + last.logSeq() + "): the stored payload hashes to " + actual
                    + ", its last redaction " + last.redactionId() + " says " + last.afterPayloadHash()
                    + " (a change after the redaction was not recorded)");
            return;
        }
        for (Redaction r : records) {
            Json at = payload;
            for (String name : r.fieldPath().split("\\.", -1)) {
                at = at instanceof JsonObject o && o.has(name) ? o.get(name) : null;
            }
            if (!new JsonString(MARKER).equals(at)) {
                problems.add("event " + row[2] + " (log_seq " + r.logSeq() + "): field '" + r.fieldPath()
                        + "' does not hold the redaction marker");
            }
        }
    }

    /** {payload_json, payload_hash, event_id} of the stored event, null when retention removed it. */
    private static String[] eventRow(Handle h, String tenant, long logSeq) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT payload_json, payload_hash, event_id FROM dg_event_log"
                + " WHERE tenant_id = ? AND log_seq = ?");
        ps.setString(1, tenant);
        ps.setLong(2, logSeq);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
        }
    }

    Database database() {
        return db;
    }
}
