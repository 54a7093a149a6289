package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowNotification;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * The audit export document (platform spec 3.9): {@code export_version 1}, the item, all its actions and
 * notifications, the trace reference, the summary (with both {@code closed?} and {@code closed}), the item's
 * audit rows and its source events, plus (additive) {@code chain}: each source event's chain link and, when a signed
 * checkpoint covers them, the newest such checkpoint and a complete evidence bundle ({@link ReviewEvidence}). Reads
 * only; the caller writes the export's audit row.
 */
public final class WorkflowExport {
    private final WorkflowStore store;
    private final EventLog log;
    private final AccessStore access;
    private final Clock clock;
    private final ReviewEvidence evidence;

    public WorkflowExport(WorkflowStore store, EventLog log, Clock clock) {
        this.store = store;
        this.log = log;
        this.access = new AccessStore(store.database());
        this.clock = clock;
        this.evidence = new ReviewEvidence(store.database());
    }

    public JsonObject document(String tenant, String workflowId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        WorkflowItem item = store.item(tenant, workflowId)
                .orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + workflowId));
        List<WorkflowAction> actions = store.actions(tenant, workflowId);
        List<WorkflowNotification> notes = store.notifications(tenant, workflowId, null);
        List<Json> audit = new ArrayList<>();
        Long before = null;
        while (true) {
            List<AuditEntry> page = access.queryAudit(new AuditQuery(tenant, null, null, null, "workflow", workflowId, null, null,
                    before, 500));
            page.forEach(e -> audit.add(e.toJson()));
            if (page.size() < 500) {
                break;
            }
            before = page.getLast().auditId();
        }
        Set<String> eventIds = new LinkedHashSet<>();
        eventIds.add(item.createdFromEventId());
        if (item.approvalEventId() != null) {
            eventIds.add(item.approvalEventId());
        }
        actions.stream().map(WorkflowAction::sourceEventId).filter(java.util.Objects::nonNull).forEach(eventIds::add);
        List<Json> sources = new ArrayList<>();
        Set<String> traces = new LinkedHashSet<>(List.of(item.traceId()));
        if (item.reviewTraceId() != null) {
            traces.add(item.reviewTraceId());
        }
        for (String trace : traces) {
            for (StoredEvent e : log.traceEvents(tenant, trace)) {
                if (eventIds.contains(e.eventId())) {
                    sources.add(EnvelopeJson.toJson(e));
                }
            }
        }
        boolean closed = Statuses.isTerminal(item.status());
        return JsonObject.builder()
                .put("export_version", 1)
                .put("exported_at", Js.time(now))
                .put("workflow", WorkflowDocs.item(item, now))
                .put("workflow_actions", JsonArray.of(actions.stream().map(WorkflowDocs::action).toList()))
                .put("workflow_notifications", JsonArray.of(notes.stream().map(WorkflowDocs::notification).toList()))
                .put("trace_reference", traceReference(item))
                .put("audit_summary", JsonObject.builder().put("action_count", actions.size()).put("closed?", closed)
                        .put("closed", closed).put("current_decision", Js.str(item.currentDecision()))
                        .put("notification_count", notes.size()).put("overdue", WorkflowDocs.overdue(item, now))
                        .put("workflow_kind", item.workflowKind()).build())
                .put("audit_entries", JsonArray.of(audit))
                .put("source_events", JsonArray.of(sources))
                .put("chain", evidence.chainMember(tenant, workflowId))
                .build();
    }

    public static JsonObject traceReference(WorkflowItem item) {
        return JsonObject.builder().put("subject_id", item.subjectId()).put("subject_type", item.subjectType())
                .put("tenant_id", item.tenantId()).put("trace_id", item.traceId()).put("workflow_name", Js.str(item.workflowName()))
                .build();
    }
}
