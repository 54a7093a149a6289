package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * A row of {@code dg_policy_eval_index} ({@code index_id = "{trace_id}:{policy_id}:{policy_version}:{event_id}"}).
 * Not digested and used by no query; listed in {@code (log_seq, index_id)} order.
 */
public record PolicyEvalRow(String indexId, String traceId, String policyId, String policyVersion, long logSeq,
                            String createdAt) {
    public PolicyEvalRow {
        Objects.requireNonNull(indexId, "indexId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
