package org.decisiongraph.workflow;

import java.util.List;
import java.util.Locale;

/** Status and priority vocabulary of the review workflow (platform spec 3.2). */
public final class Statuses {
    public static final String REQUESTED = "requested";
    public static final String IN_REVIEW = "in_review";
    public static final String CHANGES_REQUESTED = "changes_requested";
    public static final String ESCALATED = "escalated";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String OVERRIDDEN = "overridden";

    public static final List<String> OPEN = List.of(REQUESTED, IN_REVIEW, CHANGES_REQUESTED, ESCALATED);
    public static final List<String> TERMINAL = List.of(APPROVED, REJECTED, OVERRIDDEN);
    /** Statuses the SLA sweep escalates automatically. */
    public static final List<String> AUTO_ESCALATABLE = List.of(REQUESTED, IN_REVIEW, CHANGES_REQUESTED);
    public static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");

    public static final String EXCEPTION_REVIEW = "exception_review";
    public static final String INCIDENT_REVIEW = "incident_review";

    private Statuses() {
    }

    public static boolean isOpen(String status) {
        return OPEN.contains(status);
    }

    public static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }

    /** A priority lower-cased, or a 400 {@code Unsupported priority "<v>"}. */
    public static String priority(String value) {
        String p = value.toLowerCase(Locale.ROOT);
        if (!PRIORITIES.contains(p)) {
            throw WorkflowError.invalid("Unsupported priority \"" + value + "\"");
        }
        return p;
    }
}
