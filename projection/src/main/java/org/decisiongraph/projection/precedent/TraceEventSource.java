package org.decisiongraph.projection.precedent;

import java.util.List;

import org.decisiongraph.core.event.StoredEvent;

/** All stored events of one trace, from the event log. */
@FunctionalInterface
public interface TraceEventSource {
    /** Every stored event of the trace, ordered by {@code trace_seq} ascending; empty for an unknown trace. */
    List<StoredEvent> eventsOf(String traceId);
}
