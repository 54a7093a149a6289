package org.decisiongraph.projection.runtime;

import java.util.Optional;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.JsonObject;

/**
 * A projection kept by another module (the {@code workflow} projection of platform spec 3.12) that the runtime runs
 * like the digested ones: one worker per tenant with the same signals, safety timer, retry with backoff of
 * {@code storage} errors, failure record and {@code failed} state. It has no digest and no checkpoint, and the
 * cursor-based auto-resolve of failures does not apply to it (its own quarantine rows stay open until a retry
 * re-applies the event, {@link #reapply}). Implementations are thread-safe; a batch is one transaction.
 */
public interface ExternalProjection {
    /** The projection name in workers, failures and health ({@code workflow}). */
    String name();

    /** The tenant's durable cursor (0 before the first batch). */
    long cursor(String tenant);

    /** Processes at most {@code batchSize} log events after the cursor in one transaction; returns the new cursor. */
    long catchUpBatch(String tenant, int batchSize);

    /** The first log event after the cursor that the projection would process (for the failure record), if any. */
    Optional<StoredEvent> nextEvent(String tenant);

    /**
     * Re-applies the event at {@code logSeq} that the cursor has already passed (a quarantined event); throws when it
     * still cannot be applied. Idempotent.
     */
    void reapply(String tenant, long logSeq);

    /** The health member of the tenant ({@code workflow_runtime} of platform spec 1.8). */
    JsonObject health(String tenant, long openFailures);
}
