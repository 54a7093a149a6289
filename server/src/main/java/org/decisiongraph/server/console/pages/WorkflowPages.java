package org.decisiongraph.server.console.pages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.javalin.http.UploadedFile;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.ServiceHealth;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.PanelState;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.workflow.Attachment;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.workflow.ActionResult;
import org.decisiongraph.workflow.Caller;
import org.decisiongraph.workflow.Statuses;
import org.decisiongraph.workflow.WorkflowError;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.inbox.Inbox;

/**
 * The review pages of the console (platform spec 4.4, 3.5-3.9): the inbox (filters, SLA order, cursor paging, counts)
 * and the item detail (action timeline, the trace's events, evidence files, projection digests, and the action forms
 * the user may use). Every action goes through the workflow module's {@code ReviewService} / {@code Attachments} with a
 * console {@link Caller}, so the permission gates and audit rows are the API's; a decision's {@code ApprovalRecorded} is
 * handed to the server's append hook (projection workers signalled, {@code event_appended} pushed to live pages).
 */
public final class WorkflowPages implements ConsolePages {
    static final String INBOX = "/console/workflows";
    static final String ITEM = "/console/workflow";

    /** One row of the inbox. */
    public record Row(String workflowId, String title, String kind, String workflowName, String status, String priority,
                      String assignee, String slaDueAt, boolean overdue, String traceId, String policy, int escalations, String href) {
    }

    /** The inbox filters as given. */
    public record Filters(String status, String priority, String workflowName, String policyId, String slaState, String assignee,
                          String traceId, boolean onlyOpen, String sort) {
    }

    /** The inbox page model. */
    public record InboxView(Filters filters, List<Row> rows, Map<String, Long> counts, String nextHref, String firstHref,
                            PanelState state, String listUrl) {
    }

    /** One line of a timeline (action rows and trace events). */
    public record Entry(String at, String kind, String title, String actor, String detail, String eventId) {
    }

    /** An evidence file. */
    public record FileRow(String attachmentId, String fileName, String contentType, long sizeBytes, String sha256, String href) {
    }

    /** The item detail model. */
    public record ItemView(String workflowId, String title, String status, String priority, String kind, String workflowName,
                           String traceId, String reviewTraceId, String assignee, String slaDueAt, boolean overdue,
                           String requestedAt, String resolvedAt, String currentDecision, String currentReason, String policy,
                           int escalations, List<Entry> actions, List<Entry> traceEvents, List<FileRow> files,
                           List<String> digests, String fullDigest, boolean open, boolean exceptionReview, boolean canReview,
                           boolean canAssign, boolean canEscalate, boolean canOverride, boolean canExport, String overridePhrase,
                           String actionUrl, String uploadUrl, String exportUrl, String evidenceUrl, String liveUrl, String traceHref, String flash,
                           String flashKind, boolean digestsSettled) {
    }

    @Override
    public void register(Console console) {
        console.nav("Inbox", INBOX, Requirement.READER);
        console.page(INBOX, Requirement.READER, r -> r.page("wf/inbox.jte", "Review inbox", inbox(r)));
        console.fragment(INBOX + "/list", Requirement.READER, r -> r.fragment("wf/inbox_list.jte", inbox(r)));
        console.page(ITEM, Requirement.READER, r -> {
            try {
                ItemView v = item(r, r.query("id"), r.query("flash"), r.query("kind"));
                return r.page("wf/item.jte", v.title(), v);
            } catch (WorkflowError e) {
                WorkflowPages.status(r, e.status());
                return r.page("wf/message.jte", "Not found", new Message("Not found", e.message(), Urls.of(INBOX, "tenant", r.tenant())));
            }
        });
        console.fragment(ITEM + "/live", Requirement.READER, r -> r.fragment("wf/item_live.jte", item(r, r.query("id"), null, null)));
        console.action(ITEM + "/act", Requirement.WRITER, this::act);
        console.action(ITEM + "/attach", Requirement.WRITER, this::attach);
        console.page(ITEM + "/file", Requirement.READER, this::download);
        console.page(ITEM + "/export", Requirement.admin(Permissions.WORKFLOW_EXPORT), this::export);
    }

    private static Workflows workflows(PageRequest r) {
        return Objects.requireNonNull(r.console().workflows(), "workflow runtime");
    }

    // --- inbox ---------------------------------------------------------------------------------------------------

    static InboxView inbox(PageRequest r) {
        String assignee = r.query("assignee");
        String account = null;
        String role = null;
        if (assignee != null) {
            if (assignee.startsWith("role:")) {
                role = assignee.substring(5);
            } else {
                account = assignee;
            }
        }
        String sla = r.query("sla");
        boolean onlyOpen = !"all".equals(r.query("scope"));
        String sort = "due".equals(r.query("sort")) ? "due" : null;
        Filters filters = new Filters(r.query("status"), r.query("priority"), r.query("workflow_name"), r.query("policy_id"), sla,
                assignee, r.query("trace_id"), onlyOpen, sort);
        String listUrl = Urls.of(INBOX + "/list", "tenant", r.tenant(), "status", filters.status(), "priority", filters.priority(),
                "workflow_name", filters.workflowName(), "policy_id", filters.policyId(), "sla", sla, "assignee", assignee,
                "trace_id", filters.traceId(), "scope", onlyOpen ? null : "all", "sort", sort, "cursor", r.query("cursor"));
        Workflows w = r.console().workflows();
        if (w == null) {
            return new InboxView(filters, List.of(), Map.of(), null, null, PanelState.unavailable("the workflow runtime is not running"),
                    listUrl);
        }
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "status", filters.status());
        put(q, "priority", filters.priority());
        put(q, "workflow_name", filters.workflowName());
        put(q, "policy_id", filters.policyId());
        put(q, "assigned_account_id", account);
        put(q, "assigned_role", role);
        put(q, "trace_id", filters.traceId());
        q.put("only_open", Boolean.toString(onlyOpen));
        if ("overdue".equals(sla)) {
            q.put("only_overdue", "true");
        }
        put(q, "limit", r.query("limit"));
        put(q, "cursor", r.query("cursor"));
        JsonObject doc;
        try {
            doc = w.inbox().list(r.tenant(), Inbox.Params.of(q));
        } catch (WorkflowError | DgException e) {
            return new InboxView(filters, List.of(), Map.of(), null, null, PanelState.unavailable(message(e)), listUrl);
        }
        List<Row> rows = new ArrayList<>();
        for (Json j : doc.getArray("items").items()) {
            JsonObject it = (JsonObject) j;
            boolean overdue = it.get("overdue") instanceof org.decisiongraph.core.json.JsonBool b && b.value();
            if ("on_track".equals(sla) && overdue) {
                continue;
            }
            String id = it.getString("workflow_id");
            rows.add(new Row(id, it.getString("title"), it.getString("workflow_kind"), it.getString("workflow_name"),
                    it.getString("status"), it.getString("priority"), assignee(it.getString("assigned_account_id"), it.getString("assigned_role")),
                    it.getString("sla_due_at"), overdue, it.getString("trace_id"), policy(it.getString("policy_id"), it.getString("policy_version")),
                    (int) ((org.decisiongraph.core.json.JsonInt) it.get("escalation_count")).longValue(), itemHref(r.tenant(), id)));
        }
        if ("due".equals(sort)) {
            // the page (SLA order from the store's keyset) sorted by deadline, earliest first, items without one last
            rows.sort(java.util.Comparator.comparing((Row x) -> x.slaDueAt() == null || x.slaDueAt().isEmpty() ? Instant.MAX
                    : Instant.parse(x.slaDueAt())));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        JsonObject summary = doc.getObject("summary");
        for (String k : List.of("open_count", "overdue_count", "requested_count", "in_review_count", "escalated_count",
                "changes_requested_count", "approved_count", "rejected_count", "overridden_count", "total_count")) {
            if (summary.get(k) instanceof org.decisiongraph.core.json.JsonInt n) {
                counts.put(k.substring(0, k.length() - "_count".length()), n.longValue());
            }
        }
        String next = doc.get("next_cursor") instanceof JsonString s ? s.value() : null;
        String base = Urls.of(INBOX, "tenant", r.tenant(), "status", filters.status(), "priority", filters.priority(), "workflow_name",
                filters.workflowName(), "policy_id", filters.policyId(), "sla", sla, "assignee", assignee, "trace_id", filters.traceId(),
                "scope", onlyOpen ? null : "all", "sort", sort);
        PanelState state = rows.isEmpty() ? PanelState.empty("No review items match these filters.") : PanelState.READY;
        return new InboxView(filters, rows, counts, next == null ? null : Urls.withQuery(base, "cursor", next),
                r.query("cursor") == null ? null : base, state, listUrl);
    }

    private static void put(Map<String, String> q, String k, String v) {
        if (v != null) {
            q.put(k, v);
        }
    }

    static String itemHref(String tenant, String workflowId) {
        return Urls.of(ITEM, "tenant", tenant, "id", workflowId);
    }

    private static String assignee(String account, String role) {
        if (account != null) {
            return account + (role == null ? "" : " (" + role + ")");
        }
        return role == null ? "unassigned" : "role " + role;
    }

    private static String policy(String id, String version) {
        return id == null ? "" : version == null ? id : id + "@" + version;
    }

    // --- detail ----------------------------------------------------------------------------------------------------

    static ItemView item(PageRequest r, String id, String flash, String flashKind) {
        Workflows w = workflows(r);
        if (id == null) {
            throw WorkflowError.notFound("Workflow not found: ");
        }
        w.catchUp(r.tenant());
        WorkflowItem it = w.store().item(r.tenant(), id).orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + id));
        Instant now = r.services().clock().instant().truncatedTo(ChronoUnit.MICROS);
        List<Entry> actions = new ArrayList<>();
        for (WorkflowAction a : w.store().actions(r.tenant(), id)) {
            String detail = a.note() == null ? "" : a.note();
            actions.add(new Entry(time(a.createdAt()), a.actionType(), a.actionType().replace('_', ' ')
                    + (a.resultingStatus() == null ? "" : " → " + a.resultingStatus()), a.actorId() == null ? "" : a.actorId(),
                    detail, a.sourceEventId()));
        }
        List<Entry> events = new ArrayList<>();
        addEvents(events, r, it.traceId());
        if (it.reviewTraceId() != null) {
            addEvents(events, r, it.reviewTraceId());
        } else if (r.services().log().nextTraceSeq(r.tenant(), it.traceId() + ":review") > 0) {
            addEvents(events, r, it.traceId() + ":review");
        }
        List<FileRow> files = new ArrayList<>();
        for (Attachment a : w.attachments().list(r.tenant(), id)) {
            files.add(new FileRow(a.attachmentId(), a.fileName(), a.contentType(), a.sizeBytes(), a.sha256(),
                    Urls.of(ITEM + "/file", "tenant", r.tenant(), "id", id, "file", a.attachmentId())));
        }
        List<String> digests = new ArrayList<>();
        String full = null;
        boolean settled = true;
        try {
            Projections p = Projections.open(r.services().db(), r.tenant(), r.services().clock());
            ServiceHealth h = p.serviceHealth();
            full = h.fullDigest();
            // the checkpoint trails the workers by up to one checkpoint interval: until it covers the log, the panel
            // asks again (a bounded follow-up, not a poll: it stops once the digests are current)
            settled = p.store().digestCheckpoint(org.decisiongraph.store.readmodel.ProjectionName.FULL_PROJECTION)
                    .map(c -> c.lastLogSeq() >= h.eventLogLastSeq()).orElse(h.eventLogLastSeq() == 0);
            for (ServiceHealth.Status s : h.projections()) {
                digests.add(s.projection().wireName() + " @" + s.lastLogSeq() + "/" + s.eventLogLastSeq() + " " + (s.digest() == null ? "—" : s.digest()));
            }
        } catch (RuntimeException e) {
            digests.add("unavailable: " + e.getMessage());
        }
        boolean open = Statuses.isOpen(it.status());
        String tenant = r.tenant();
        return new ItemView(id, it.title(), it.status(), it.priority(), it.workflowKind(), it.workflowName() == null ? "" : it.workflowName(),
                it.traceId(), it.reviewTraceId(), assignee(it.assignedAccountId(), it.assignedRole()), time(it.slaDueAt()),
                open && it.slaDueAt() != null && it.slaDueAt().isBefore(now), time(it.requestedAt()), time(it.resolvedAt()),
                it.currentDecision(), it.currentReason(), policy(it.policyId(), it.policyVersion()), it.escalationCount(), actions, events,
                files, digests, full, open, Statuses.EXCEPTION_REVIEW.equals(it.workflowKind()),
                r.can(Requirement.writer(Permissions.WORKFLOW_REVIEW)), r.can(Requirement.writer(Permissions.WORKFLOW_ASSIGN)),
                r.can(Requirement.writer(Permissions.WORKFLOW_ESCALATE)), r.can(Requirement.writer(Permissions.WORKFLOW_OVERRIDE)),
                r.can(Requirement.admin(Permissions.WORKFLOW_EXPORT)),
                "OVERRIDE " + id.toUpperCase(java.util.Locale.ROOT),
                ITEM + "/act", ITEM + "/attach", Urls.of(ITEM + "/export", "tenant", tenant, "id", id), EvidencePages.itemHref(tenant, id),
                Urls.of(ITEM + "/live", "tenant", tenant, "id", id), Urls.of("/trace", "tenant", tenant, "trace_id", it.traceId()),
                flash, flashKind, settled);
    }

    private static void addEvents(List<Entry> out, PageRequest r, String traceId) {
        for (StoredEvent e : r.services().log().traceEvents(r.tenant(), traceId)) {
            var env = e.envelope();
            String detail = "";
            if (env.payload() instanceof JsonObject p) {
                if ("ApprovalRecorded".equals(env.eventType())) {
                    detail = p.getString("decision") + (p.getString("reason") == null ? "" : ": " + p.getString("reason"));
                } else if (p.getString("reason") != null) {
                    detail = p.getString("reason");
                } else if (p.getString("title") != null) {
                    detail = p.getString("title");
                } else if (p.getString("decision") != null) {
                    detail = p.getString("decision");
                }
            }
            out.add(new Entry(env.occurredAt(), env.eventType(), "#" + e.logSeq() + " " + traceId + " seq " + env.traceSeq() + " " + env.eventType(),
                    env.actor().actorType() + ":" + env.actor().actorId(), detail, env.eventId()));
        }
    }

    private static String time(Instant t) {
        return t == null ? "" : org.decisiongraph.core.event.Timestamps.toRfc3339(t);
    }

    // --- actions -----------------------------------------------------------------------------------------------------

    static Caller caller(PageRequest r) {
        return new Caller(r.userId(), Caller.USER, r.session().roles(r.tenant()), r.session().permissions(r.tenant()), r.requestId(),
                r.clientAddress());
    }

    private String act(PageRequest r) {
        Workflows w = workflows(r);
        String id = r.form("id");
        String action = r.form("action");
        if (id == null) {
            status(r, 400);
            return r.page("wf/message.jte", "Bad request", new Message("Bad request", "The workflow id is missing.", null));
        }
        JsonObject.Builder body = JsonObject.builder();
        boolean unclaim = "unclaim".equals(action);
        if (unclaim) {
            // releasing a claim: assign the item back to its role (no account), the API's reassign
            WorkflowItem it = w.store().item(r.tenant(), id).orElse(null);
            body.put("action", "reassign").put("assigned_role", it == null || it.assignedRole() == null ? "admin" : it.assignedRole())
                    .put("note", "unclaimed by " + r.userId());
        } else {
            body.put("action", action == null ? "" : action);
            putIf(body, "reason", r.form("reason"));
            putIf(body, "note", r.form("note"));
            putIf(body, "confirm_text", r.form("confirm_text"));
            putIf(body, "assigned_account_id", r.form("assigned_account_id"));
            putIf(body, "assigned_role", r.form("assigned_role"));
            String evidence = r.form("evidence");
            if (evidence != null) {
                List<Json> items = new ArrayList<>();
                for (String line : evidence.split("\\R")) {
                    if (!line.isBlank()) {
                        items.add(JsonObject.builder().put("locator", line.strip()).build());
                    }
                }
                body.put("evidence", JsonArray.of(items));
            }
        }
        String label = unclaim ? "unclaim" : action;
        try {
            ActionResult result = w.review().act(r.tenant(), id, body.build(), caller(r));
            notifyAppended(r, result);
            changed(r, result.workflow());
            return done(r, id, "Done: " + label + " → " + result.workflow().status(), "good");
        } catch (WorkflowError e) {
            WorkflowPages.status(r, e.status());
            return done(r, id, e.message(), "alert");
        } catch (DgException e) {
            status(r, e.code().httpStatus());
            return done(r, id, e.message(), "alert");
        }
    }

    /** After a decision: the appended event goes to the append hook (workers signalled, live pages told). */
    private static void notifyAppended(PageRequest r, ActionResult result) {
        if (result.action().get("appended_event_id") instanceof JsonString s && !result.replay()) {
            notifyAppended(r, result.workflow(), s.value());
        }
    }

    /** Hands the event {@code eventId} (on the item's trace or its review trace) to the server's append hook. */
    static void notifyAppended(PageRequest r, WorkflowItem it, String eventId) {
        List<StoredEvent> appended = new ArrayList<>();
        for (String trace : List.of(it.traceId(), it.traceId() + ":review")) {
            for (StoredEvent e : r.services().log().traceEvents(r.tenant(), trace)) {
                if (e.envelope().eventId().equals(eventId)) {
                    appended.add(e);
                }
            }
        }
        if (!appended.isEmpty()) {
            r.services().appendHook().eventsAppended(r.tenant(), appended);
        }
    }

    /** Tells open console pages of the tenant that the item changed ({@code workflow_changed}). */
    static void changed(PageRequest r, WorkflowItem it) {
        if (r.console().hub() != null) {
            r.console().hub().workflowChanged(r.tenant(), it.workflowId(), it.status());
        }
    }

    private static void putIf(JsonObject.Builder b, String k, String v) {
        if (v != null) {
            b.put(k, v);
        }
    }

    /** A message page (errors of actions without an item). */
    public record Message(String title, String text, String backHref) {
    }

    private static String done(PageRequest r, String id, String flash, String kind) {
        if (r.context().status().getCode() >= 400) {
            // stay on the page with the refusal (the status tells scripts and tests what happened)
            try {
                return r.page("wf/item.jte", "Review item", item(r, id, flash, kind));
            } catch (WorkflowError notFound) {
                return r.page("wf/message.jte", "Not found", new Message("Not found", notFound.message(), Urls.of(INBOX, "tenant", r.tenant())));
            }
        }
        r.redirect(Urls.of(ITEM, "tenant", r.tenant(), "id", id, "flash", flash, "kind", kind));
        return null;
    }

    private String attach(PageRequest r) throws Exception {
        Workflows w = workflows(r);
        String id = r.form("id");
        UploadedFile file = r.context().uploadedFile("file");
        if (id == null || file == null) {
            status(r, 400);
            return id == null ? r.page("wf/message.jte", "Bad request", new Message("Bad request", "The workflow id is missing.", null))
                    : done(r, id, "Choose a file to attach.", "alert");
        }
        byte[] content;
        try (var in = file.content()) {
            content = in.readAllBytes();
        }
        try {
            w.attachments().upload(r.tenant(), id, file.filename(), file.contentType() == null ? "application/octet-stream" : file.contentType(),
                    content, caller(r));
            w.store().item(r.tenant(), id).ifPresent(it -> changed(r, it));
            return done(r, id, "Attached " + file.filename(), "good");
        } catch (WorkflowError e) {
            WorkflowPages.status(r, e.status());
            return done(r, id, e.message(), "alert");
        }
    }

    private String download(PageRequest r) {
        Workflows w = workflows(r);
        try {
            Attachment a = w.attachments().download(r.tenant(), r.query("id"), r.query("file"));
            r.context().header("Content-Disposition", "attachment; filename=\"" + a.fileName().replace("\"", "") + "\"");
            r.context().header("x-dg-sha256", a.sha256());
            r.context().contentType(a.contentType());
            r.context().result(a.content());
            return null;
        } catch (WorkflowError e) {
            WorkflowPages.status(r, e.status());
            return r.page("wf/message.jte", "Not found", new Message("Not found", e.message(), Urls.of(INBOX, "tenant", r.tenant())));
        }
    }

    /** The audit export of an item as a file download (admin + workflow_export, audited like the API's). */
    private String export(PageRequest r) {
        Workflows w = workflows(r);
        String id = r.query("id");
        try {
            JsonObject doc = w.export().document(r.tenant(), id);
            r.audit("workflow_export", "accepted", "workflow", id, null, null, JsonObject.builder().put("via", "console").build());
            r.context().header("Content-Disposition", "attachment; filename=\"" + fileName(id) + "-export.json\"");
            r.context().contentType("application/json");
            r.context().result(JsonWriter.pretty(doc).getBytes(StandardCharsets.UTF_8));
            return null;
        } catch (WorkflowError e) {
            r.audit("workflow_export", "rejected", "workflow", id, e.message(), e.code(), JsonObject.builder().put("via", "console").build());
            WorkflowPages.status(r, e.status());
            return r.page("wf/message.jte", "Not found", new Message("Not found", e.message(), Urls.of(INBOX, "tenant", r.tenant())));
        }
    }

    /** Sets an error status of a page that says itself what went wrong (the server's error handlers leave it alone). */
    static void status(PageRequest r, int status) {
        r.context().attribute(org.decisiongraph.server.api.Transport.ENVELOPED, Boolean.TRUE);
        r.context().status(status);
    }

    static String fileName(String id) {
        return id == null ? "workflow" : id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String message(RuntimeException e) {
        return e instanceof WorkflowError we ? we.message() : e instanceof DgException de ? de.message() : e.getMessage();
    }
}
