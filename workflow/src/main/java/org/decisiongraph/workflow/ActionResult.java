package org.decisiongraph.workflow;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.workflow.WorkflowItem;

/**
 * The answer to an action: the response's {@code action} object, the item after the action, and whether
 * this was an idempotent replay of an earlier request (answered 200 with {@code Idempotent-Replay: true}).
 */
public record ActionResult(JsonObject action, WorkflowItem workflow, boolean replay) {
}
