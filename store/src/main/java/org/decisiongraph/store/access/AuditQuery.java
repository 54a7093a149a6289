package org.decisiongraph.store.access;

import java.time.Instant;

/**
 * Filters of the audit-log query, newest first. {@code tenantId} null = every tenant (platform admins);
 * {@code beforeAuditId} is the keyset cursor (exclusive); {@code since} exclusive, {@code until} inclusive.
 */
public record AuditQuery(String tenantId, String action, String outcome, String actorId, String targetType,
                         String targetId, Instant since, Instant until, Long beforeAuditId, int limit) {
    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
    }
}
