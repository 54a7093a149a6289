package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * A row of {@code dg_precedent_index} (v2): one per PolicyEvaluated or ExceptionRequested event of a finished
 * trace, keyed by the event's id. {@code exceptionId} is null for PolicyEvaluated rows; the entity triple is the
 * trace's primary entity as captured before the row's event, each part nullable.
 */
public record PrecedentRow(
        String sourceEventId,
        long logSeq,
        String traceId,
        String policyId,
        String policyVersion,
        String exceptionId,
        String primaryEntityType,
        String primaryEntitySystem,
        String primaryEntityId) {

    public PrecedentRow {
        Objects.requireNonNull(sourceEventId, "sourceEventId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(policyVersion, "policyVersion");
    }
}
