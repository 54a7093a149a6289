package org.decisiongraph.server.api;

import java.time.Clock;
import java.util.List;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.metrics.ServerMetrics;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code audit_log} rows (platform spec 2.6) plus the reference's log line
 * {@code api_admin_<action>_<outcome>} and counter. A failure to write a denial row is logged, never
 * turned into a different answer for the client.
 */
public final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger("org.decisiongraph.server.audit");

    private final AccessStore store;
    private final Clock clock;
    private final ServerMetrics metrics;

    AuditTrail(AccessStore store, Clock clock, ServerMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** An admin action by the call's principal: {@code accepted} or {@code rejected}. */
    public AuditEntry admin(Call call, String action, String outcome, String targetType, String targetId, String reason,
                            String errorCode, JsonObject details) {
        var p = call.principal();
        AuditRecord r = new AuditRecord(call.tenantOrNull(), clock.instant(), "service_account", p == null ? null : p.accountId(),
                p == null ? List.of() : p.account().roles(), action, targetType, targetId, outcome, reason, errorCode,
                call.requestId(), call.clientAddress(), details);
        if ("accepted".equals(outcome)) {
            LOG.info("api_admin_{}_{}", action, outcome);
        } else {
            LOG.warn("api_admin_{}_{}", action, outcome);
        }
        metrics.adminAudit(action, outcome);
        return store.appendAudit(r);
    }

    /** An authentication or authorization denial ({@code auth_denied}, outcome {@code denied}). */
    void denied(Call call, String tenant, String actorKind, String actorId, List<String> roles, String message,
                String errorCode, JsonObject details) {
        AuditRecord r = new AuditRecord(tenant, clock.instant(), actorKind, actorId, roles, "auth_denied", "route",
                call.routeKey(), "denied", message, errorCode, call.requestId(), call.clientAddress(), details);
        try {
            store.appendAudit(r);
        } catch (RuntimeException e) {
            LOG.error("audit_write_failed action=auth_denied", e);
        }
    }
}
