package org.decisiongraph.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.junit.jupiter.api.Test;

/** The whole status machine of platform spec 3.2 (with claim and export), every cell, exact messages. */
class TransitionTableTest {
    private static final String ID = "t-1:exception:ex-1";
    private static final List<String> ACTIONS = List.of("approve", "reject", "request_change", "comment", "reassign", "escalate",
            "override", "claim", "export");

    static WorkflowItem item(String status, String kind, String assignee) {
        Instant t = Instant.parse("2026-03-07T10:00:00Z");
        return new WorkflowItem("default", ID, "t-1", kind, "wf", "exception", "ex-1", status, "high", "Title", null, null, null, null,
                assignee, "admin", t, t.plusSeconds(3600), t, null, "requested", t, null, null, null, "e-1", 1, JsonObject.empty(), 0, null);
    }

    /** The expected cell: null = allowed, else "status message". */
    static String expected(String status, String kind, String assignee, String caller, String action) {
        if (Statuses.isTerminal(status)) {
            return action.equals("comment") || action.equals("export") ? null : "400 Workflow " + ID + " is already " + status;
        }
        return switch (action) {
            case "escalate" -> status.equals("escalated") ? "400 Workflow " + ID + " is already escalated" : null;
            case "override" -> kind.equals("exception_review") ? null : "400 Override is only supported for exception review workflows";
            case "claim" -> status.equals("in_review") && !caller.equals(assignee)
                    ? "409 Workflow " + ID + " is already claimed by " + assignee : null;
            default -> null;
        };
    }

    @Test
    void everyCellOfTheTable() {
        int cells = 0;
        for (String kind : List.of("exception_review", "incident_review")) {
            for (String status : List.of("requested", "in_review", "changes_requested", "escalated", "approved", "rejected", "overridden")) {
                for (String assignee : new String[] {"alice", "bob"}) {
                    WorkflowItem it = item(status, kind, assignee);
                    for (String action : ACTIONS) {
                        String want = expected(status, kind, assignee, "alice", action);
                        if (want == null) {
                            ReviewService.checkTransition(it, action, "alice");
                        } else {
                            WorkflowError e = catchThrowableOfType(WorkflowError.class,
                                    () -> ReviewService.checkTransition(it, action, "alice"));
                            assertThat(e).as("%s/%s/%s", kind, status, action).isNotNull();
                            assertThat(e.status() + " " + e.message()).as("%s/%s/%s", kind, status, action).isEqualTo(want);
                            assertThat(e.code()).isEqualTo(e.status() == 409 ? "conflict" : "invalid_argument");
                        }
                        cells++;
                    }
                }
            }
        }
        assertThat(cells).isEqualTo(2 * 7 * 2 * ACTIONS.size());
    }

    @Test
    void resultingStatuses() {
        WorkflowItem open = item("changes_requested", "exception_review", null);
        assertThat(ReviewService.resultingStatus(open, "approve")).isEqualTo("approved");
        assertThat(ReviewService.resultingStatus(open, "reject")).isEqualTo("rejected");
        assertThat(ReviewService.resultingStatus(open, "override")).isEqualTo("overridden");
        assertThat(ReviewService.resultingStatus(open, "request_change")).isEqualTo("changes_requested");
        assertThat(ReviewService.resultingStatus(open, "escalate")).isEqualTo("escalated");
        assertThat(ReviewService.resultingStatus(open, "claim")).isEqualTo("in_review");
        assertThat(ReviewService.resultingStatus(open, "comment")).isEqualTo("changes_requested");
        assertThat(ReviewService.resultingStatus(open, "reassign")).isEqualTo("changes_requested");
    }

    @Test
    void unknownPriorityIsRefused() {
        assertThatThrownBy(() -> Statuses.priority("critical")).isInstanceOf(WorkflowError.class)
                .hasMessage("Unsupported priority \"critical\"");
        assertThat(Statuses.priority("URGENT")).isEqualTo("urgent");
    }

    @Test
    void templatesAreTheThreeOfTheSpec() {
        assertThat(Templates.BUILT_IN).extracting(Template::templateId)
                .containsExactly("incident_triage", "exception_follow_up", "precedent_gap_review");
        assertThat(Templates.defaultFor(true, null).templateId()).isEqualTo("exception_follow_up");
        assertThat(Templates.defaultFor(false, "failure").templateId()).isEqualTo("incident_triage");
        assertThat(Templates.defaultFor(false, "success").templateId()).isEqualTo("precedent_gap_review");
        assertThatThrownBy(() -> new Template("x", "X", "incident_review", "admin", "critical", 1, List.of(), "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
