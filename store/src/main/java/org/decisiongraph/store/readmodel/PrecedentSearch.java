package org.decisiongraph.store.readmodel;

/**
 * The store-level precedent search: every filter is either null (no filter) or an exact value. The query layer
 * has already turned empty strings into null (truthy-only filters) and validated the limit.
 *
 * @param policyId      null: search finished trace summaries; otherwise join the precedent index on this policy
 * @param policyVersion only with a policyId: also require this policy_version
 * @param entityType    {@code primary_entity_type} of the summary
 * @param entityId      {@code primary_entity_id} of the summary
 * @param outcome       {@code outcome} of the summary
 * @param limit         maximum number of matches, at least 1
 */
public record PrecedentSearch(String policyId, String policyVersion, String entityType, String entityId,
                              String outcome, int limit) {
    public PrecedentSearch {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (policyVersion != null && policyId == null) {
            throw new IllegalArgumentException("policyVersion requires policyId");
        }
    }

    /** Whether a finished summary passes the outcome and entity filters. */
    public boolean matches(TraceSummaryRow summary) {
        return (outcome == null || outcome.equals(summary.outcome()))
                && (entityType == null || entityType.equals(summary.primaryEntityType()))
                && (entityId == null || entityId.equals(summary.primaryEntityId()));
    }

    /** Whether a precedent row passes the policy filters. */
    public boolean matches(PrecedentRow row) {
        return policyId != null && policyId.equals(row.policyId())
                && (policyVersion == null || policyVersion.equals(row.policyVersion()));
    }
}
