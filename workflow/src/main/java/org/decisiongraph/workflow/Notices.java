package org.decisiongraph.workflow;

import java.time.Instant;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowTx;

/** Notifications written by the sweep (platform spec 3.10). */
public final class Notices {
    private Notices() {
    }

    /** The {@code deadline_risk} notification of the item's current deadline; false when already sent. */
    public static boolean deadlineRisk(WorkflowTx tx, WorkflowItem item, Instant now) {
        return WorkflowProjection.notify(tx, item, "deadline_risk", "Workflow " + item.workflowId() + " is nearing its SLA deadline",
                "deadline_risk:" + item.workflowId() + ":" + java.time.format.DateTimeFormatter.ISO_INSTANT.format(item.slaDueAt()), now,
                JsonObject.builder().put("sla_due_at", Js.time(item.slaDueAt())).build());
    }
}
