package org.decisiongraph.core.event;

/**
 * The library facade's default idempotency keys (core spec 5.6). Only the start and finish keys are
 * retry-safe: the generic key contains the trace_seq computed at call time, so blindly retrying such an
 * append after a success stores a second event.
 */
public final class DefaultKeys {
    private DefaultKeys() {
    }

    /** {@code start_trace}: {@code start:<trace_id>}. */
    public static String startTrace(String traceId) {
        return "start:" + traceId;
    }

    /** {@code finish_trace}: {@code finish:<trace_id>}. */
    public static String finishTrace(String traceId) {
        return "finish:" + traceId;
    }

    /** {@code append_event} and the other typed event methods: {@code <event_type>:<trace_id>:<trace_seq>}. */
    public static String append(String eventType, String traceId, long traceSeq) {
        return eventType + ":" + traceId + ":" + traceSeq;
    }
}
