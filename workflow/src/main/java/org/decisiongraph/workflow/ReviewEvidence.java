package org.decisiongraph.workflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.Checkpoints;
import org.decisiongraph.store.audit.EvidenceBundle;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * The hash-chain evidence of a review item: its source events (the item's {@code created_from_event_id},
 * {@code approval_event_id} and every action's {@code source_event_id}, found in the decided trace and its review
 * trace) with their chain links, and, when a signed checkpoint covers them, a complete evidence bundle
 * ({@value EvidenceBundle#FORMAT}, selection {@code {"workflow_id": …}}) that {@code dg verify-export} checks
 * offline. The operational rows (actions, notifications, audit rows) are not log events: the bundle's
 * {@code review} member carries them as data, and only its {@code source_events} are tied to the chain.
 */
public final class ReviewEvidence {
    private final Database db;
    private final WorkflowStore store;

    public ReviewEvidence(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.store = new WorkflowStore(db);
    }

    /** The selection object of a review bundle. */
    public static JsonObject selection(String workflowId) {
        return JsonObject.builder().put("workflow_id", workflowId).build();
    }

    /** The item's source events with hashes, in log_seq order (empty when the item is unknown). */
    public List<AuditChain.ChainedEvent> sourceEvents(String tenant, String workflowId) {
        Optional<WorkflowItem> found = store.item(tenant, workflowId);
        if (found.isEmpty()) {
            return List.of();
        }
        WorkflowItem item = found.get();
        Set<String> ids = new LinkedHashSet<>();
        ids.add(item.createdFromEventId());
        if (item.approvalEventId() != null) {
            ids.add(item.approvalEventId());
        }
        store.actions(tenant, workflowId).stream().map(WorkflowAction::sourceEventId).filter(Objects::nonNull).forEach(ids::add);
        Set<String> traces = new LinkedHashSet<>(List.of(item.traceId()));
        if (item.reviewTraceId() != null) {
            traces.add(item.reviewTraceId());
        }
        AuditChain chain = AuditChain.of(db);
        List<AuditChain.ChainedEvent> out = new ArrayList<>();
        for (String trace : traces) {
            for (AuditChain.ChainedEvent e : chain.trace(tenant, trace)) {
                if (ids.contains(e.event().eventId())) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparingLong(e -> e.event().logSeq()));
        return out;
    }

    /**
     * The export document's {@code chain} member: {@code links} ({@code event_id, log_seq, event_hash, chain_hash,
     * prev_chain_hash} per source event), {@code checkpoint} (the newest signed checkpoint covering them, or null)
     * and {@code evidence_bundle} (the complete bundle under that checkpoint, or null).
     */
    public JsonObject chainMember(String tenant, String workflowId) {
        List<AuditChain.ChainedEvent> events = sourceEvents(tenant, workflowId);
        Checkpoints checkpoints = new Checkpoints(db);
        AuditChain chain = checkpoints.chain();
        List<Json> links = new ArrayList<>();
        for (AuditChain.ChainedEvent e : events) {
            links.add(JsonObject.builder().put("event_id", e.event().eventId()).put("log_seq", e.event().logSeq())
                    .put("event_hash", e.eventHash()).put("chain_hash", e.chainHash())
                    .put("prev_chain_hash", chain.storedChainAt(tenant, e.event().logSeq() - 1)).build());
        }
        Optional<Checkpoint> cp = events.isEmpty() ? Optional.empty()
                : checkpoints.latestCovering(tenant, events.getLast().event().logSeq(), null);
        return JsonObject.builder()
                .put("format", EvidenceBundle.FORMAT)
                .put("links", JsonArray.of(links))
                .put("checkpoint", cp.<Json>map(c -> JsonObject.builder().put("statement", c.statementJson())
                        .put("signature", c.signature()).put("key_id", c.keyId()).put("log_seq", c.logSeq()).build())
                        .orElse(JsonNull.INSTANCE))
                .put("evidence_bundle", cp.<Json>map(c -> EvidenceBundle.build(chain, selection(workflowId), events, c,
                        Redactions.recorded(db, tenant)))
                        .orElse(JsonNull.INSTANCE))
                .build();
    }

    /**
     * The evidence bundle of a review under {@code checkpoint}, with the review's export document (without its own
     * {@code chain} member) as the additional member {@code review}; {@code dg verify-export} checks the events and
     * that {@code review.source_events} are exactly bundle events.
     */
    public JsonObject bundle(String tenant, String workflowId, Checkpoint checkpoint, JsonObject reviewDocument) {
        List<AuditChain.ChainedEvent> events = sourceEvents(tenant, workflowId);
        JsonObject bundle = EvidenceBundle.build(new Checkpoints(db).chain(), selection(workflowId), events, checkpoint,
                Redactions.recorded(db, tenant));
        JsonObject.Builder review = JsonObject.builder();
        reviewDocument.members().forEach((k, v) -> {
            if (!k.equals("chain")) {
                review.put(k, v);
            }
        });
        return bundle.with("review", review.build());
    }
}
