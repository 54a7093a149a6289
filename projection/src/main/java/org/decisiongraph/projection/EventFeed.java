package org.decisiongraph.projection;

import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.precedent.TraceEventSource;

/**
 * What the projector reads from one tenant's event log. Contract (the store guarantees it): log_seq values are
 * strictly increasing; {@code (trace_id, trace_seq)} is unique; no event of a trace follows its TraceFinished.
 */
public interface EventFeed extends TraceEventSource {

    /** Events with {@code afterLogSeq < log_seq <= untilLogSeq}, in log_seq order, at most {@code limit}. */
    List<StoredEvent> read(long afterLogSeq, long untilLogSeq, int limit);

    /**
     * The hash a redacted event's stored payload has (docs/OPERATIONS.md, "Redaction"), null when it was never
     * redacted; only asked when a payload does not hash to its {@code payload_hash}.
     */
    default String redactedPayloadHash(StoredEvent event) {
        return null;
    }

    /** {@code MAX(log_seq)}, 0 for an empty log. */
    long lastLogSeq();

    /**
     * {@code MAX(trace_seq) + 1} over the trace's events with {@code log_seq < beforeLogSeq}, 0 if there are
     * none: the trace_seq the projector expects next after a restart. Override with an indexed lookup.
     */
    default long nextTraceSeq(String traceId, long beforeLogSeq) {
        long next = 0;
        for (StoredEvent e : eventsOf(traceId)) {
            if (e.logSeq() < beforeLogSeq) {
                next = Math.max(next, e.traceSeq() + 1);
            }
        }
        return next;
    }
}
