package org.decisiongraph.store.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Tx;

/**
 * The {@code dg_checkpoints} table, and the two checks of a checkpoint against the log: inclusion (the chain
 * recomputed from genesis through the checkpoint's log_seq ends in its chain hash) and extension (a later
 * checkpoint's chain passes through an earlier checkpoint's chain hash).
 */
public final class Checkpoints {
    private final Tx tx;
    private final AuditChain chain;

    public Checkpoints(Database db) {
        Objects.requireNonNull(db, "db");
        if (db.layout() != Layout.DECISIONGRAPH) {
            throw DgErrors.invalidArgument("the database has no checkpoints (layout " + db.layout() + ")");
        }
        this.tx = db.tx();
        this.chain = AuditChain.of(db);
    }

    public AuditChain chain() {
        return chain;
    }

    /** Stores a signed checkpoint (checked against the log first: it must be included). */
    public void save(Checkpoint c) {
        Inclusion inclusion = inclusion(c);
        if (!inclusion.ok()) {
            throw DgErrors.invalidArgument("checkpoint does not match the log: " + inclusion.problem());
        }
        tx.write(h -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_checkpoints (tenant_id, log_seq, chain_hash, key_id,"
                    + " created_at, statement_json, signature) VALUES (?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, c.tenantId());
            ps.setLong(2, c.logSeq());
            ps.setString(3, c.chainHash());
            ps.setString(4, c.keyId());
            ps.setString(5, c.createdAt());
            ps.setString(6, c.statementJson());
            ps.setString(7, c.signature());
            ps.executeUpdate();
            return null;
        });
    }

    /** The tenant's checkpoints in log_seq order. */
    public List<Checkpoint> list(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT statement_json, signature FROM dg_checkpoints"
                    + " WHERE tenant_id = ? ORDER BY log_seq, key_id");
            ps.setString(1, t);
            List<Checkpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Checkpoint.fromStatement(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** The newest checkpoint (highest log_seq) whose log_seq is at least {@code logSeq}, by {@code keyId} if given. */
    public Optional<Checkpoint> latestCovering(String tenant, long logSeq, String keyId) {
        List<Checkpoint> all = list(tenant);
        for (int i = all.size() - 1; i >= 0; i--) {
            Checkpoint c = all.get(i);
            if (c.logSeq() >= logSeq && (keyId == null || keyId.equals(c.keyId()))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The outcome of a check; {@code problem} names what broke. */
    public record Inclusion(boolean ok, String problem) {
        static Inclusion good() {
            return new Inclusion(true, null);
        }
    }

    /** The chain recomputed from genesis through {@code c.logSeq()} ends in {@code c.chainHash()}. */
    public Inclusion inclusion(Checkpoint c) {
        AuditChain.Report r = chain.verify(c.tenantId(), c.logSeq());
        if (!r.ok()) {
            return new Inclusion(false, r.firstBreak().describe());
        }
        if (!r.head().equals(c.chainHash())) {
            return new Inclusion(false, "the chain at log_seq=" + c.logSeq() + " is " + r.head()
                    + ", the checkpoint says " + c.chainHash());
        }
        return Inclusion.good();
    }

    /** {@code later} extends {@code earlier}: both are included and the later chain passes through the earlier hash. */
    public Inclusion extendsCheckpoint(Checkpoint later, Checkpoint earlier) {
        if (!later.tenantId().equals(earlier.tenantId())) {
            return new Inclusion(false, "the checkpoints belong to different tenants");
        }
        if (later.logSeq() < earlier.logSeq()) {
            return new Inclusion(false, "the later checkpoint (log_seq=" + later.logSeq()
                    + ") is before the earlier one (log_seq=" + earlier.logSeq() + ")");
        }
        Inclusion l = inclusion(later);
        if (!l.ok()) {
            return l;
        }
        String at = chain.verify(later.tenantId(), earlier.logSeq()).head();
        if (!at.equals(earlier.chainHash())) {
            return new Inclusion(false, "the chain at log_seq=" + earlier.logSeq() + " is " + at
                    + ", the earlier checkpoint says " + earlier.chainHash());
        }
        return Inclusion.good();
    }
}
