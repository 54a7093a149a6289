package org.decisiongraph.store.runtime;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.store.Database;

/**
 * The runtime bookkeeping of the projection service in one {@link Database}: failure records
 * ({@code dg_projection_failures}), replay runs ({@code dg_projection_runs}), digest verification jobs
 * ({@code dg_digest_verifications}) and worker leases ({@code dg_projection_leases}). Timestamps are RFC 3339
 * text. Every read by id returns the row whatever its tenant; callers compare tenants. Thread-safe.
 */
public final class RuntimeStore {
    private final Database db;

    public RuntimeStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // --- failures ------------------------------------------------------------------------------------

    /** One {@code dg_projection_failures} row. */
    public record Failure(String id, String tenantId, String projectionName, Long logSeq, String traceId, String eventId,
                          String errorCode, String errorMessage, boolean recoverable, int retryCount, String status,
                          String metadataJson, String recordedAt, String resolvedAt) {
    }

    private static final String FAILURE_COLUMNS = "id, tenant_id, projection_name, log_seq, trace_id, event_id, error_code,"
            + " error_message, recoverable, retry_count, status, metadata_json, recorded_at, resolved_at";

    public void insertFailure(Failure f) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_projection_failures (" + FAILURE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, f.id());
            ps.setString(2, f.tenantId());
            ps.setString(3, f.projectionName());
            setLong(ps, 4, f.logSeq());
            ps.setString(5, f.traceId());
            ps.setString(6, f.eventId());
            ps.setString(7, f.errorCode());
            ps.setString(8, f.errorMessage());
            ps.setBoolean(9, f.recoverable());
            ps.setInt(10, f.retryCount());
            ps.setString(11, f.status());
            ps.setString(12, f.metadataJson());
            ps.setString(13, f.recordedAt());
            ps.setString(14, f.resolvedAt());
            ps.executeUpdate();
            return null;
        });
    }

    public Optional<Failure> failure(String id) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + FAILURE_COLUMNS + " FROM dg_projection_failures WHERE id = ?");
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(failure(rs)) : Optional.<Failure>empty();
            }
        });
    }

    /** The tenant's failures, newest first ({@code recorded_at DESC, id DESC}); null filters match all. */
    public List<Failure> failures(String tenant, String projection, String status) {
        return db.tx().read(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + FAILURE_COLUMNS + " FROM dg_projection_failures WHERE tenant_id = ?");
            List<String> args = new ArrayList<>(List.of(tenant));
            if (projection != null) {
                sql.append(" AND projection_name = ?");
                args.add(projection);
            }
            if (status != null) {
                sql.append(" AND status = ?");
                args.add(status);
            }
            sql.append(" ORDER BY recorded_at DESC, id DESC");
            PreparedStatement ps = h.prepare(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            List<Failure> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(failure(rs));
                }
            }
            return out;
        });
    }

    /** Open failures per projection of the tenant. */
    public long openFailures(String tenant, String projection) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT COUNT(*) FROM dg_projection_failures WHERE tenant_id = ?"
                    + " AND projection_name = ? AND status = 'open'");
            ps.setString(1, tenant);
            ps.setString(2, projection);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Whether an open failure exists for this event of the projection (no duplicate rows per event). */
    public boolean hasOpenFailure(String tenant, String projection, long logSeq) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT 1 FROM dg_projection_failures WHERE tenant_id = ?"
                    + " AND projection_name = ? AND status = 'open' AND log_seq = ?");
            ps.setString(1, tenant);
            ps.setString(2, projection);
            ps.setLong(3, logSeq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** Auto-resolve (projections spec 7.4): open failures with {@code log_seq <= cursor} become resolved. */
    public int autoResolve(String tenant, String projection, long cursor, String now) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_projection_failures SET status = 'resolved', resolved_at = ?"
                    + " WHERE tenant_id = ? AND projection_name = ? AND status = 'open' AND log_seq <= ?");
            ps.setString(1, now);
            ps.setString(2, tenant);
            ps.setString(3, projection);
            ps.setLong(4, cursor);
            return ps.executeUpdate();
        });
    }

    /** Marks one open failure resolved with new metadata; false when it was not open. */
    public boolean resolve(String id, String now, String metadataJson) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_projection_failures SET status = 'resolved', resolved_at = ?,"
                    + " metadata_json = ? WHERE id = ? AND status = 'open'");
            ps.setString(1, now);
            ps.setString(2, metadataJson);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        });
    }

    /** Rebuild: deletes every failure row (open and resolved) of the projection (decision P17). */
    public void deleteFailures(String tenant, String projection) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("DELETE FROM dg_projection_failures WHERE tenant_id = ? AND projection_name = ?");
            ps.setString(1, tenant);
            ps.setString(2, projection);
            ps.executeUpdate();
            return null;
        });
    }

    private static Failure failure(ResultSet rs) throws SQLException {
        long seq = rs.getLong("log_seq");
        Long logSeq = rs.wasNull() ? null : seq;
        return new Failure(rs.getString("id"), rs.getString("tenant_id"), rs.getString("projection_name"), logSeq,
                rs.getString("trace_id"), rs.getString("event_id"), rs.getString("error_code"), rs.getString("error_message"),
                rs.getBoolean("recoverable"), rs.getInt("retry_count"), rs.getString("status"), rs.getString("metadata_json"),
                rs.getString("recorded_at"), rs.getString("resolved_at"));
    }

    // --- runs ----------------------------------------------------------------------------------------

    /** One {@code dg_projection_runs} row. */
    public record Run(String jobId, String tenantId, String projectionName, String mode, String status, String requestedAt,
                      String startedAt, String finishedAt, long sinceLogSeq, Long untilLogSeq, long processedEvents,
                      long lastLogSeq, String errorCode, String errorMessage, String metadataJson) {
        public boolean isOpen() {
            return "queued".equals(status) || "running".equals(status);
        }
    }

    private static final String RUN_COLUMNS = "job_id, tenant_id, projection_name, mode, status, requested_at, started_at,"
            + " finished_at, since_log_seq, until_log_seq, processed_events, last_log_seq, error_code, error_message, metadata_json";

    public void insertRun(Run r) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_projection_runs (" + RUN_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            bindRun(ps, r);
            ps.executeUpdate();
            return null;
        });
    }

    /** Overwrites the mutable columns of a run. */
    public void updateRun(Run r) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_projection_runs SET status = ?, started_at = ?, finished_at = ?,"
                    + " processed_events = ?, last_log_seq = ?, error_code = ?, error_message = ? WHERE job_id = ?");
            ps.setString(1, r.status());
            ps.setString(2, r.startedAt());
            ps.setString(3, r.finishedAt());
            ps.setLong(4, r.processedEvents());
            ps.setLong(5, r.lastLogSeq());
            ps.setString(6, r.errorCode());
            ps.setString(7, r.errorMessage());
            ps.setString(8, r.jobId());
            ps.executeUpdate();
            return null;
        });
    }

    public Optional<Run> run(String jobId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + RUN_COLUMNS + " FROM dg_projection_runs WHERE job_id = ?");
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.<Run>empty();
            }
        });
    }

    /** The tenant's runs, newest first ({@code requested_at DESC, job_id DESC}). */
    public List<Run> runs(String tenant) {
        return runsWhere("tenant_id = ?", tenant, " ORDER BY requested_at DESC, job_id DESC");
    }

    /** The tenant's queued or running runs, oldest first. */
    public List<Run> openRuns(String tenant) {
        return runsWhere("tenant_id = ? AND status IN ('queued', 'running')", tenant, " ORDER BY requested_at ASC, job_id ASC");
    }

    private List<Run> runsWhere(String where, String tenant, String order) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + RUN_COLUMNS + " FROM dg_projection_runs WHERE " + where + order);
            ps.setString(1, tenant);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(run(rs));
                }
            }
            return out;
        });
    }

    /** Boot: runs left queued or running by a previous process become failed/interrupted. Returns how many. */
    public int markInterrupted(String now) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_projection_runs SET status = 'failed', finished_at = ?,"
                    + " error_code = 'interrupted', error_message = 'Interrupted by process restart'"
                    + " WHERE status IN ('queued', 'running')");
            ps.setString(1, now);
            return ps.executeUpdate();
        });
    }

    private static void bindRun(PreparedStatement ps, Run r) throws SQLException {
        ps.setString(1, r.jobId());
        ps.setString(2, r.tenantId());
        ps.setString(3, r.projectionName());
        ps.setString(4, r.mode());
        ps.setString(5, r.status());
        ps.setString(6, r.requestedAt());
        ps.setString(7, r.startedAt());
        ps.setString(8, r.finishedAt());
        ps.setLong(9, r.sinceLogSeq());
        setLong(ps, 10, r.untilLogSeq());
        ps.setLong(11, r.processedEvents());
        ps.setLong(12, r.lastLogSeq());
        ps.setString(13, r.errorCode());
        ps.setString(14, r.errorMessage());
        ps.setString(15, r.metadataJson());
    }

    private static Run run(ResultSet rs) throws SQLException {
        long until = rs.getLong("until_log_seq");
        Long untilLogSeq = rs.wasNull() ? null : until;
        return new Run(rs.getString("job_id"), rs.getString("tenant_id"), rs.getString("projection_name"), rs.getString("mode"),
                rs.getString("status"), rs.getString("requested_at"), rs.getString("started_at"), rs.getString("finished_at"),
                rs.getLong("since_log_seq"), untilLogSeq, rs.getLong("processed_events"), rs.getLong("last_log_seq"),
                rs.getString("error_code"), rs.getString("error_message"), rs.getString("metadata_json"));
    }

    // --- digest verifications ----------------------------------------------------------------------

    /** One {@code dg_digest_verifications} row; {@code resultsJson} is a JSON array text. */
    public record Verification(String verificationId, String tenantId, String projection, String status, String requestedAt,
                               String startedAt, String finishedAt, String reason, String requestId,
                               String requestedByAccountId, String resultsJson, String errorCode, String errorMessage) {
        public boolean isOpen() {
            return "queued".equals(status) || "running".equals(status);
        }
    }

    private static final String VERIFICATION_COLUMNS = "verification_id, tenant_id, projection, status, requested_at,"
            + " started_at, finished_at, reason, request_id, requested_by_account_id, results_json, error_code, error_message";

    public void insertVerification(Verification v) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_digest_verifications (" + VERIFICATION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, v.verificationId());
            ps.setString(2, v.tenantId());
            ps.setString(3, v.projection());
            ps.setString(4, v.status());
            ps.setString(5, v.requestedAt());
            ps.setString(6, v.startedAt());
            ps.setString(7, v.finishedAt());
            ps.setString(8, v.reason());
            ps.setString(9, v.requestId());
            ps.setString(10, v.requestedByAccountId());
            ps.setString(11, v.resultsJson());
            ps.setString(12, v.errorCode());
            ps.setString(13, v.errorMessage());
            ps.executeUpdate();
            return null;
        });
    }

    public void updateVerification(Verification v) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_digest_verifications SET status = ?, started_at = ?, finished_at = ?,"
                    + " results_json = ?, error_code = ?, error_message = ? WHERE verification_id = ?");
            ps.setString(1, v.status());
            ps.setString(2, v.startedAt());
            ps.setString(3, v.finishedAt());
            ps.setString(4, v.resultsJson());
            ps.setString(5, v.errorCode());
            ps.setString(6, v.errorMessage());
            ps.setString(7, v.verificationId());
            ps.executeUpdate();
            return null;
        });
    }

    public Optional<Verification> verification(String id) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + VERIFICATION_COLUMNS + " FROM dg_digest_verifications WHERE verification_id = ?");
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(verification(rs)) : Optional.<Verification>empty();
            }
        });
    }

    /** The tenant's verifications, newest first. */
    public List<Verification> verifications(String tenant) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + VERIFICATION_COLUMNS + " FROM dg_digest_verifications"
                    + " WHERE tenant_id = ? ORDER BY requested_at DESC, verification_id DESC");
            ps.setString(1, tenant);
            List<Verification> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(verification(rs));
                }
            }
            return out;
        });
    }

    /** Boot: verifications left queued or running become {@code error}/{@code interrupted}. */
    public int markVerificationsInterrupted(String now) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_digest_verifications SET status = 'error', finished_at = ?,"
                    + " error_code = 'interrupted', error_message = 'Interrupted by process restart'"
                    + " WHERE status IN ('queued', 'running')");
            ps.setString(1, now);
            return ps.executeUpdate();
        });
    }

    private static Verification verification(ResultSet rs) throws SQLException {
        return new Verification(rs.getString("verification_id"), rs.getString("tenant_id"), rs.getString("projection"),
                rs.getString("status"), rs.getString("requested_at"), rs.getString("started_at"), rs.getString("finished_at"),
                rs.getString("reason"), rs.getString("request_id"), rs.getString("requested_by_account_id"),
                rs.getString("results_json"), rs.getString("error_code"), rs.getString("error_message"));
    }

    // --- leases --------------------------------------------------------------------------------------

    /**
     * Takes or renews the lease of (tenant, projection) for {@code owner} until {@code expiresAtMs} when it is
     * free, expired ({@code expires_at_ms < nowMs}) or already {@code owner}'s; false when another live owner
     * holds it. The compare-and-set runs in one write transaction.
     */
    public boolean tryLease(String tenant, String projection, String owner, long nowMs, long expiresAtMs) {
        return db.tx().write(h -> {
            PreparedStatement up = h.prepare("UPDATE dg_projection_leases SET owner_id = ?, expires_at_ms = ?"
                    + " WHERE tenant_id = ? AND projection_name = ? AND (owner_id = ? OR expires_at_ms < ?)");
            up.setString(1, owner);
            up.setLong(2, expiresAtMs);
            up.setString(3, tenant);
            up.setString(4, projection);
            up.setString(5, owner);
            up.setLong(6, nowMs);
            if (up.executeUpdate() == 1) {
                return true;
            }
            PreparedStatement ins = h.prepare("INSERT INTO dg_projection_leases (tenant_id, projection_name, owner_id,"
                    + " expires_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, projection_name) DO NOTHING");
            ins.setString(1, tenant);
            ins.setString(2, projection);
            ins.setString(3, owner);
            ins.setLong(4, expiresAtMs);
            return ins.executeUpdate() == 1;
        });
    }

    /** Gives the lease up if {@code owner} holds it. */
    public void releaseLease(String tenant, String projection, String owner) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("DELETE FROM dg_projection_leases WHERE tenant_id = ? AND projection_name = ?"
                    + " AND owner_id = ?");
            ps.setString(1, tenant);
            ps.setString(2, projection);
            ps.setString(3, owner);
            ps.executeUpdate();
            return null;
        });
    }

    /** Tenants with a cursor row or events (workers start for them at boot). */
    public List<String> knownTenants() {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT tenant_id FROM dg_projection_cursors UNION SELECT DISTINCT tenant_id"
                    + " FROM dg_event_log ORDER BY 1");
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
