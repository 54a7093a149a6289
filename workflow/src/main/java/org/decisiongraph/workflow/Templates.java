package org.decisiongraph.workflow;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The three built-in review templates (platform spec 3.7) as data, and the default-template rule with the
 * outcome fix ({@code failure} is unfavorable).
 */
public final class Templates {
    public static final Set<String> UNFAVORABLE_OUTCOMES = Set.of("failure", "failed", "rejected", "deny", "denied");

    public static final List<Template> BUILT_IN = List.of(
            new Template("incident_triage", "Incident Triage Review", Statuses.INCIDENT_REVIEW, "admin", "high", 2,
                    List.of("incident", "replay", "human_review"),
                    "Triage a failed or suspicious trace: confirm the outcome, decide on replay and capture operator guidance."),
            new Template("exception_follow_up", "Exception Follow-Up", Statuses.INCIDENT_REVIEW, "admin", "urgent", 1,
                    List.of("exception", "approval", "sla"),
                    "Follow up on an exception request: check the approval trail, the evidence and the SLA."),
            new Template("precedent_gap_review", "Precedent Gap Review", Statuses.INCIDENT_REVIEW, "writer", "normal", 6,
                    List.of("precedent", "analysis", "dry_run"),
                    "Review a decision with few or diverging precedents and record guidance for similar cases."));

    private Templates() {
    }

    public static Optional<Template> byId(String templateId) {
        return BUILT_IN.stream().filter(t -> t.templateId().equals(templateId)).findFirst();
    }

    /** The default template for a trace. */
    public static Template defaultFor(boolean hasException, String outcome) {
        if (hasException) {
            return byId("exception_follow_up").orElseThrow();
        }
        if (outcome != null && UNFAVORABLE_OUTCOMES.contains(outcome)) {
            return byId("incident_triage").orElseThrow();
        }
        return byId("precedent_gap_review").orElseThrow();
    }
}
