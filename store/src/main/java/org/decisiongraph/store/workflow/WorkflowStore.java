package org.decisiongraph.store.workflow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.decisiongraph.store.sql.SqlTime;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.sql.Handle;

/**
 * The workflow tables of one {@link Database} (platform spec 3.1): items, action rows, notifications and
 * the workflow projection's cursor. Reads never write. Every change runs through {@link #write}, one
 * transaction per call under the tenant's workflow lock (Postgres: advisory lock
 * {@code hashtextextended('<tenant>:workflow', 0)}; SQLite: the single writer), so the import, the SLA
 * sweep and the actions of one tenant are serialized. Thread-safe.
 */
public final class WorkflowStore {
    public static final List<String> OPEN = List.of("requested", "in_review", "changes_requested", "escalated");
    public static final List<String> TERMINAL = List.of("approved", "rejected", "overridden");

    private final Database db;
    private final boolean postgres;
    private final AccessStore access;
    private final List<BiConsumer<String, List<WorkflowItem>>> itemListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WorkflowStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.postgres = db.dialect() == Dialect.POSTGRES;
        this.access = new AccessStore(db);
    }

    public Database database() {
        return db;
    }

    // --- writes ---------------------------------------------------------------------------------

    /**
     * Runs {@code work} in one write transaction holding the tenant's workflow lock; after the commit, the items it
     * wrote go to the {@link #onItemsChanged} listeners.
     */
    public <T> T write(String tenant, Function<WorkflowTx, T> work) {
        java.util.concurrent.atomic.AtomicReference<WorkflowTx> last = new java.util.concurrent.atomic.AtomicReference<>();
        T result = db.tx().write(h -> {
            if (postgres) {
                PreparedStatement lock = h.prepare("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
                lock.setString(1, tenant + ":workflow");
                lock.execute();
            }
            try {
                WorkflowTx tx = new WorkflowTx(this, h, tenant);
                last.set(tx);
                return work.apply(tx);
            } catch (WorkflowTx.UncheckedSql e) {
                throw e.getCause();
            }
        });
        List<WorkflowItem> changed = last.get() == null ? List.of() : last.get().changedItems();
        if (!changed.isEmpty()) {
            for (BiConsumer<String, List<WorkflowItem>> l : itemListeners) {
                try {
                    l.accept(tenant, changed);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(WorkflowStore.class).warn("workflow_item_listener_failed tenant={}", tenant, e);
                }
            }
        }
        return result;
    }

    /** Told after each commit that changed items: the tenant and the items' committed state (SSE, metrics). */
    public void onItemsChanged(BiConsumer<String, List<WorkflowItem>> listener) {
        itemListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    AccessStore access() {
        return access;
    }

    // --- reads ----------------------------------------------------------------------------------

    /** The workflow projection's cursor of a tenant (0 when it never ran). */
    public long cursor(String tenant) {
        return db.tx().read(h -> cursor(h, tenant));
    }

    long cursor(Handle h, String tenant) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT last_log_seq FROM dg_workflow_runtime WHERE tenant_id = ?");
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** When the tenant's workflow cursor last moved (empty when the projection never ran). */
    public Optional<Instant> cursorUpdatedAt(String tenant) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT updated_at FROM dg_workflow_runtime WHERE tenant_id = ?");
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(getTime(rs, "updated_at")) : Optional.<Instant>empty();
            }
        });
    }

    /** Tenants with a workflow cursor row or a registry row ({@code dg_tenants}), in id order. */
    public List<String> tenants() {
        return db.tx().read(h -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = h.prepare("SELECT tenant_id FROM dg_workflow_runtime UNION SELECT tenant_id FROM dg_tenants"
                    + " ORDER BY 1").executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    public Optional<WorkflowItem> item(String tenant, String workflowId) {
        return db.tx().read(h -> item(h, tenant, workflowId));
    }

    Optional<WorkflowItem> item(Handle h, String tenant, String workflowId) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT " + ITEM_COLUMNS + " FROM dg_workflow_items WHERE tenant_id = ? AND workflow_id = ?");
        ps.setString(1, tenant);
        ps.setString(2, workflowId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(readItem(rs)) : Optional.empty();
        }
    }

    /** The items of a trace, {@code requested_at DESC, workflow_id}. */
    public List<WorkflowItem> itemsOfTrace(String tenant, String traceId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + ITEM_COLUMNS + " FROM dg_workflow_items WHERE tenant_id = ?"
                    + " AND trace_id = ? ORDER BY requested_at DESC, workflow_id");
            ps.setString(1, tenant);
            ps.setString(2, traceId);
            return readItems(ps);
        });
    }

    /**
     * Open items whose SLA deadline is at or before {@code dueBy}, in {@code requested_at, workflow_id} order,
     * after the keyset position {@code (afterRequestedAt, afterWorkflowId)} (null: from the start).
     */
    public List<WorkflowItem> openItemsDueBy(String tenant, Instant dueBy, Instant afterRequestedAt, String afterWorkflowId, int limit) {
        return db.tx().read(h -> {
            String keyset = afterRequestedAt == null ? "" : " AND (requested_at > ? OR (requested_at = ? AND workflow_id > ?))";
            PreparedStatement ps = h.prepare("SELECT " + ITEM_COLUMNS + " FROM dg_workflow_items WHERE tenant_id = ?"
                    + " AND status IN ('requested', 'in_review', 'changes_requested', 'escalated') AND sla_due_at IS NOT NULL"
                    + " AND sla_due_at <= ?" + keyset + " ORDER BY requested_at, workflow_id LIMIT ?");
            int i = 1;
            ps.setString(i++, tenant);
            setTime(ps, i++, dueBy);
            if (afterRequestedAt != null) {
                setTime(ps, i++, afterRequestedAt);
                setTime(ps, i++, afterRequestedAt);
                ps.setString(i++, afterWorkflowId);
            }
            ps.setInt(i, limit);
            return readItems(ps);
        });
    }

    /** The inbox rank of a priority: urgent 0, high 1, normal 2, anything else 3. */
    public static int priorityRank(String priority) {
        return switch (priority) {
            case "urgent" -> 0;
            case "high" -> 1;
            case "normal" -> 2;
            default -> 3;
        };
    }

    private static final String OPEN_SQL = "status IN ('requested', 'in_review', 'changes_requested', 'escalated')";

    /**
     * One inbox page (see {@link InboxQuery} for the order). Open-only pages are read as two index-ordered
     * parts, overdue items first and then the others, each in {@code (priority_rank, requested_at,
     * workflow_id)} order on the partial index of open items; the keyset cursor continues inside its part.
     */
    public List<WorkflowItem> inbox(String tenant, InboxQuery q) {
        if (!q.onlyOpen() || (q.status() != null && !OPEN.contains(q.status()))) {
            return inboxGeneric(tenant, q);
        }
        List<WorkflowItem> out = new ArrayList<>();
        InboxQuery.InboxCursor c = q.after();
        boolean wantOverdue = !Boolean.FALSE.equals(q.overdueOnly());
        boolean wantOnTime = !Boolean.TRUE.equals(q.overdueOnly());
        if (wantOverdue && (c == null || c.overdueRank() == 0)) {
            out.addAll(inboxPart(tenant, q, true, c, q.limit()));
        }
        if (wantOnTime && out.size() < q.limit()) {
            out.addAll(inboxPart(tenant, q, false, c != null && c.overdueRank() == 1 ? c : null, q.limit() - out.size()));
        }
        return out;
    }

    private List<WorkflowItem> inboxPart(String tenant, InboxQuery q, boolean overdue, InboxQuery.InboxCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ITEM_COLUMNS + " FROM dg_workflow_items WHERE tenant_id = ? AND " + OPEN_SQL);
        List<Object> args = new ArrayList<>();
        args.add(tenant);
        sql.append(overdue ? " AND sla_due_at < ?" : " AND (sla_due_at IS NULL OR sla_due_at >= ?)");
        args.add(q.now());
        addEq(sql, args, "status", q.status());
        addEq(sql, args, "assigned_account_id", q.assignedAccountId());
        addEq(sql, args, "assigned_role", q.assignedRole());
        addEq(sql, args, "priority", q.priority());
        addEq(sql, args, "trace_id", q.traceId());
        addEq(sql, args, "workflow_name", q.workflowName());
        addEq(sql, args, "policy_id", q.policyId());
        if (after != null) {
            sql.append(" AND (priority_rank > ? OR (priority_rank = ? AND (requested_at > ? OR (requested_at = ? AND workflow_id > ?))))");
            args.addAll(List.of(after.priorityRank(), after.priorityRank(), after.requestedAt(), after.requestedAt(), after.workflowId()));
        }
        sql.append(" ORDER BY priority_rank, requested_at, workflow_id LIMIT ?");
        args.add(limit);
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare(sql.toString());
            bind(ps, args);
            return readItems(ps);
        });
    }

    /** Pages that include closed items: one query ordered by the computed ranks. */
    private List<WorkflowItem> inboxGeneric(String tenant, InboxQuery q) {
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(tenant);
        if (q.onlyOpen()) {
            where.append(" AND status IN ('requested', 'in_review', 'changes_requested', 'escalated')");
        }
        addEq(where, args, "status", q.status());
        addEq(where, args, "assigned_account_id", q.assignedAccountId());
        addEq(where, args, "assigned_role", q.assignedRole());
        addEq(where, args, "priority", q.priority());
        addEq(where, args, "trace_id", q.traceId());
        addEq(where, args, "workflow_name", q.workflowName());
        addEq(where, args, "policy_id", q.policyId());
        String overdue = "(CASE WHEN status IN ('requested', 'in_review', 'changes_requested', 'escalated')"
                + " AND sla_due_at IS NOT NULL AND sla_due_at < ? THEN 0 ELSE 1 END)";
        String prio = "(CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)";
        if (Boolean.TRUE.equals(q.overdueOnly())) {
            where.append(" AND ").append(overdue).append(" = 0");
            args.add(q.now());
        } else if (Boolean.FALSE.equals(q.overdueOnly())) {
            where.append(" AND ").append(overdue).append(" = 1");
            args.add(q.now());
        }
        String sql = "SELECT * FROM (SELECT " + ITEM_COLUMNS + ", " + overdue + " AS o_rank, " + prio + " AS p_rank"
                + " FROM dg_workflow_items" + where + ") t";
        List<Object> all = new ArrayList<>();
        all.add(q.now());
        all.addAll(args);
        if (q.after() != null) {
            InboxQuery.InboxCursor c = q.after();
            sql += " WHERE (o_rank > ? OR (o_rank = ? AND (p_rank > ? OR (p_rank = ? AND (requested_at > ?"
                    + " OR (requested_at = ? AND workflow_id > ?))))))";
            all.addAll(List.of(c.overdueRank(), c.overdueRank(), c.priorityRank(), c.priorityRank(), c.requestedAt(),
                    c.requestedAt(), c.workflowId()));
        }
        sql += " ORDER BY o_rank, p_rank, requested_at, workflow_id LIMIT ?";
        all.add(q.limit());
        String finalSql = sql;
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare(finalSql);
            bind(ps, all);
            return readItems(ps);
        });
    }

    /** Counts of a tenant (summary of spec 3.5). */
    public InboxCounts counts(String tenant, Instant now) {
        return db.tx().read(h -> {
            Map<String, Long> by = new LinkedHashMap<>();
            long notes = 0;
            PreparedStatement ps = h.prepare("SELECT counter, n FROM dg_workflow_counts WHERE tenant_id = ?");
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String counter = rs.getString(1);
                    if (counter.startsWith("status:")) {
                        if (rs.getLong(2) != 0) {
                            by.put(counter.substring("status:".length()), rs.getLong(2));
                        }
                    } else if (counter.equals("notifications")) {
                        notes = rs.getLong(2);
                    }
                }
            }
            PreparedStatement od = h.prepare("SELECT COUNT(*) FROM dg_workflow_items WHERE tenant_id = ?"
                    + " AND status IN ('requested', 'in_review', 'changes_requested', 'escalated') AND sla_due_at < ?");
            od.setString(1, tenant);
            setTime(od, 2, now);
            long overdue;
            try (ResultSet rs = od.executeQuery()) {
                rs.next();
                overdue = rs.getLong(1);
            }
            return new InboxCounts(by, overdue, notes);
        });
    }

    /** Every action row of an item, {@code created_at ASC, action_id ASC}. */
    public List<WorkflowAction> actions(String tenant, String workflowId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + ACTION_COLUMNS + " FROM dg_workflow_actions WHERE tenant_id = ?"
                    + " AND workflow_id = ? ORDER BY created_at, action_id");
            ps.setString(1, tenant);
            ps.setString(2, workflowId);
            List<WorkflowAction> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readAction(rs, tenant));
                }
            }
            return out;
        });
    }

    public Optional<WorkflowAction> action(String tenant, String actionId) {
        return db.tx().read(h -> action(h, tenant, "action_id", actionId));
    }

    public Optional<WorkflowAction> actionByRequestKey(String tenant, String requestKey) {
        return db.tx().read(h -> action(h, tenant, "request_key", requestKey));
    }

    Optional<WorkflowAction> action(Handle h, String tenant, String column, String value) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT " + ACTION_COLUMNS + " FROM dg_workflow_actions WHERE tenant_id = ? AND "
                + column + " = ?");
        ps.setString(1, tenant);
        ps.setString(2, value);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(readAction(rs, tenant)) : Optional.empty();
        }
    }

    /** Notifications of an item, {@code created_at DESC, notification_id DESC}; {@code limit} null = all. */
    public List<WorkflowNotification> notifications(String tenant, String workflowId, Integer limit) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + NOTIFICATION_COLUMNS + " FROM dg_workflow_notifications"
                    + " WHERE tenant_id = ? AND workflow_id = ? ORDER BY created_at DESC, notification_id DESC LIMIT ?");
            ps.setString(1, tenant);
            ps.setString(2, workflowId);
            ps.setInt(3, limit == null ? Integer.MAX_VALUE : limit);
            List<WorkflowNotification> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readNotification(rs, tenant));
                }
            }
            return out;
        });
    }

    /** One attachment of an item with its content, or empty (other tenants' attachments are never found). */
    public Optional<Attachment> attachment(String tenant, String workflowId, String attachmentId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_workflow_attachments WHERE tenant_id = ? AND workflow_id = ?"
                    + " AND attachment_id = ?");
            ps.setString(1, tenant);
            ps.setString(2, workflowId);
            ps.setString(3, attachmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readAttachment(rs, true)) : Optional.<Attachment>empty();
            }
        });
    }

    /** The attachments of an item without content, oldest first. */
    public List<Attachment> attachments(String tenant, String workflowId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT tenant_id, attachment_id, workflow_id, file_name, content_type, size_bytes, sha256,"
                    + " uploaded_by, created_at FROM dg_workflow_attachments WHERE tenant_id = ? AND workflow_id = ?"
                    + " ORDER BY created_at, attachment_id");
            ps.setString(1, tenant);
            ps.setString(2, workflowId);
            List<Attachment> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readAttachment(rs, false));
                }
            }
            return out;
        });
    }

    private Attachment readAttachment(ResultSet rs, boolean content) throws SQLException {
        return new Attachment(rs.getString("tenant_id"), rs.getString("attachment_id"), rs.getString("workflow_id"),
                rs.getString("file_name"), rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                content ? rs.getBytes("content") : null, rs.getString("uploaded_by"), getTime(rs, "created_at"));
    }

    /** Stores the next version of a tenant template (1 for a new id) and returns it. */
    public TemplateRow saveTemplate(String tenant, String templateId, JsonObject body, Instant at, String by) {
        return write(tenant, tx -> tx.saveTemplate(templateId, body, at, by));
    }

    /** Every version of a tenant template, oldest first. */
    public List<TemplateRow> templateVersions(String tenant, String templateId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_workflow_templates WHERE tenant_id = ? AND template_id = ? ORDER BY version");
            ps.setString(1, tenant);
            ps.setString(2, templateId);
            return readTemplates(ps);
        });
    }

    /** The current (highest) version of each tenant template, by id. */
    public List<TemplateRow> currentTemplates(String tenant) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT t.* FROM dg_workflow_templates t WHERE t.tenant_id = ? AND t.version ="
                    + " (SELECT MAX(version) FROM dg_workflow_templates m WHERE m.tenant_id = t.tenant_id AND m.template_id = t.template_id)"
                    + " ORDER BY t.template_id");
            ps.setString(1, tenant);
            return readTemplates(ps);
        });
    }

    List<TemplateRow> readTemplates(PreparedStatement ps) throws SQLException {
        List<TemplateRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TemplateRow(rs.getString("tenant_id"), rs.getString("template_id"), rs.getInt("version"),
                        object(rs.getString("body_json")), getTime(rs, "created_at"), rs.getString("created_by")));
            }
        }
        return out;
    }

    // --- row mapping ----------------------------------------------------------------------------

    static final String ITEM_COLUMNS = "tenant_id, workflow_id, trace_id, workflow_kind, workflow_name, subject_type,"
            + " subject_id, status, priority, title, policy_id, policy_version, requested_by_actor_id,"
            + " requested_by_actor_type, assigned_account_id, assigned_role, requested_at, sla_due_at, updated_at,"
            + " resolved_at, last_action_type, last_action_at, current_decision, current_reason, approval_event_id,"
            + " created_from_event_id, last_source_log_seq, metadata_json, escalation_count, review_trace_id";
    static final String ACTION_COLUMNS = "action_id, workflow_id, trace_id, action_type, actor_id, actor_type,"
            + " actor_account_id, note, payload_json, source_event_id, resulting_status, request_key, created_at";
    static final String NOTIFICATION_COLUMNS = "notification_id, workflow_id, trace_id, category, channel, status, message,"
            + " recipient_account_id, recipient_role, payload_json, dedupe_key, created_at, delivered_at";

    private List<WorkflowItem> readItems(PreparedStatement ps) throws SQLException {
        List<WorkflowItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(readItem(rs));
            }
        }
        return out;
    }

    WorkflowItem readItem(ResultSet rs) throws SQLException {
        return new WorkflowItem(rs.getString("tenant_id"), rs.getString("workflow_id"), rs.getString("trace_id"),
                rs.getString("workflow_kind"), rs.getString("workflow_name"), rs.getString("subject_type"),
                rs.getString("subject_id"), rs.getString("status"), rs.getString("priority"), rs.getString("title"),
                rs.getString("policy_id"), rs.getString("policy_version"), rs.getString("requested_by_actor_id"),
                rs.getString("requested_by_actor_type"), rs.getString("assigned_account_id"), rs.getString("assigned_role"),
                getTime(rs, "requested_at"), getTime(rs, "sla_due_at"), getTime(rs, "updated_at"),
                getTime(rs, "resolved_at"), rs.getString("last_action_type"), getTime(rs, "last_action_at"),
                rs.getString("current_decision"), rs.getString("current_reason"), rs.getString("approval_event_id"),
                rs.getString("created_from_event_id"), rs.getLong("last_source_log_seq"),
                object(rs.getString("metadata_json")), rs.getInt("escalation_count"), rs.getString("review_trace_id"));
    }

    WorkflowAction readAction(ResultSet rs, String tenant) throws SQLException {
        return new WorkflowAction(tenant, rs.getString("action_id"), rs.getString("workflow_id"), rs.getString("trace_id"),
                rs.getString("action_type"), rs.getString("actor_id"), rs.getString("actor_type"),
                rs.getString("actor_account_id"), rs.getString("note"), object(rs.getString("payload_json")),
                rs.getString("source_event_id"), rs.getString("resulting_status"), rs.getString("request_key"),
                getTime(rs, "created_at"));
    }

    WorkflowNotification readNotification(ResultSet rs, String tenant) throws SQLException {
        return new WorkflowNotification(tenant, rs.getString("notification_id"), rs.getString("workflow_id"),
                rs.getString("trace_id"), rs.getString("category"), rs.getString("channel"), rs.getString("status"),
                rs.getString("message"), rs.getString("recipient_account_id"), rs.getString("recipient_role"),
                object(rs.getString("payload_json")), rs.getString("dedupe_key"), getTime(rs, "created_at"),
                getTime(rs, "delivered_at"));
    }

    static JsonObject object(String text) {
        return text == null || text.isEmpty() ? JsonObject.empty() : (JsonObject) JsonParser.parse(text);
    }

    static String json(JsonObject o) {
        return JsonWriter.canonicalLenient(o);
    }

    private static void addEq(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            switch (a) {
                case Instant t -> setTime(ps, i + 1, t);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                default -> ps.setString(i + 1, (String) a);
            }
        }
    }

    void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
        SqlTime.set(ps, index, t, postgres);
    }

    Instant getTime(ResultSet rs, String column) throws SQLException {
        return SqlTime.get(rs, column, postgres);
    }
}
