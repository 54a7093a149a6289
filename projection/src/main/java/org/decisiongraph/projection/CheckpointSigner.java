package org.decisiongraph.projection;

import java.time.Clock;
import java.util.Map;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.Checkpoints;
import org.decisiongraph.store.audit.SigningKeys;

/**
 * Signs and stores a checkpoint of a tenant (docs/OPERATIONS.md "Signed checkpoints"; {@code dg checkpoint} and
 * {@code dg export --checkpoint-key}): catches the projections up, takes the digest checkpoints with the projection
 * locks held, and signs the statement at the projected log_seq with the stored chain hash there. When the key already
 * signed a checkpoint at that log_seq, that checkpoint is returned (no new row).
 */
public final class CheckpointSigner {
    private CheckpointSigner() {
    }

    public static Checkpoint create(Database database, String tenant, SigningKeys.Keys keys, Clock clock) {
        Projections p = Projections.open(database, tenant, clock);
        p.catchUp();
        ProjectionDigests d = p.checkpoint();
        long seq = p.projectedLastSeq();
        Checkpoints checkpoints = new Checkpoints(database);
        for (Checkpoint existing : checkpoints.list(p.tenantId())) {
            if (existing.logSeq() == seq && existing.keyId().equals(keys.keyId())) {
                return existing; // one checkpoint per (tenant, log_seq, key): nothing new to sign
            }
        }
        String chainHash = checkpoints.chain().storedChainAt(p.tenantId(), seq);
        Checkpoint c = Checkpoint.sign(keys, p.tenantId(), seq, chainHash, Map.of(
                "context_graph", d.contextGraph(),
                "trace_summary", d.traceSummary(),
                "precedent_index", d.precedentIndex(),
                "full_projection", d.fullProjection()), Timestamps.toRfc3339(clock.instant()));
        checkpoints.save(c);
        return c;
    }
}
