package org.decisiongraph.server.api;

import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;

/** {@code GET /api/v1/admin/audit-log} (N27): newest first, cursor by {@code audit_id}; the query is audited. */
public final class AuditLogApi implements RouteGroup {

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/admin/audit-log", Access.ADMIN, "Query the audit log (newest first)", "admin")
                .query("action", "outcome", "actor_id", "target_type", "target_id", "since", "until", "tenant_id", "limit",
                        "cursor")
                .returns("AuditLogPage"), this::query);
    }

    private Reply query(Call call) {
        String tenant = call.tenant();
        String requested = call.query("tenant_id");
        if (requested != null && !requested.equals(tenant)) {
            if (!call.principal().account().isPlatformAdmin()) {
                throw ApiError.forbidden("Service account lacks platform admin access");
            }
            tenant = requested;
        }
        Instant since = Params.instant("since", call.query("since"));
        Instant until = Params.instant("until", call.query("until"));
        int limit = Params.adminLimit(call);
        String fingerprint = Cursors.fingerprint(call.tenant(), call.queryMap());
        Long before = Cursors.decode(call.query("cursor"), "audit_log", fingerprint);
        List<AuditEntry> rows = call.services().access().queryAudit(new AuditQuery(tenant, call.query("action"),
                call.query("outcome"), call.query("actor_id"), call.query("target_type"), call.query("target_id"),
                since, until, before, limit + 1));
        boolean more = rows.size() > limit;
        List<AuditEntry> page = more ? rows.subList(0, limit) : rows;
        String next = more ? Cursors.encode("audit_log", fingerprint, page.getLast().auditId()) : null;
        call.services().audit().admin(call, "audit_log_query", "accepted", "audit_log", tenant, null, null,
                JsonObject.builder().put("returned", page.size()).build());
        return Reply.ok(JsonObject.builder()
                .put("entries", Json.array(page.stream().map(AuditEntry::toJson).toList()))
                .put("next_cursor", Json.ofNullable(next))
                .build());
    }
}
