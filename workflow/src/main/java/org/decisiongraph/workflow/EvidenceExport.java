package org.decisiongraph.workflow;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.Checkpoints;
import org.decisiongraph.store.audit.EvidenceBundle;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * Selects the events of an evidence bundle ({@value EvidenceBundle#FORMAT}, docs/OPERATIONS.md "Evidence bundles")
 * and builds the bundle under a checkpoint, with the redaction records of the tenant ({@link Redactions#recorded}):
 * the one code path of {@code dg export}, the service's {@code /api/v1/admin/evidence/...} routes and the console's
 * download. A review bundle also carries the item's audit export document as {@code review}.
 */
public final class EvidenceExport {
    /** What a bundle exports. */
    public sealed interface Selection permits Trace, Range, Review {
        /** The bundle's {@code selection} member. */
        JsonObject json();
    }

    /** The events of one trace. */
    public record Trace(String traceId) implements Selection {
        public Trace {
            Objects.requireNonNull(traceId, "traceId");
        }

        @Override
        public JsonObject json() {
            return EvidenceBundle.traceSelection(traceId);
        }
    }

    /** The tenant's events with {@code from <= log_seq <= to} (checked by the caller: {@code 1 <= from <= to}). */
    public record Range(long from, long to) implements Selection {
        @Override
        public JsonObject json() {
            return EvidenceBundle.rangeSelection(from, to);
        }
    }

    /** A review item: its source events, plus its audit export document as {@code review}. */
    public record Review(String workflowId) implements Selection {
        public Review {
            Objects.requireNonNull(workflowId, "workflowId");
        }

        @Override
        public JsonObject json() {
            return ReviewEvidence.selection(workflowId);
        }
    }

    private final Database db;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final ReviewEvidence review;

    public EvidenceExport(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkpoints = new Checkpoints(db);
        this.review = new ReviewEvidence(db);
    }

    /** The selected events with their hashes, in log_seq order; empty when nothing matches (unknown trace or item). */
    public List<AuditChain.ChainedEvent> events(String tenant, Selection selection) {
        AuditChain chain = checkpoints.chain();
        return switch (selection) {
            case Trace t -> chain.trace(tenant, t.traceId());
            case Range r -> chain.range(tenant, r.from(), r.to());
            case Review w -> review.sourceEvents(tenant, w.workflowId());
        };
    }

    /** The newest stored checkpoint of the tenant covering the last of {@code events} (by {@code keyId}, if not null). */
    public Optional<Checkpoint> covering(String tenant, List<AuditChain.ChainedEvent> events, String keyId) {
        return checkpoints.latestCovering(tenant, lastLogSeq(events), keyId);
    }

    /** The bundle of {@code events} (non-empty, from {@link #events}) under {@code checkpoint}. */
    public JsonObject bundle(String tenant, Selection selection, List<AuditChain.ChainedEvent> events, Checkpoint checkpoint) {
        if (selection instanceof Review w) {
            JsonObject document = new WorkflowExport(new WorkflowStore(db), EventLog.open(db, EventTypeSet.PLATFORM, clock), clock)
                    .document(tenant, w.workflowId());
            return review.bundle(tenant, w.workflowId(), checkpoint, document);
        }
        return EvidenceBundle.build(checkpoints.chain(), selection.json(), events, checkpoint, Redactions.recorded(db, tenant));
    }

    /**
     * The bundle of a selection under the newest stored checkpoint covering it (any key), for the service, which holds
     * no signing key: {@code not_found} for an unknown trace or item or an empty range, {@code conflict}
     * ({@link DgErrors#noSignedCheckpoint}) when no stored checkpoint covers the last selected event.
     */
    public JsonObject storedBundle(String tenant, Selection selection) {
        List<AuditChain.ChainedEvent> events = events(tenant, selection);
        if (events.isEmpty()) {
            throw switch (selection) {
                case Trace t -> DgErrors.traceNotFound(t.traceId());
                case Review w -> new DgException(ErrorCode.DG_ERR_NOT_FOUND, "Workflow not found: " + w.workflowId());
                case Range r -> new DgException(ErrorCode.DG_ERR_NOT_FOUND, "no events of tenant '" + tenant
                        + "' match the selection (log_seq " + r.from() + ".." + r.to() + ")");
            };
        }
        Checkpoint checkpoint = covering(tenant, events, null)
                .orElseThrow(() -> DgErrors.noSignedCheckpoint(tenant, lastLogSeq(events)));
        return bundle(tenant, selection, events, checkpoint);
    }

    /** The log_seq of the last of {@code events} (non-empty). */
    public static long lastLogSeq(List<AuditChain.ChainedEvent> events) {
        return events.getLast().event().logSeq();
    }
}
