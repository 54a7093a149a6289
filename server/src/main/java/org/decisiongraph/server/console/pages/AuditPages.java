package org.decisiongraph.server.console.pages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.PanelState;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.access.AuditRecord;

/**
 * {@code /console/audit} (admin role): the tenant's {@code audit_log}, newest first, with the API's filters (action,
 * outcome, actor, target type and id, time range), keyset paging on the audit id, and an export of the filtered rows
 * as a JSON Lines download (at most {@value #EXPORT_MAX} rows). Queries and exports are themselves audited.
 */
public final class AuditPages implements ConsolePages {
    static final String PATH = "/console/audit";
    static final int PAGE = 50;
    static final int EXPORT_MAX = 10_000;

    /** One audit row. */
    public record Row(long auditId, String at, String actor, String action, String target, String outcome, String reason,
                      String requestId, String entryHash) {
    }

    /** The audit page model. */
    public record View(String action, String outcome, String actorId, String targetType, String targetId, String since, String until,
                       List<Row> rows, String nextHref, String firstHref, String exportHref, PanelState state) {
    }

    @Override
    public void register(Console console) {
        console.nav("Audit", PATH, Requirement.ADMIN);
        console.page(PATH, Requirement.ADMIN, r -> r.page("wf/audit.jte", "Audit log", view(r)));
        console.page(PATH + "/export", Requirement.ADMIN, this::export);
    }

    private static Instant instant(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.length() == 10 ? v + "T00:00:00Z" : v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid time '" + v + "' (use 2026-03-07 or 2026-03-07T10:00:00Z)");
        }
    }

    private static AuditQuery query(PageRequest r, Long before, int limit) {
        return new AuditQuery(r.tenant(), r.query("action"), r.query("outcome"), r.query("actor_id"), r.query("target_type"),
                r.query("target_id"), instant(r.query("since")), instant(r.query("until")), before, limit);
    }

    private static String filtered(PageRequest r, String path) {
        return Urls.of(path, "tenant", r.tenant(), "action", r.query("action"), "outcome", r.query("outcome"), "actor_id",
                r.query("actor_id"), "target_type", r.query("target_type"), "target_id", r.query("target_id"), "since", r.query("since"),
                "until", r.query("until"));
    }

    static View view(PageRequest r) {
        String base = filtered(r, PATH);
        Long before = null;
        String b = r.query("before");
        if (b != null) {
            try {
                before = Long.parseLong(b);
            } catch (NumberFormatException e) {
                before = null;
            }
        }
        List<Row> rows = new ArrayList<>();
        PanelState state;
        String next = null;
        try {
            List<AuditEntry> found = r.services().access().queryAudit(query(r, before, PAGE + 1));
            boolean more = found.size() > PAGE;
            for (AuditEntry e : more ? found.subList(0, PAGE) : found) {
                AuditRecord a = e.record();
                rows.add(new Row(e.auditId(), Timestamps.toRfc3339(a.recordedAt()), a.actorKind() + ":" + a.actorId(), a.action(),
                        (a.targetType() == null ? "" : a.targetType()) + (a.targetId() == null ? "" : " " + a.targetId()), a.outcome(),
                        a.reason() == null ? "" : a.reason(), a.requestId() == null ? "" : a.requestId(), e.entryHash()));
            }
            if (more) {
                next = Urls.withQuery(base, "before", Long.toString(rows.getLast().auditId()));
            }
            state = rows.isEmpty() ? PanelState.empty("No audit rows match these filters.") : PanelState.READY;
        } catch (IllegalArgumentException e) {
            state = PanelState.unavailable(e.getMessage());
        }
        return new View(r.query("action"), r.query("outcome"), r.query("actor_id"), r.query("target_type"), r.query("target_id"),
                r.query("since"), r.query("until"), rows, next, before == null ? null : base, filtered(r, PATH + "/export"), state);
    }

    private String export(PageRequest r) {
        List<AuditEntry> found;
        try {
            found = r.services().access().queryAudit(query(r, null, EXPORT_MAX));
        } catch (IllegalArgumentException e) {
            WorkflowPages.status(r, 400);
            return r.page("wf/audit.jte", "Audit log", view(r));
        }
        StringBuilder out = new StringBuilder();
        for (AuditEntry e : found) {
            out.append(JsonWriter.canonicalLenient(e.toJson())).append('\n');
        }
        r.audit("audit_log_export", "accepted", "audit_log", r.tenant(), null, null,
                JsonObject.builder().put("via", "console").put("returned", found.size()).build());
        r.context().header("Content-Disposition", "attachment; filename=\"audit-" + WorkflowPages.fileName(r.tenant()) + ".jsonl\"");
        r.context().contentType("application/x-ndjson");
        r.context().result(out.toString().getBytes(StandardCharsets.UTF_8));
        return null;
    }
}
