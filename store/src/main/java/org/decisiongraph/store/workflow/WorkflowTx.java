package org.decisiongraph.store.workflow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.sql.Handle;

/**
 * The workflow tables inside one write transaction of {@link WorkflowStore#write}, for one tenant. Reads
 * here see the transaction's own writes. Not thread-safe; valid only during the work.
 */
public final class WorkflowTx {
    private final WorkflowStore store;
    private final Handle h;
    private final String tenant;

    /** Items written by this transaction, latest state per id, in first-write order (published after commit). */
    private final java.util.LinkedHashMap<String, WorkflowItem> changed = new java.util.LinkedHashMap<>();

    WorkflowTx(WorkflowStore store, Handle h, String tenant) {
        this.store = store;
        this.h = h;
        this.tenant = tenant;
    }

    java.util.List<WorkflowItem> changedItems() {
        return java.util.List.copyOf(changed.values());
    }

    /** An SQL failure carried through the work function; unwrapped by {@link WorkflowStore#write}. */
    static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Sql<T> body) {
        try {
            return body.run();
        } catch (SQLException e) {
            throw new UncheckedSql(e);
        }
    }

    public String tenant() {
        return tenant;
    }

    public long cursor() {
        return sql(() -> store.cursor(h, tenant));
    }

    public void setCursor(long logSeq, Instant now) {
        sql(() -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_runtime (tenant_id, last_log_seq, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (tenant_id) DO UPDATE SET last_log_seq = excluded.last_log_seq, updated_at = excluded.updated_at");
            ps.setString(1, tenant);
            ps.setLong(2, logSeq);
            store.setTime(ps, 3, now);
            return ps.executeUpdate();
        });
    }

    public Optional<WorkflowItem> item(String workflowId) {
        return sql(() -> store.item(h, tenant, workflowId));
    }

    public Optional<WorkflowAction> action(String actionId) {
        return sql(() -> store.action(h, tenant, "action_id", actionId));
    }

    public Optional<WorkflowAction> actionByRequestKey(String requestKey) {
        return sql(() -> store.action(h, tenant, "request_key", requestKey));
    }

    public Optional<WorkflowAction> actionBySourceEvent(String eventId) {
        return sql(() -> store.action(h, tenant, "source_event_id", eventId));
    }

    /**
     * Inserts or replaces an item, and keeps the tenant's status counters ({@code dg_workflow_counts}, V9) in step
     * in the same transaction.
     */
    public void saveItem(WorkflowItem it) {
        sql(() -> {
            PreparedStatement old = h.prepare("SELECT status FROM dg_workflow_items WHERE tenant_id = ? AND workflow_id = ?");
            old.setString(1, tenant);
            old.setString(2, it.workflowId());
            String previous;
            try (ResultSet rs = old.executeQuery()) {
                previous = rs.next() ? rs.getString(1) : null;
            }
            if (!it.status().equals(previous)) {
                if (previous != null) {
                    count("status:" + previous, -1);
                }
                count("status:" + it.status(), 1);
            }
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_items (" + WorkflowStore.ITEM_COLUMNS + ", priority_rank) VALUES ("
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant_id, workflow_id) DO UPDATE SET trace_id = excluded.trace_id,"
                    + " workflow_kind = excluded.workflow_kind, workflow_name = excluded.workflow_name,"
                    + " subject_type = excluded.subject_type, subject_id = excluded.subject_id, status = excluded.status,"
                    + " priority = excluded.priority, title = excluded.title, policy_id = excluded.policy_id,"
                    + " policy_version = excluded.policy_version, requested_by_actor_id = excluded.requested_by_actor_id,"
                    + " requested_by_actor_type = excluded.requested_by_actor_type,"
                    + " assigned_account_id = excluded.assigned_account_id, assigned_role = excluded.assigned_role,"
                    + " requested_at = excluded.requested_at, sla_due_at = excluded.sla_due_at, updated_at = excluded.updated_at,"
                    + " resolved_at = excluded.resolved_at, last_action_type = excluded.last_action_type,"
                    + " last_action_at = excluded.last_action_at, current_decision = excluded.current_decision,"
                    + " current_reason = excluded.current_reason, approval_event_id = excluded.approval_event_id,"
                    + " created_from_event_id = excluded.created_from_event_id,"
                    + " last_source_log_seq = excluded.last_source_log_seq, metadata_json = excluded.metadata_json,"
                    + " escalation_count = excluded.escalation_count, review_trace_id = excluded.review_trace_id,"
                    + " priority_rank = excluded.priority_rank");
            bindItem(ps, it);
            int n = ps.executeUpdate();
            changed.remove(it.workflowId());
            changed.put(it.workflowId(), it);
            return n;
        });
    }

    private void count(String counter, long delta) throws SQLException {
        PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_counts (tenant_id, counter, n) VALUES (?, ?, ?)"
                + " ON CONFLICT (tenant_id, counter) DO UPDATE SET n = dg_workflow_counts.n + excluded.n");
        ps.setString(1, tenant);
        ps.setString(2, counter);
        ps.setLong(3, delta);
        ps.executeUpdate();
    }

    /**
     * Replaces an item only if its stored {@code escalation_count} and {@code status} are still the given
     * ones (the SLA timer claim: of several sweepers, exactly one wins). Returns whether it did.
     */
    public boolean replaceItemIf(WorkflowItem it, int expectedEscalationCount, String expectedStatus) {
        return sql(() -> {
            PreparedStatement del = h.prepare("UPDATE dg_workflow_items SET escalation_count = ? WHERE tenant_id = ?"
                    + " AND workflow_id = ? AND escalation_count = ? AND status = ?");
            del.setInt(1, it.escalationCount());
            del.setString(2, tenant);
            del.setString(3, it.workflowId());
            del.setInt(4, expectedEscalationCount);
            del.setString(5, expectedStatus);
            if (del.executeUpdate() != 1) {
                return false;
            }
            saveItem(it);
            return true;
        });
    }

    private void bindItem(PreparedStatement ps, WorkflowItem it) throws SQLException {
        ps.setString(1, it.tenantId());
        ps.setString(2, it.workflowId());
        ps.setString(3, it.traceId());
        ps.setString(4, it.workflowKind());
        ps.setString(5, it.workflowName());
        ps.setString(6, it.subjectType());
        ps.setString(7, it.subjectId());
        ps.setString(8, it.status());
        ps.setString(9, it.priority());
        ps.setString(10, it.title());
        ps.setString(11, it.policyId());
        ps.setString(12, it.policyVersion());
        ps.setString(13, it.requestedByActorId());
        ps.setString(14, it.requestedByActorType());
        ps.setString(15, it.assignedAccountId());
        ps.setString(16, it.assignedRole());
        store.setTime(ps, 17, it.requestedAt());
        store.setTime(ps, 18, it.slaDueAt());
        store.setTime(ps, 19, it.updatedAt());
        store.setTime(ps, 20, it.resolvedAt());
        ps.setString(21, it.lastActionType());
        store.setTime(ps, 22, it.lastActionAt());
        ps.setString(23, it.currentDecision());
        ps.setString(24, it.currentReason());
        ps.setString(25, it.approvalEventId());
        ps.setString(26, it.createdFromEventId());
        ps.setLong(27, it.lastSourceLogSeq());
        ps.setString(28, WorkflowStore.json(it.metadata()));
        ps.setInt(29, it.escalationCount());
        ps.setString(30, it.reviewTraceId());
        ps.setInt(31, WorkflowStore.priorityRank(it.priority()));
    }

    /** Inserts an action row; false (nothing written) when its id, source event or request key exists. */
    public boolean insertAction(WorkflowAction a) {
        return sql(() -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_actions (tenant_id, " + WorkflowStore.ACTION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            ps.setString(1, tenant);
            ps.setString(2, a.actionId());
            ps.setString(3, a.workflowId());
            ps.setString(4, a.traceId());
            ps.setString(5, a.actionType());
            ps.setString(6, a.actorId());
            ps.setString(7, a.actorType());
            ps.setString(8, a.actorAccountId());
            ps.setString(9, a.note());
            ps.setString(10, WorkflowStore.json(a.payload()));
            ps.setString(11, a.sourceEventId());
            ps.setString(12, a.resultingStatus());
            ps.setString(13, a.requestKey());
            store.setTime(ps, 14, a.createdAt());
            return ps.executeUpdate() == 1;
        });
    }

    /** Inserts a notification; false when its dedupe key (or id) exists. */
    public boolean insertNotification(WorkflowNotification n) {
        return sql(() -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_notifications (tenant_id, " + WorkflowStore.NOTIFICATION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            ps.setString(1, tenant);
            ps.setString(2, n.notificationId());
            ps.setString(3, n.workflowId());
            ps.setString(4, n.traceId());
            ps.setString(5, n.category());
            ps.setString(6, n.channel());
            ps.setString(7, n.status());
            ps.setString(8, n.message());
            ps.setString(9, n.recipientAccountId());
            ps.setString(10, n.recipientRole());
            ps.setString(11, WorkflowStore.json(n.payload()));
            ps.setString(12, n.dedupeKey());
            store.setTime(ps, 13, n.createdAt());
            store.setTime(ps, 14, n.deliveredAt());
            if (ps.executeUpdate() != 1) {
                return false;
            }
            count("notifications", 1);
            return true;
        });
    }

    /** Appends a hash-chained audit row in this transaction. */
    public AuditEntry audit(AuditRecord r) {
        return sql(() -> store.access().appendAudit(h, r));
    }

    /** Records a quarantined source event ({@code dg_projection_failures}, projection {@code workflow}). */
    public void quarantine(String failureId, long logSeq, String traceId, String eventId, String errorCode, String message,
                           Instant now) {
        sql(() -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_projection_failures (id, tenant_id, projection_name, log_seq,"
                    + " trace_id, event_id, error_code, error_message, recorded_at) VALUES (?, ?, 'workflow', ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
            ps.setString(1, failureId);
            ps.setString(2, tenant);
            ps.setLong(3, logSeq);
            ps.setString(4, traceId);
            ps.setString(5, eventId);
            ps.setString(6, errorCode);
            ps.setString(7, message);
            ps.setString(8, org.decisiongraph.core.event.Timestamps.toRfc3339(now));
            return ps.executeUpdate();
        });
    }

    /** Runs {@code body} in a savepoint: a failure undoes only its own writes and is rethrown. */
    public <T> T savepoint(Supplier<T> body) {
        java.util.Map<String, WorkflowItem> before = new java.util.LinkedHashMap<>(changed);
        try {
            return sql(() -> h.savepoint(x -> body.get()));
        } catch (RuntimeException e) {
            changed.clear();
            changed.putAll(before);
            throw e;
        }
    }

    /** Number of open quarantined events of the workflow projection of this tenant. */
    public long openFailures() {
        return sql(() -> {
            PreparedStatement ps = h.prepare("SELECT COUNT(*) FROM dg_projection_failures WHERE tenant_id = ?"
                    + " AND projection_name = 'workflow' AND status = 'open'");
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Enqueues one delivery of {@code data} under {@code topic} for every active subscription of the tenant
     * that has the topic (deduplicated per subscription by {@code dedupeKey}); sent later by the dispatcher.
     */
    public void enqueueWebhooks(String topic, String dedupeKey, org.decisiongraph.core.json.JsonObject data, Instant now) {
        sql(() -> {
            WebhookStore.enqueue(h, store, tenant, topic, dedupeKey, "whd-", (deliveryId, webhookId) ->
                    org.decisiongraph.core.json.JsonWriter.canonicalLenient(org.decisiongraph.core.json.JsonObject.builder()
                            .put("created_at", java.time.format.DateTimeFormatter.ISO_INSTANT.format(now)).put("data", data)
                            .put("delivery_id", deliveryId).put("tenant_id", tenant).put("topic", topic)
                            .put("webhook_id", webhookId).build()), now);
            return null;
        });
    }

    /** Stores an attachment; false when its id exists. */
    public boolean insertAttachment(Attachment a) {
        return sql(() -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_attachments (tenant_id, attachment_id, workflow_id, file_name,"
                    + " content_type, size_bytes, sha256, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
            ps.setString(1, tenant);
            ps.setString(2, a.attachmentId());
            ps.setString(3, a.workflowId());
            ps.setString(4, a.fileName());
            ps.setString(5, a.contentType());
            ps.setLong(6, a.sizeBytes());
            ps.setString(7, a.sha256());
            ps.setBytes(8, a.content());
            ps.setString(9, a.uploadedBy());
            store.setTime(ps, 10, a.createdAt());
            return ps.executeUpdate() == 1;
        });
    }

    /** Stores the next version of a tenant template under the tenant's workflow lock. */
    public TemplateRow saveTemplate(String templateId, org.decisiongraph.core.json.JsonObject body, Instant at, String by) {
        return sql(() -> {
            PreparedStatement max = h.prepare("SELECT COALESCE(MAX(version), 0) FROM dg_workflow_templates WHERE tenant_id = ?"
                    + " AND template_id = ?");
            max.setString(1, tenant);
            max.setString(2, templateId);
            int version;
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                version = rs.getInt(1) + 1;
            }
            PreparedStatement ps = h.prepare("INSERT INTO dg_workflow_templates (tenant_id, template_id, version, body_json, created_at,"
                    + " created_by) VALUES (?, ?, ?, ?, ?, ?)");
            ps.setString(1, tenant);
            ps.setString(2, templateId);
            ps.setInt(3, version);
            ps.setString(4, WorkflowStore.json(body));
            store.setTime(ps, 5, at);
            ps.setString(6, by);
            ps.executeUpdate();
            return new TemplateRow(tenant, templateId, version, body, at, by);
        });
    }
}
