package org.decisiongraph.workflow;

/**
 * Workflow defaults (platform spec 3.3, 3.4, {@code workflow_defaults}). {@code null} account ids mean
 * "no account".
 */
public record WorkflowConfig(int exceptionReviewSlaHours, int incidentReviewSlaHours, String defaultAssignedRole,
                             String defaultAssignedAccountId, String escalationAssignedRole,
                             String escalationAssignedAccountId, int deadlineRiskWarningMinutes, int sweepIntervalSeconds,
                             int batchSize) {
    public static final WorkflowConfig DEFAULTS = new WorkflowConfig(4, 2, "admin", null, "admin", null, 30, 30, 1000);

    public WorkflowConfig {
        if (exceptionReviewSlaHours < 1 || incidentReviewSlaHours < 1 || deadlineRiskWarningMinutes < 0
                || sweepIntervalSeconds < 1 || batchSize < 1) {
            throw new IllegalArgumentException("workflow defaults must be positive");
        }
    }
}
