package org.decisiongraph.projection;

import java.util.HashMap;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;

/**
 * The per-trace next expected trace_seq (projections spec 3.1 step 2), valid at one log position. Entries are
 * created lazily: a trace not in memory expects 0 when the event has trace_seq 0 (an earlier event of the trace
 * would itself have had trace_seq 0, and (trace_id, trace_seq) is unique), otherwise the feed is asked for
 * {@code MAX(trace_seq) + 1} before the event. That equals the reference's tracker rebuilt from the log, while
 * memory holds only open traces: finished traces are dropped, and everything when {@code capacity} is exceeded.
 */
final class TraceSeqTracker {
    private final HashMap<String, Long> next = new HashMap<>();
    private final int capacity;

    TraceSeqTracker(int capacity) {
        this.capacity = capacity;
    }

    /** Throws EVENT_SEQUENCE_INVALID unless the event's trace_seq is the expected one. */
    void check(StoredEvent event, EventFeed feed) {
        Long known = next.get(event.traceId());
        long expected = known != null ? known
                : event.traceSeq() == 0 ? 0 : feed.nextTraceSeq(event.traceId(), event.logSeq());
        if (event.traceSeq() != expected) {
            throw DgErrors.traceSeqGap(event.traceId(), expected, event.traceSeq());
        }
    }

    /** Records a checked event. */
    void advance(StoredEvent event) {
        if (EventType.TRACE_FINISHED.wireName().equals(event.eventType())) {
            next.remove(event.traceId());
            return;
        }
        next.put(event.traceId(), event.traceSeq() + 1);
        if (next.size() > capacity) {
            next.clear();
        }
    }
}
