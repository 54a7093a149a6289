package org.decisiongraph.projection.precedent;

import static org.decisiongraph.projection.payload.PayloadFields.object;
import static org.decisiongraph.projection.payload.PayloadFields.str;
import static org.decisiongraph.projection.payload.PayloadFields.truthy;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.payload.PayloadFields;
import org.decisiongraph.store.readmodel.PolicyEvalRow;

/** The policy-evaluation index row of a PolicyEvaluated event (projections spec 2.5). */
public final class PolicyEvalIndex {
    private PolicyEvalIndex() {
    }

    /**
     * The row {@code index_id = "{trace_id}:{policy_id}:{policy_version}:{event_id}"}; SCHEMA_VIOLATION
     * {@code PolicyEvaluated requires policy_id and policy_version} when either is empty or missing.
     */
    public static PolicyEvalRow row(StoredEvent event) {
        JsonObject policy = object(PayloadFields.asObject(event.payload()), "policy");
        Json pid = policy.get("policy_id");
        Json pver = policy.get("policy_version");
        if (!truthy(pid) || !truthy(pver)) {
            throw DgErrors.policyEvaluatedRequiresPolicy();
        }
        String policyId = str(pid);
        String policyVersion = str(pver);
        return new PolicyEvalRow(event.traceId() + ":" + policyId + ":" + policyVersion + ":" + event.eventId(),
                event.traceId(), policyId, policyVersion, event.logSeq(), event.occurredAt());
    }
}
