package org.decisiongraph.projection.query;

import org.decisiongraph.core.json.JsonObject;

/** A finished trace found by a precedent search; the policy fields are set only for a policy search. */
public record PrecedentHit(String traceId, String workflow, String title, String outcome, String policyId,
                           String policyVersion, String finishedAt) {

    /** {@code {trace_id, workflow, title, outcome, policy_id, policy_version, finished_at}}. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("trace_id", traceId)
                .put("workflow", workflow)
                .put("title", title)
                .put("outcome", outcome)
                .put("policy_id", policyId)
                .put("policy_version", policyVersion)
                .put("finished_at", finishedAt)
                .build();
    }
}
