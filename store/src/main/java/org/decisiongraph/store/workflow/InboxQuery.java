package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

/**
 * Inbox filters (platform spec 1.11, 3.5): every filter null = not applied. Order: overdue open items
 * first, then priority {@code urgent < high < normal < other}, {@code requested_at}, {@code workflow_id}.
 * {@code after} is an optional keyset cursor (the last row of the previous page).
 */
public record InboxQuery(String status, String assignedAccountId, String assignedRole, String priority, String traceId,
                         String workflowName, String policyId, Boolean overdueOnly, boolean onlyOpen, Instant now,
                         int limit, InboxCursor after) {
    public InboxQuery {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** The position of a row in inbox order: overdue rank, priority rank, requested_at, workflow_id. */
    public record InboxCursor(int overdueRank, int priorityRank, Instant requestedAt, String workflowId) {
        public InboxCursor {
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(workflowId, "workflowId");
        }
    }
}
