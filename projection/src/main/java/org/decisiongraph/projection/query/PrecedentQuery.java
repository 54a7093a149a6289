package org.decisiongraph.projection.query;

import org.decisiongraph.core.error.DgErrors;

/**
 * A precedent search (projections spec 6.6). Validated on construction, in the reference's order:
 * policy_version needs policy_id, entity_id needs entity_type (both: not null), then 1 &lt;= limit &lt;= 10000.
 * When searching, each filter applies only if it is a non-empty string (decision P9).
 */
public record PrecedentQuery(String policyId, String policyVersion, String entityType, String entityId, String outcome,
                             int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public PrecedentQuery {
        if (policyVersion != null && policyId == null) {
            throw DgErrors.policyVersionRequiresPolicyId();
        }
        if (entityId != null && entityType == null) {
            throw DgErrors.entityIdRequiresEntityType();
        }
        if (limit <= 0) {
            throw DgErrors.precedentLimitNotPositive();
        }
        if (limit > MAX_LIMIT) {
            throw DgErrors.precedentLimitTooLarge();
        }
    }

    /** No filters, limit 100. */
    public static PrecedentQuery all() {
        return new PrecedentQuery(null, null, null, null, null, DEFAULT_LIMIT);
    }
}
