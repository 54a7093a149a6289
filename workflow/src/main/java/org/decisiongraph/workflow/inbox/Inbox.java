package org.decisiongraph.workflow.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.workflow.InboxCounts;
import org.decisiongraph.store.workflow.InboxQuery;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.workflow.Statuses;
import org.decisiongraph.workflow.WorkflowDocs;
import org.decisiongraph.workflow.WorkflowError;
import org.decisiongraph.workflow.WorkflowProjection;

/**
 * The review inbox (platform spec 1.11, 3.5): filters by status, account, role, priority, trace, workflow
 * name, policy and SLA state ({@code only_overdue}), SLA order (overdue first, priority, requested time),
 * keyset cursor pagination ({@code next_cursor}) and counts. Reads only.
 */
public final class Inbox {
    public static final int DEFAULT_LIMIT = 12;
    public static final int MAX_LIMIT = 50;

    private final WorkflowStore store;
    private final WorkflowProjection projection;
    private final Clock clock;

    public Inbox(WorkflowStore store, WorkflowProjection projection, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Query parameters as given (null = absent). */
    public record Params(String status, String assignedAccountId, String assignedRole, String priority, String traceId,
                         String workflowName, String policyId, String onlyOpen, String onlyOverdue, String limit, String cursor) {
        public static Params of(Map<String, String> q) {
            return new Params(q.get("status"), q.get("assigned_account_id"), q.get("assigned_role"), q.get("priority"),
                    q.get("trace_id"), q.get("workflow_name"), q.get("policy_id"), q.get("only_open"), q.get("only_overdue"),
                    q.get("limit"), q.get("cursor"));
        }
    }

    /** The inbox document without the summary: {@code {filters, items, next_cursor}}. */
    public JsonObject page(String tenant, Params p) {
        return list(tenant, p, false);
    }

    /** The inbox document {@code {filters, items, next_cursor, summary}}. */
    public JsonObject list(String tenant, Params p) {
        return list(tenant, p, true);
    }

    private JsonObject list(String tenant, Params p, boolean withSummary) {
        Instant now = now();
        String priority = blank(p.priority()) ? null : Statuses.priority(p.priority());
        boolean onlyOpen = bool(p.onlyOpen(), true);
        boolean onlyOverdue = bool(p.onlyOverdue(), false);
        int limit = limit(p.limit());
        InboxQuery.InboxCursor after = blank(p.cursor()) ? null : decode(p.cursor());
        InboxQuery q = new InboxQuery(nz(p.status()), nz(p.assignedAccountId()), nz(p.assignedRole()), priority, nz(p.traceId()),
                nz(p.workflowName()), nz(p.policyId()), onlyOverdue ? Boolean.TRUE : null, onlyOpen, now, limit + 1, after);
        List<WorkflowItem> rows = store.inbox(tenant, q);
        boolean more = rows.size() > limit;
        List<WorkflowItem> page = more ? rows.subList(0, limit) : rows;
        Json next = JsonNull.INSTANCE;
        if (more) {
            WorkflowItem last = page.getLast();
            next = new JsonString(encode(new InboxQuery.InboxCursor(WorkflowDocs.overdue(last, now) ? 0 : 1,
                    rank(last.priority()), last.requestedAt(), last.workflowId())));
        }
        JsonObject filters = JsonObject.builder().put("assigned_account_id", str(q.assignedAccountId()))
                .put("assigned_role", str(q.assignedRole())).put("limit", limit).put("only_open", onlyOpen)
                .put("only_overdue", onlyOverdue).put("policy_id", str(q.policyId())).put("priority", str(priority))
                .put("status", str(q.status())).put("trace_id", str(q.traceId())).put("workflow_name", str(q.workflowName()))
                .build();
        JsonObject.Builder b = JsonObject.builder().put("filters", filters)
                .put("items", JsonArray.of(page.stream().map(i -> (Json) WorkflowDocs.item(i, now)).toList()))
                .put("next_cursor", next);
        if (withSummary) {
            b.put("summary", summary(tenant, now));
        }
        return b.build();
    }

    /** The summary object (counts of spec 3.5 plus {@code in_review_count}, {@code source_cursor}, {@code pending_source_events}). */
    public JsonObject summary(String tenant, Instant now) {
        InboxCounts c = store.counts(tenant, now);
        long open = Statuses.OPEN.stream().mapToLong(c::status).sum();
        return JsonObject.builder().put("approved_count", c.status(Statuses.APPROVED))
                .put("changes_requested_count", c.status(Statuses.CHANGES_REQUESTED))
                .put("escalated_count", c.status(Statuses.ESCALATED))
                .put("in_review_count", c.status(Statuses.IN_REVIEW))
                .put("notification_count", c.notificationCount())
                .put("open_count", open)
                .put("overdue_count", c.overdueCount())
                .put("overridden_count", c.status(Statuses.OVERRIDDEN))
                .put("pending_source_events", projection.pending(tenant))
                .put("rejected_count", c.status(Statuses.REJECTED))
                .put("requested_count", c.status(Statuses.REQUESTED))
                .put("source_cursor", store.cursor(tenant))
                .put("tenant_id", tenant)
                .put("total_count", c.total())
                .build();
    }

    public JsonObject counts(String tenant) {
        return summary(tenant, now());
    }

    static int rank(String priority) {
        return switch (priority) {
            case "urgent" -> 0;
            case "high" -> 1;
            case "normal" -> 2;
            default -> 3;
        };
    }

    static int limit(String value) {
        if (blank(value)) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n < 1 ? DEFAULT_LIMIT : Math.min(n, MAX_LIMIT);
        } catch (NumberFormatException e) {
            return DEFAULT_LIMIT;
        }
    }

    static boolean bool(String value, boolean fallback) {
        if (blank(value)) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> fallback;
        };
    }

    static String encode(InboxQuery.InboxCursor c) {
        String raw = c.overdueRank() + "\n" + c.priorityRank() + "\n" + c.requestedAt() + "\n" + c.workflowId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static InboxQuery.InboxCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\n", 4);
            return new InboxQuery.InboxCursor(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Instant.parse(parts[2]), parts[3]);
        } catch (RuntimeException e) {
            throw WorkflowError.invalid("Invalid cursor");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nz(String s) {
        return blank(s) ? null : s.strip();
    }

    private static Json str(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonString(s);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
